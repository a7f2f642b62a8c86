package io.shrinkwatch.algorithm.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of section 4.1's weighted votes, posteriors and threshold labels. */
class VoteClassifierTest {

    private static final double TOL = 1e-12;

    @Test
    void addsEachMatchWeightToEveryPrimitiveItCovers() {
        VoteClassifier c = new VoteClassifier(List.of("PSBD", "PBD"), List.of("PSD", "PD"), new double[] {0.5, 2.0}, 0.6);
        Classification r = c.classify("PSBDPSD");
        // PSBD covers 0..3 with 0.5; PSD (negative of PSBD) covers 4..6 with 0.5; PBD and PD match nowhere.
        assertThat(r.votesTrue()).containsExactly(new double[] {0.5, 0.5, 0.5, 0.5, 0, 0, 0}, within(TOL));
        assertThat(r.votesFake()).containsExactly(new double[] {0, 0, 0, 0, 0.5, 0.5, 0.5}, within(TOL));
        assertThat(r.labels()).containsExactly(Label.TRUE_SCAN, Label.TRUE_SCAN, Label.TRUE_SCAN, Label.TRUE_SCAN,
                Label.FAKE_SCAN, Label.FAKE_SCAN, Label.FAKE_SCAN);
    }

    @Test
    void leavesAPrimitiveUnclassifiedBelowTheThresholdOrOnATie() {
        // "PDBD": PBD does not match; PD (negative of PBD) matches at 0..1; PDB... nothing positive covers P,D.
        VoteClassifier c = new VoteClassifier(List.of("PDBD", "PBD"), List.of("PDD", "PD"), new double[] {1, 1}, 0.7);
        Classification r = c.classify("PDBDPD");
        assertThat(r.posteriorTrue(0)).isCloseTo(0.5, within(TOL));
        assertThat(r.labels()[0]).isEqualTo(Label.UNCLASSIFIED);
        assertThat(r.labels()[2]).isEqualTo(Label.TRUE_SCAN);
        assertThat(r.labels()[4]).isEqualTo(Label.FAKE_SCAN);
        VoteClassifier strict = new VoteClassifier(List.of("PSBD"), List.of("PSD"), new double[] {1}, 0.9);
        Classification weak = strict.classify("X");
        assertThat(weak.labels()[0]).isEqualTo(Label.UNCLASSIFIED);
    }

    @Test
    void posteriorsAreTheNormalisedVotes() {
        VoteClassifier c = new VoteClassifier(List.of("SB", "PSB"), List.of("S", "PS"), new double[] {1, 3}, 0.5);
        Classification r = c.classify("PSBS");
        // index 1 (S): T = 1 (SB) + 3 (PSB) = 4, F = 1 (S) + 3 (PS) = 4 -> a tie, unclassified.
        assertThat(r.posteriorTrue(1)).isCloseTo(0.5, within(TOL));
        assertThat(r.labels()[1]).isEqualTo(Label.UNCLASSIFIED);
        // index 0 (P): T = 3 (PSB), F = 3 (PS); index 2 (B): T = 4, F = 0; index 3 (S): F = 1 only.
        assertThat(r.posteriorTrue(2)).isCloseTo(1.0, within(TOL));
        assertThat(r.posteriorFake(3)).isCloseTo(1.0, within(TOL));
        VoteClassifier skewed = new VoteClassifier(List.of("SB", "PSB"), List.of("S", "PS"), new double[] {3, 1}, 0.5);
        // index 1: T = 3 + 1 = 4, F = 3 + 1 = 4 again; index 0: T = 1 (PSB), F = 1 (PS); index 3: F = 3.
        Classification s = skewed.classify("PSBSB");
        // index 3 (S) now also starts SB: T = 3 (SB), F = 3 (S) -> tie; index 4 (B): T = 3 -> 1.0
        assertThat(s.posteriorTrue(4)).isCloseTo(1.0, within(TOL));
        assertThat(s.posteriorTrue(3)).isCloseTo(0.5, within(TOL));
    }

    @Test
    void rejectsMismatchedTablesAndBadThresholds() {
        assertThatThrownBy(() -> new VoteClassifier(List.of("PBD"), List.of(), new double[] {1}, 0.5))
                .hasMessageContaining("same size");
        assertThatThrownBy(() -> new VoteClassifier(List.of("PBD"), List.of("PD"), new double[] {1}, 0))
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> new VoteClassifier(List.of("PBD"), List.of("PD"), new double[] {-1}, 0.5))
                .hasMessageContaining("weights");
    }
}
