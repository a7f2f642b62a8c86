package io.shrinkwatch.algorithm.teiresias;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Contract shared by every {@link PatternDiscovery}: identical to the brute-force reference on random inputs. */
abstract class PatternDiscoveryContractTest {

    static final long SEED = 20110821L;
    static final int RANDOM_CASES = 1200;

    abstract PatternDiscovery discovery();

    /** Whether this implementation accepts gapped (L < W) parameters. */
    abstract boolean supportsGaps();

    @Test
    void agreesWithBruteForceOnRandomSmallInputs() {
        Random rnd = new Random(SEED);
        BruteForcePatterns reference = new BruteForcePatterns();
        for (int c = 0; c < RANDOM_CASES; c++) {
            int alphabet = 2 + rnd.nextInt(4);
            int l = 2 + rnd.nextInt(2);
            int w = supportsGaps() ? l + rnd.nextInt(4) : l;
            int k = 2 + rnd.nextInt(3);
            SupportMode mode = rnd.nextBoolean() ? SupportMode.SEQUENCES : SupportMode.OCCURRENCES;
            List<String> seqs = randomSequences(rnd, alphabet, 2 + rnd.nextInt(3), 9);
            TeiresiasParams params = new TeiresiasParams(l, w, k, mode);
            assertThat(discovery().discover(seqs, params))
                    .as("case %d: %s on %s", c, params, seqs)
                    .containsExactlyElementsOf(reference.discover(seqs, params));
        }
    }

    @Test
    void reportsEveryOccurrenceSortedBySequenceThenOffset() {
        List<DiscoveredPattern> found = discovery().discover(List.of("PSBDPSBD", "XPSBD"), TeiresiasParams.solid(4, 2));
        assertThat(found).extracting(DiscoveredPattern::pattern).contains("PSBD");
        DiscoveredPattern psbd = found.stream().filter(d -> d.pattern().equals("PSBD")).findFirst().orElseThrow();
        assertThat(psbd.offsetsText()).isEqualTo("0:0,0:4,1:1");
        assertThat(psbd.sequenceCount()).isEqualTo(2);
        assertThat(psbd.occurrenceCount()).isEqualTo(3);
    }

    @Test
    void dropsPatternsExtendedTheSameWayEverywhere() {
        // ABC always sits inside XABCY, so only XABCY is maximal at L=W=3.
        List<DiscoveredPattern> found = discovery().discover(List.of("XABCY", "QXABCYR"), TeiresiasParams.solid(3, 2));
        assertThat(found).extracting(DiscoveredPattern::pattern).containsExactly("XABCY");
    }

    @Test
    void sequenceSupportCountsTransactionsNotRepeats() {
        List<String> oneSequence = List.of("PSBDPSBDPSBD", "QQQQ", "QQQ");
        assertThat(discovery().discover(oneSequence, new TeiresiasParams(3, 3, 2, SupportMode.SEQUENCES)))
                .extracting(DiscoveredPattern::pattern).containsExactly("QQQ");
        assertThat(discovery().discover(oneSequence, new TeiresiasParams(3, 3, 2, SupportMode.OCCURRENCES)))
                .extracting(DiscoveredPattern::pattern).containsExactlyInAnyOrder("PSBD", "PSBDPSBD", "QQQ");
    }

    @Test
    void keepsAShorterPatternWhenItsExtensionsDiffer() {
        // PSBD is followed by P in one place and X in another, and preceded by start / D: maximal on its own.
        List<DiscoveredPattern> found = discovery().discover(List.of("PSBDP", "DPSBDX"), TeiresiasParams.solid(3, 2));
        assertThat(found).extracting(DiscoveredPattern::pattern).containsExactly("PSBD");
    }

    static List<String> randomSequences(Random rnd, int alphabet, int count, int maxLen) {
        List<String> seqs = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            int len = 1 + rnd.nextInt(maxLen);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < len; i++) {
                sb.append((char) ('A' + rnd.nextInt(alphabet)));
            }
            seqs.add(sb.toString());
        }
        return seqs;
    }
}
