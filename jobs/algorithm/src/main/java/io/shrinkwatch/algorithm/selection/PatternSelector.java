package io.shrinkwatch.algorithm.selection;

import io.shrinkwatch.algorithm.teiresias.DiscoveredPattern;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Keeps single-item checkout patterns and removes redundancy between them (KDD'11 sections 3.3 and 3.4).
 *
 * <ol>
 *   <li>Keep solid patterns matching {@code P[PSD]*B[PSD]*D} and merge the sets found for each L = W.</li>
 *   <li>Build the pattern x transaction co-occurrence matrix C (occurrence counts) and its SVD, C = U S V^T.</li>
 *   <li>Represent each pattern by its row of U restricted to the columns of non-zero singular values (or the first
 *       {@code rank} of them), and compare patterns by the Pearson correlation of those rows.</li>
 *   <li>Greedy agglomerative clustering: in decreasing order of total occurrences (pattern text breaks ties), the
 *       next unassigned pattern opens a cluster and takes every unassigned pattern correlated above the threshold;
 *       the opener, the most occurring member, represents the cluster.</li>
 * </ol>
 * When there are no more patterns than transactions and C has full row rank, the rows of U are orthonormal and no
 * two patterns correlate: clustering then keeps every pattern, exactly as the paper's definition implies.
 * Transactions no kept pattern occurs in are left out of C; they add only zero columns and do not change U.
 */
public final class PatternSelector {

    /** The paper's filter: one barcode, starting with a pickup and ending with a drop. */
    public static final Pattern CHECKOUT = Pattern.compile("P[PSD]*B[PSD]*D");
    /** The paper's clustering threshold. */
    public static final double DEFAULT_CORRELATION_THRESHOLD = 0.5;

    private final double correlationThreshold;
    private final int rank;

    public PatternSelector() {
        this(DEFAULT_CORRELATION_THRESHOLD, 0);
    }

    /**
     * @param correlationThreshold patterns correlated above this join a cluster (paper: 0.5)
     * @param rank columns of U used; 0 for all with a non-zero singular value (paper)
     */
    public PatternSelector(double correlationThreshold, int rank) {
        this.correlationThreshold = correlationThreshold;
        this.rank = rank;
    }

    /** Step 1: the checkout patterns of all runs, merged by pattern text. */
    public static List<DiscoveredPattern> checkoutPatterns(Collection<List<DiscoveredPattern>> runs) {
        Map<String, DiscoveredPattern> merged = new TreeMap<>();
        for (List<DiscoveredPattern> run : runs) {
            for (DiscoveredPattern p : run) {
                if (CHECKOUT.matcher(p.pattern()).matches()) {
                    merged.putIfAbsent(p.pattern(), p);
                }
            }
        }
        return new ArrayList<>(merged.values());
    }

    /** Steps 2-4 on already merged checkout patterns. */
    public List<SelectedPattern> cluster(List<DiscoveredPattern> patterns) {
        List<DiscoveredPattern> order = new ArrayList<>(patterns);
        order.sort(Comparator.comparingInt(DiscoveredPattern::occurrenceCount).reversed()
                .thenComparing(DiscoveredPattern::pattern));
        int m = order.size();
        if (m == 0) {
            return List.of();
        }
        double[][] rows = normalisedRows(order);
        boolean[] assigned = new boolean[m];
        List<SelectedPattern> out = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            if (assigned[i]) {
                continue;
            }
            assigned[i] = true;
            List<String> members = new ArrayList<>();
            members.add(order.get(i).pattern());
            for (int j = i + 1; j < m; j++) {
                if (!assigned[j] && dot(rows[i], rows[j]) > correlationThreshold) {
                    assigned[j] = true;
                    members.add(order.get(j).pattern());
                }
            }
            DiscoveredPattern rep = order.get(i);
            out.add(new SelectedPattern(rep.pattern(), rep.occurrenceCount(), rep.sequenceCount(), List.copyOf(members)));
        }
        return out;
    }

    /** Rows of U_r, centred and scaled to unit length so that a dot product is the Pearson correlation. */
    double[][] normalisedRows(List<DiscoveredPattern> order) {
        Map<Integer, Integer> column = new HashMap<>();
        for (DiscoveredPattern p : order) {
            for (long o : p.occurrences()) {
                column.putIfAbsent(DiscoveredPattern.sequenceOf(o), column.size());
            }
        }
        int m = order.size();
        int n = column.size();
        DMatrixRMaj c = new DMatrixRMaj(m, n);
        for (int i = 0; i < m; i++) {
            for (long o : order.get(i).occurrences()) {
                int j = column.get(DiscoveredPattern.sequenceOf(o));
                c.unsafe_set(i, j, c.unsafe_get(i, j) + 1);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, false, true);
        if (!svd.decompose(c)) {
            throw new IllegalStateException("SVD of the " + m + "x" + n + " co-occurrence matrix did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        SingularOps_DDRM.descendingOrder(u, false, w, null, false);
        int k = Math.min(m, n);
        double max = k > 0 ? w.get(0, 0) : 0;
        double tol = max * Math.max(m, n) * Math.ulp(1.0);
        int r = 0;
        while (r < k && w.get(r, r) > tol) {
            r++;
        }
        if (rank > 0) {
            r = Math.min(r, rank);
        }
        double[][] rows = new double[m][r];
        for (int i = 0; i < m; i++) {
            double mean = 0;
            for (int j = 0; j < r; j++) {
                rows[i][j] = u.get(i, j);
                mean += rows[i][j];
            }
            mean /= Math.max(1, r);
            double norm = 0;
            for (int j = 0; j < r; j++) {
                rows[i][j] -= mean;
                norm += rows[i][j] * rows[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < r; j++) {
                rows[i][j] = norm > 0 ? rows[i][j] / norm : 0;
            }
        }
        return rows;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
