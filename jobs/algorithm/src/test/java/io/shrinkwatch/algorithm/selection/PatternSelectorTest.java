package io.shrinkwatch.algorithm.selection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.algorithm.teiresias.DiscoveredPattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatternSelectorTest {

    static DiscoveredPattern pattern(String text, int... seqs) {
        long[] occ = new long[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            occ[i] = DiscoveredPattern.pack(seqs[i], i);
        }
        java.util.Arrays.sort(occ);
        return new DiscoveredPattern(text, (int) java.util.Arrays.stream(seqs).distinct().count(), occ);
    }

    @Test
    void keepsOnlySingleBarcodeCheckoutPatternsAndMergesRuns() {
        List<DiscoveredPattern> merged = PatternSelector.checkoutPatterns(List.of(
                List.of(pattern("PSBD", 0, 1), pattern("SBD", 0, 1), pattern("PBSBD", 0, 1), pattern("PSB", 0, 1)),
                List.of(pattern("PSBD", 0, 1), pattern("PDBSPD", 1, 2))));
        assertThat(merged).extracting(DiscoveredPattern::pattern).containsExactly("PDBSPD", "PSBD");
    }

    @Test
    void clustersPatternsThatOccurInTheSameTransactionsUnderTheMostOccurringOne() {
        // More patterns than transactions, so U is not square and correlations are meaningful.
        List<DiscoveredPattern> ps = new ArrayList<>();
        ps.add(pattern("PSBD", 0, 0, 1, 1, 2));
        ps.add(pattern("PSBPD", 0, 1, 2));
        ps.add(pattern("PBD", 3, 4));
        ps.add(pattern("PDBD", 3, 4));
        ps.add(pattern("PBSD", 5, 6, 6));
        ps.add(pattern("PDBSD", 5, 6));
        ps.add(pattern("PSDBD", 7));
        ps.add(pattern("PBPD", 7, 8));
        ps.add(pattern("PBSPD", 8));
        ps.add(pattern("PDSBD", 2, 8));
        ps.add(pattern("PDSBSD", 0, 4, 8));
        List<SelectedPattern> out = new PatternSelector().cluster(ps);
        SelectedPattern first = out.get(0);
        assertThat(first.pattern()).isEqualTo("PSBD");
        assertThat(out).extracting(SelectedPattern::pattern).doesNotContain("PDBD").contains("PBD");
        assertThat(out.stream().mapToInt(s -> s.members().size()).sum()).isEqualTo(ps.size());
        assertThat(out.size()).isLessThan(ps.size());
    }

    @Test
    void keepsEveryPatternWhenRowsOfUAreOrthonormal() {
        List<DiscoveredPattern> ps = List.of(pattern("PSBD", 0, 1, 2, 3), pattern("PBSD", 1, 2, 3),
                pattern("PBD", 0, 3));
        assertThat(new PatternSelector().cluster(ps)).hasSize(3);
    }

    @Test
    void negativePatternDropsTheBarcode() {
        assertThat(new SelectedPattern("PDBSPD", 1, 1, List.of()).negative()).isEqualTo("PDSPD");
    }
}
