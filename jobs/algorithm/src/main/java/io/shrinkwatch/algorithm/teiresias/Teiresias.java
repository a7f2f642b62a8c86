package io.shrinkwatch.algorithm.teiresias;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Maximal {@code <L,W>} pattern discovery with the output of Teiresias (Rigoutsos and Floratos 1998).
 *
 * <p>How it works (a choice, documented because it differs from the original): Teiresias builds elementary
 * patterns in a scan phase and combines them in a convolution phase. Here every pattern grows by right extension
 * from one literal, carrying its occurrence list, which reaches every {@code <L,W>} pattern with support K because
 * support only falls as a pattern grows to the right. Two closure checks then keep the enumeration near the size of
 * the output (the backward-extension pruning of closed-sequence miners such as BIDE): if all occurrences agree on one
 * symbol under a wildcard, or at a valid position to the left, no right extension can be maximal and the whole
 * branch is cut. A pattern is reported when it has at least L literals and no valid position to its right has a
 * symbol shared by all occurrences. Checking single steps is enough: if any more specific {@code <L,W>} pattern has
 * the same occurrences, filling one of its wildcards or adding its nearest extra literal is such a pattern too.
 *
 * <p>For L = W the {@link SolidTeiresias} fast path is used unless disabled; both give identical output.
 */
public final class Teiresias implements PatternDiscovery {

    private final boolean solidFastPath;

    public Teiresias() {
        this(true);
    }

    /** @param solidFastPath whether L = W runs go to {@link SolidTeiresias} */
    public Teiresias(boolean solidFastPath) {
        this.solidFastPath = solidFastPath;
    }

    @Override
    public List<DiscoveredPattern> discover(List<? extends CharSequence> sequences, TeiresiasParams params) {
        if (solidFastPath && params.isSolid()) {
            return new SolidTeiresias().discover(sequences, params);
        }
        EncodedSequences enc = EncodedSequences.of(sequences);
        Run run = new Run(enc, params);
        long[][] bySymbol = enc.symbolOccurrences();
        for (int c = 0; c < bySymbol.length; c++) {
            long[] occ = bySymbol[c];
            if (EncodedSequences.support(occ, occ.length, params.supportMode()) >= params.k()) {
                run.grow(new int[] {c}, new int[] {0}, occ);
            }
        }
        run.out.sort(Comparator.comparing(DiscoveredPattern::pattern));
        return run.out;
    }

    /** State of one discovery run. */
    private static final class Run {
        private static final int WILDCARD = -1;
        final EncodedSequences enc;
        final int l;
        final int w;
        final int k;
        final SupportMode mode;
        final List<DiscoveredPattern> out = new ArrayList<>();

        Run(EncodedSequences enc, TeiresiasParams p) {
            this.enc = enc;
            this.l = p.l();
            this.w = p.w();
            this.k = p.k();
            this.mode = p.supportMode();
        }

        /**
         * @param pattern symbol codes, {@link #WILDCARD} for '.'
         * @param litPos positions of the literals in {@code pattern}
         * @param occ occurrences (support already checked)
         */
        void grow(int[] pattern, int[] litPos, long[] occ) {
            int len = pattern.length;
            int n = litPos.length;
            for (int d = 0; d < len; d++) {
                if (pattern[d] == WILDCARD && enc.allAgreeAt(occ, occ.length, d)) {
                    return;
                }
            }
            if (n >= l - 1) {
                int anchor = litPos[l - 2];
                for (int q = -1; anchor - q + 1 <= w; q--) {
                    if (enc.allAgreeAt(occ, occ.length, q)) {
                        return;
                    }
                }
            }
            boolean rightClosed = false;
            int maxQ = litPos[Math.max(0, n - (l - 1))] + w - 1;
            int alpha = enc.alphabet.length;
            long[][] groups = new long[alpha][];
            int[] sizes = new int[alpha];
            for (int q = len; q <= maxQ; q++) {
                Arrays.fill(sizes, 0);
                for (long o : occ) {
                    int c = enc.codeAt(o, q);
                    if (c >= 0) {
                        if (groups[c] == null || groups[c].length == sizes[c]) {
                            groups[c] = groups[c] == null ? new long[Math.min(occ.length, 16)]
                                    : Arrays.copyOf(groups[c], Math.min(occ.length, groups[c].length * 2));
                        }
                        groups[c][sizes[c]++] = o;
                    }
                }
                for (int c = 0; c < alpha; c++) {
                    if (sizes[c] == 0) {
                        continue;
                    }
                    if (sizes[c] == occ.length) {
                        rightClosed = true;
                    }
                    if (EncodedSequences.support(groups[c], sizes[c], mode) >= k) {
                        int[] child = Arrays.copyOf(pattern, q + 1);
                        Arrays.fill(child, len, q, WILDCARD);
                        child[q] = c;
                        int[] childLit = Arrays.copyOf(litPos, n + 1);
                        childLit[n] = q;
                        grow(child, childLit, Arrays.copyOf(groups[c], sizes[c]));
                    }
                }
            }
            if (n >= l && !rightClosed) {
                out.add(new DiscoveredPattern(text(pattern), EncodedSequences.distinctSequences(occ, occ.length), occ));
            }
        }

        String text(int[] pattern) {
            char[] chars = new char[pattern.length];
            for (int i = 0; i < pattern.length; i++) {
                chars[i] = pattern[i] == WILDCARD ? '.' : enc.alphabet[pattern[i]];
            }
            return new String(chars);
        }
    }
}
