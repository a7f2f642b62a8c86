package io.shrinkwatch.algorithm.teiresias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The general {@code <L,W>} path, held to the shared contract plus gapped hand-checked cases. */
class TeiresiasTest extends PatternDiscoveryContractTest {

    @Override
    PatternDiscovery discovery() {
        return new Teiresias(false);
    }

    @Override
    boolean supportsGaps() {
        return true;
    }

    @Test
    void findsAGappedPatternWhoseMiddleVaries() {
        List<DiscoveredPattern> found = new Teiresias().discover(List.of("PSBD", "PXBD"), new TeiresiasParams(3, 4, 2,
                SupportMode.SEQUENCES));
        assertThat(found).extracting(DiscoveredPattern::pattern).containsExactly("P.BD");
    }

    @Test
    void acceptsGappedPatternsByTheConsecutiveLiteralsRule() {
        TeiresiasParams p = new TeiresiasParams(2, 3, 2, SupportMode.SEQUENCES);
        assertThat(BruteForcePatterns.isValid("A.B.C", p)).isTrue();
        assertThat(BruteForcePatterns.isValid("A..B", p)).isFalse();
        assertThat(new Teiresias().discover(List.of("AXBYC", "AQBRC"), p))
                .extracting(DiscoveredPattern::pattern).containsExactly("A.B.C");
    }

    @Test
    void solidFastPathGivesTheGeneralPathsOutputOnLongerInputs() {
        Random rnd = new Random(SEED + 1);
        for (int c = 0; c < 300; c++) {
            List<String> seqs = randomSequences(rnd, 4, 6, 40);
            TeiresiasParams p = new TeiresiasParams(3 + rnd.nextInt(3), 5, 2,
                    rnd.nextBoolean() ? SupportMode.SEQUENCES : SupportMode.OCCURRENCES);
            TeiresiasParams solid = new TeiresiasParams(p.l(), p.l(), p.k(), p.supportMode());
            assertThat(new SolidTeiresias().discover(seqs, solid))
                    .as("case %d on %s", c, seqs)
                    .containsExactlyElementsOf(new Teiresias(false).discover(seqs, solid));
        }
    }

    @Test
    void rejectsParametersOutsideTheDefinition() {
        assertThatThrownBy(() -> new TeiresiasParams(1, 3, 2, SupportMode.SEQUENCES)).hasMessageContaining("L must");
        assertThatThrownBy(() -> new TeiresiasParams(4, 3, 2, SupportMode.SEQUENCES)).hasMessageContaining("W must");
        assertThatThrownBy(() -> new TeiresiasParams(3, 3, 1, SupportMode.SEQUENCES)).hasMessageContaining("K must");
        assertThatThrownBy(() -> new Teiresias().discover(List.of("A.B"), TeiresiasParams.solid(2, 2)))
                .hasMessageContaining("wildcard");
    }
}
