package io.shrinkwatch.algorithm.selection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.algorithm.teiresias.DiscoveredPattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;

/** Tests of section 3.4's pattern selection: the checkout filter, the SVD and the correlation clustering. */
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

    /** Agreement of the Gram-matrix route with the direct SVD, entry by entry, on unit-length columns. */
    static final double ROUTE_TOLERANCE = 1e-6;
    /** Singular values closer than this (relative) count as one degenerate subspace, whose basis is arbitrary. */
    static final double DEGENERATE_GAP = 1e-3;

    /** Random sparse count matrices as pattern lists: m patterns over n transactions, counts 0..3. */
    static List<DiscoveredPattern> randomPatterns(Random rnd, int m, int n) {
        List<DiscoveredPattern> ps = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            List<Long> occ = new ArrayList<>();
            int seqs = 0;
            for (int j = 0; j < n; j++) {
                int count = rnd.nextDouble() < 0.3 ? 1 + rnd.nextInt(3) : 0;
                for (int k = 0; k < count; k++) {
                    occ.add(DiscoveredPattern.pack(j, k));
                }
                seqs += count > 0 ? 1 : 0;
            }
            if (occ.isEmpty()) {
                occ.add(DiscoveredPattern.pack(rnd.nextInt(n), 0));
                seqs = 1;
            }
            long[] a = occ.stream().mapToLong(Long::longValue).sorted().toArray();
            ps.add(new DiscoveredPattern("P" + "S".repeat(i) + "BD", seqs, a));
        }
        return ps;
    }

    /** The count matrix's singular values, descending, from EJML directly; for spotting degenerate spectra. */
    static double[] singularValues(List<DiscoveredPattern> ps) {
        int n = 0;
        for (DiscoveredPattern p : ps) {
            for (long o : p.occurrences()) {
                n = Math.max(n, DiscoveredPattern.sequenceOf(o) + 1);
            }
        }
        DMatrixRMaj c = new DMatrixRMaj(ps.size(), n);
        for (int i = 0; i < ps.size(); i++) {
            for (long o : ps.get(i).occurrences()) {
                c.add(i, DiscoveredPattern.sequenceOf(o), 1);
            }
        }
        double[] sv = SingularOps_DDRM.singularValues(c);
        Arrays.sort(sv);
        double[] desc = new double[sv.length];
        for (int i = 0; i < sv.length; i++) {
            desc[i] = sv[sv.length - 1 - i];
        }
        return desc;
    }

    static boolean degenerate(double[] sv, int r) {
        for (int i = 0; i + 1 < Math.min(r + 1, sv.length); i++) {
            if (sv[i] - sv[i + 1] < DEGENERATE_GAP * sv[0]) {
                return true;
            }
        }
        return false;
    }

    @Test
    void gramEigendecompositionGivesTheSameSignedLeftSingularVectorsAsTheDirectSvd() {
        Random rnd = new Random(20261122L);
        int compared = 0;
        int fullRank = 0;
        for (int trial = 0; trial < 300; trial++) {
            List<DiscoveredPattern> ps = randomPatterns(rnd, 2 + rnd.nextInt(25), 1 + rnd.nextInt(40));
            PatternSelector selector = new PatternSelector();
            double[][] gram = selector.leftSingularVectors(ps, false);
            double[][] dense = selector.leftSingularVectors(ps, true);
            assertThat(gram[0].length).as("rank, trial %d", trial).isEqualTo(dense[0].length);
            int r = dense[0].length;
            assertThat(selector.leftSingularVectorsUnlessFullRank(ps) == null).as("full-rank shortcut, trial %d", trial)
                    .isEqualTo(r == ps.size());
            // The projector onto the column space does not depend on the basis: it must agree on every input.
            for (int a = 0; a < ps.size(); a++) {
                for (int b = 0; b < ps.size(); b++) {
                    double pg = 0;
                    double pd = 0;
                    for (int c = 0; c < r; c++) {
                        pg += gram[a][c] * gram[b][c];
                        pd += dense[a][c] * dense[b][c];
                    }
                    assertThat(pg).as("projector, trial %d", trial).isCloseTo(pd,
                            org.assertj.core.data.Offset.offset(ROUTE_TOLERANCE));
                }
            }
            fullRank += r == ps.size() ? 1 : 0;
            if (degenerate(singularValues(ps), r)) {
                continue;
            }
            compared++;
            for (int a = 0; a < ps.size(); a++) {
                for (int c = 0; c < r; c++) {
                    assertThat(gram[a][c]).as("U[%d][%d], trial %d", a, c, trial).isCloseTo(dense[a][c],
                            org.assertj.core.data.Offset.offset(ROUTE_TOLERANCE));
                }
            }
            assertThat(new PatternSelector().cluster(ps)).as("clusters, trial %d", trial)
                    .isEqualTo(new PatternSelector(PatternSelector.DEFAULT_CORRELATION_THRESHOLD, 0, true).cluster(ps));
        }
        assertThat(compared).as("inputs with a non-degenerate spectrum").isGreaterThan(100);
        assertThat(fullRank).as("inputs taking the full-rank shortcut").isGreaterThan(30);
    }

    @Test
    void signConventionMakesTheLargestEntryOfEveryColumnPositive() {
        List<DiscoveredPattern> ps = randomPatterns(new Random(5), 12, 20);
        double[][] u = new PatternSelector().leftSingularVectors(ps, false);
        for (int c = 0; c < u[0].length; c++) {
            double max = 0;
            double signed = 0;
            for (double[] row : u) {
                if (Math.abs(row[c]) > max + PatternSelector.SIGN_TIE_MARGIN) {
                    max = Math.abs(row[c]);
                    signed = row[c];
                }
            }
            assertThat(signed).as("column %d", c).isPositive();
        }
    }

    @Test
    void negativePatternDropsTheBarcode() {
        assertThat(new SelectedPattern("PDBSPD", 1, 1, List.of()).negative()).isEqualTo("PDSPD");
    }
}
