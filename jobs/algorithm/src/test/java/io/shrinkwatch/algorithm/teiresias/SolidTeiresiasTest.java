package io.shrinkwatch.algorithm.teiresias;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The L = W fast path, held to the shared contract. */
class SolidTeiresiasTest extends PatternDiscoveryContractTest {

    @Override
    PatternDiscovery discovery() {
        return new SolidTeiresias();
    }

    @Override
    boolean supportsGaps() {
        return false;
    }

    @Test
    void refusesGappedParameters() {
        assertThatThrownBy(() -> new SolidTeiresias().discover(List.of("AB"), new TeiresiasParams(2, 3, 2,
                SupportMode.SEQUENCES))).hasMessageContaining("L = W");
    }
}
