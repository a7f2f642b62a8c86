package io.shrinkwatch.algorithm.selection;

import io.shrinkwatch.algorithm.teiresias.DiscoveredPattern;
import io.shrinkwatch.algorithm.teiresias.SolidTeiresias;
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
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Keeps single-item checkout patterns and removes redundancy between them (KDD'11 sections 3.3 and 3.4).
 *
 * <ol>
 *   <li>Keep solid patterns matching {@code P[PSD]*B[PSD]*D} and merge the sets found for each L = W.</li>
 *   <li>Take the pattern x transaction co-occurrence matrix C (occurrence counts) and its SVD, C = U S V^T (U and S
 *       from the eigendecomposition of C C^T; see {@link #leftSingularVectors}).</li>
 *   <li>Represent each pattern by its row of U restricted to the columns of non-zero singular values (or the first
 *       {@code rank} of them), and compare patterns by the correlation of those rows taken about zero (see
 *       {@link #normalisedRows} for why not the Pearson form).</li>
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
    /**
     * The checkout filter as a walk restriction for {@link SolidTeiresias}: a checkout pattern's prefixes all start
     * with P and hold at most one B, so no other branch is entered.
     */
    public static final SolidTeiresias.Shape CHECKOUT_SHAPE = new SolidTeiresias.Shape() {
        @Override
        public boolean viablePrefix(CharSequence prefix) {
            if (prefix.charAt(0) != 'P') {
                return false;
            }
            int b = 0;
            for (int i = 0; i < prefix.length(); i++) {
                if (prefix.charAt(i) == 'B' && ++b > 1) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean accept(CharSequence pattern) {
            return CHECKOUT.matcher(pattern).matches();
        }
    };

    /** The paper's clustering threshold. */
    public static final double DEFAULT_CORRELATION_THRESHOLD = 0.5;

    private final double correlationThreshold;
    private final int rank;
    private final boolean denseSvd;

    public PatternSelector() {
        this(DEFAULT_CORRELATION_THRESHOLD, 0);
    }

    /**
     * @param correlationThreshold patterns correlated above this join a cluster (paper: 0.5)
     * @param rank columns of U used; 0 for all with a non-zero singular value (paper)
     */
    public PatternSelector(double correlationThreshold, int rank) {
        this(correlationThreshold, rank, false);
    }

    /** As above; {@code denseSvd} takes U from the SVD of C itself (the reference route, for tests). */
    PatternSelector(double correlationThreshold, int rank, boolean denseSvd) {
        this.correlationThreshold = correlationThreshold;
        this.rank = rank;
        this.denseSvd = denseSvd;
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

    /**
     * Rows of U_r scaled to unit length, so that a dot product is their correlation coefficient taken about zero
     * (the cosine). The paper says "correlation coefficient" without saying about what; the Pearson form, centred on
     * each row's mean over the columns of U, changes when a column's sign flips or when a degenerate subspace is
     * rotated, neither of which an SVD fixes, so it would make the clusters depend on the numerical route. The form
     * about zero depends only on the subspace U_r spans (it is the normalised projector entry). Measured on the
     * simulated 6-lane days of {@code EvaluationReport} (seeds 7, 17, 27), both forms keep the same 190 patterns and
     * give the same detections.
     */
    double[][] normalisedRows(List<DiscoveredPattern> order) {
        double[][] u = denseSvd || rank > 0 ? leftSingularVectors(order, denseSvd)
                : leftSingularVectorsUnlessFullRank(order);
        if (u == null) {
            // Full row rank and all columns kept: U is square and orthogonal, its rows are orthonormal, and every
            // correlation between two of them is 0. The eigenvectors (about half of the step's time at a million
            // transactions: 114 s with them, 61 s without) would change nothing.
            double[][] identity = new double[order.size()][order.size()];
            for (int i = 0; i < identity.length; i++) {
                identity[i][i] = 1;
            }
            return identity;
        }
        int m = u.length;
        int r = m == 0 ? 0 : u[0].length;
        if (rank > 0) {
            r = Math.min(r, rank);
        }
        double[][] rows = new double[m][r];
        for (int i = 0; i < m; i++) {
            double norm = 0;
            for (int j = 0; j < r; j++) {
                rows[i][j] = u[i][j];
                norm += rows[i][j] * rows[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < r; j++) {
                rows[i][j] = norm > 0 ? rows[i][j] / norm : 0;
            }
        }
        return rows;
    }

    /**
     * The columns of U that belong to non-zero singular values of the pattern x transaction count matrix C, in
     * descending order of singular value, each column signed so that its entry of largest magnitude (the first such
     * entry on a tie) is positive. The clustering does not depend on the signs; fixing them makes U itself
     * reproducible and lets the two routes be compared entry by entry.
     *
     * <p>The default route never builds C. C C^T = U S^2 U^T, so U and the singular values come from the symmetric
     * eigendecomposition of the m x m Gram matrix, accumulated sparsely one transaction at a time (integer counts,
     * exact in doubles whatever the order). That costs O(m^2 + occurrences) memory instead of O(m n) and makes the
     * step independent of the number of transactions n (100k transactions: the dense SVD took 20 GB and most of
     * 449 s). The price is precision in the smallest singular values: eigenvalues of C C^T carry an absolute error
     * near {@code max eigenvalue x ulp}, so a direction counts as non-zero only when its eigenvalue exceeds
     * {@link #GRAM_RANK_TOLERANCE} times the largest (a singular value below about 1e-5 of the largest is dropped).
     * {@code denseSvd} keeps the direct SVD of C as the reference the tests compare against.
     */
    double[][] leftSingularVectors(List<DiscoveredPattern> order, boolean denseSvd) {
        Map<Integer, Integer> column = columns(order);
        int m = order.size();
        int n = column.size();
        return denseSvd ? denseLeftVectors(order, column, m, n) : gramLeftVectors(order, column, m, n, false);
    }

    /** As {@link #leftSingularVectors} by the Gram route, but null, from eigenvalues alone, when C has full row rank. */
    double[][] leftSingularVectorsUnlessFullRank(List<DiscoveredPattern> order) {
        Map<Integer, Integer> column = columns(order);
        return gramLeftVectors(order, column, order.size(), column.size(), true);
    }

    /** A column of C per transaction some pattern occurs in, numbered in order of first occurrence. */
    private static Map<Integer, Integer> columns(List<DiscoveredPattern> order) {
        Map<Integer, Integer> column = new HashMap<>();
        for (DiscoveredPattern p : order) {
            for (long o : p.occurrences()) {
                column.putIfAbsent(DiscoveredPattern.sequenceOf(o), column.size());
            }
        }
        return column;
    }

    /** Entries of a unit column this close to its largest magnitude count as tied for the sign convention. */
    static final double SIGN_TIE_MARGIN = 1e-9;

    /** Relative eigenvalue cut-off of the Gram route: see {@link #leftSingularVectors}. */
    static final double GRAM_RANK_TOLERANCE = 1e-10;

    private static double[][] gramLeftVectors(List<DiscoveredPattern> order, Map<Integer, Integer> column, int m,
            int n, boolean nullWhenFullRank) {
        // Per transaction, the patterns occurring in it with their counts; occurrences are sorted by sequence, so a
        // pattern's count in one transaction is a run.
        int[] size = new int[n];
        for (DiscoveredPattern p : order) {
            long[] occ = p.occurrences();
            for (int a = 0; a < occ.length; ) {
                int seq = DiscoveredPattern.sequenceOf(occ[a]);
                int b = a;
                while (b < occ.length && DiscoveredPattern.sequenceOf(occ[b]) == seq) {
                    b++;
                }
                size[column.get(seq)]++;
                a = b;
            }
        }
        int[][] ids = new int[n][];
        int[][] counts = new int[n][];
        for (int j = 0; j < n; j++) {
            ids[j] = new int[size[j]];
            counts[j] = new int[size[j]];
            size[j] = 0;
        }
        for (int i = 0; i < m; i++) {
            long[] occ = order.get(i).occurrences();
            for (int a = 0; a < occ.length; ) {
                int seq = DiscoveredPattern.sequenceOf(occ[a]);
                int b = a;
                while (b < occ.length && DiscoveredPattern.sequenceOf(occ[b]) == seq) {
                    b++;
                }
                int j = column.get(seq);
                ids[j][size[j]] = i;
                counts[j][size[j]++] = b - a;
                a = b;
            }
        }
        DMatrixRMaj g = new DMatrixRMaj(m, m);
        double[] gd = g.data;
        for (int j = 0; j < n; j++) {
            int[] id = ids[j];
            int[] ct = counts[j];
            for (int a = 0; a < id.length; a++) {
                int row = id[a] * m;
                double ca = ct[a];
                for (int b = 0; b < id.length; b++) {
                    gd[row + id[b]] += ca * ct[b];
                }
            }
        }
        // More patterns than transactions cannot have full row rank: the eigenvalue pass would be spent for nothing.
        if (nullWhenFullRank && m <= n) {
            EigenDecomposition_F64<DMatrixRMaj> values = DecompositionFactory_DDRM.eig(m, false, true);
            if (!values.decompose(g.copy())) {
                throw new IllegalStateException("eigenvalues of the " + m + "x" + m + " Gram matrix did not converge");
            }
            double max = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int k = 0; k < m; k++) {
                max = Math.max(max, values.getEigenvalue(k).getReal());
                min = Math.min(min, values.getEigenvalue(k).getReal());
            }
            if (min > max * GRAM_RANK_TOLERANCE) {
                return null;
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(g)) {
            throw new IllegalStateException("eigendecomposition of the " + m + "x" + m + " Gram matrix did not converge");
        }
        Integer[] idx = new Integer[m];
        double[] lambda = new double[m];
        for (int k = 0; k < m; k++) {
            idx[k] = k;
            lambda[k] = eig.getEigenvalue(k).getReal();
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(lambda[b], lambda[a]));
        double max = m > 0 ? lambda[idx[0]] : 0;
        int r = 0;
        while (r < Math.min(m, n) && lambda[idx[r]] > max * GRAM_RANK_TOLERANCE) {
            r++;
        }
        double[][] u = new double[m][r];
        for (int c = 0; c < r; c++) {
            DMatrixRMaj v = eig.getEigenVector(idx[c]);
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += v.get(i, 0) * v.get(i, 0);
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                u[i][c] = v.get(i, 0) / norm;
            }
        }
        return fixSigns(u);
    }

    private static double[][] denseLeftVectors(List<DiscoveredPattern> order, Map<Integer, Integer> column, int m,
            int n) {
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
        DMatrixRMaj uMat = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        SingularOps_DDRM.descendingOrder(uMat, false, w, null, false);
        int k = Math.min(m, n);
        double max = k > 0 ? w.get(0, 0) : 0;
        double tol = max * Math.max(m, n) * Math.ulp(1.0);
        int r = 0;
        while (r < k && w.get(r, r) > tol) {
            r++;
        }
        double[][] u = new double[m][r];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) {
                u[i][j] = uMat.get(i, j);
            }
        }
        return fixSigns(u);
    }

    private static double[][] fixSigns(double[][] u) {
        int m = u.length;
        int r = m == 0 ? 0 : u[0].length;
        for (int c = 0; c < r; c++) {
            double maxAbs = 0;
            for (int i = 0; i < m; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(u[i][c]));
            }
            // "First" within a rounding margin, so that two numerical routes agree on (x, -x) columns.
            int best = 0;
            while (best < m - 1 && Math.abs(u[best][c]) < maxAbs - SIGN_TIE_MARGIN) {
                best++;
            }
            if (u[best][c] < 0) {
                for (int i = 0; i < m; i++) {
                    u[i][c] = -u[i][c];
                }
            }
        }
        return u;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
