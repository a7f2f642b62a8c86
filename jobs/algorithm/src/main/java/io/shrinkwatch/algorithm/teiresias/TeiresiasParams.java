package io.shrinkwatch.algorithm.teiresias;

/**
 * The {@code <L,W>} and support parameters of one Teiresias run.
 *
 * <p>Definition used throughout (issue #2, and the KDD'11 paper for L = W): a pattern is a string over the input
 * alphabet and the wildcard {@code '.'} that starts and ends with a literal, has at least L literals, and in which
 * any L consecutive literals span at most W positions. Rigoutsos and Floratos phrase the constraint as "every
 * sub-pattern of length W or more holds at least L literals"; with sub-patterns taken as arbitrary substrings that
 * is stricter for gapped patterns ({@code A.B.C} is {@code <2,3>} here but not there). Both agree on L = W, the only
 * setting the KDD'11 paper uses. L must be at least 2: with L = 1 the constraint bounds nothing.
 *
 * @param l minimum literals per window (L)
 * @param w window span (W), {@code w >= l}
 * @param k minimum support (K), at least 2
 * @param supportMode whether K counts sequences or occurrences
 */
public record TeiresiasParams(int l, int w, int k, SupportMode supportMode) {

    public TeiresiasParams {
        if (l < 2) {
            throw new IllegalArgumentException("L must be >= 2, got " + l);
        }
        if (w < l) {
            throw new IllegalArgumentException("W must be >= L, got L=" + l + " W=" + w);
        }
        if (k < 2) {
            throw new IllegalArgumentException("K must be >= 2, got " + k);
        }
        if (supportMode == null) {
            throw new IllegalArgumentException("supportMode is required");
        }
    }

    /** The paper's setting: solid patterns of at least {@code lw} literals, support counted in transactions. */
    public static TeiresiasParams solid(int lw, int k) {
        return new TeiresiasParams(lw, lw, k, SupportMode.SEQUENCES);
    }

    public boolean isSolid() {
        return l == w;
    }
}
