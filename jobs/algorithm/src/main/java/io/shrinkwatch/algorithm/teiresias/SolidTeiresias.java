package io.shrinkwatch.algorithm.teiresias;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The L = W fast path of {@link Teiresias}: maximal solid patterns (no wildcards), as the KDD'11 paper uses.
 *
 * <p>With L = W every pattern is a plain substring of length at least L, so maximal means: not every occurrence is
 * preceded by the same symbol, and not every occurrence is followed by the same symbol. This walks the implicit
 * suffix trie of repeated substrings depth first, splitting occurrence lists by the next symbol (a counting sort
 * into one reused buffer per depth), and cuts a branch as soon as its occurrences share a left neighbour.
 */
public final class SolidTeiresias implements PatternDiscovery {

    /**
     * Restricts a walk to the patterns a caller will keep. Sound only when every prefix of an accepted pattern is a
     * viable prefix: the walk never enters a branch whose prefix is not viable, so nothing accepted is lost, and
     * maximality is decided per pattern from its own occurrences exactly as in the unrestricted walk.
     */
    public interface Shape {
        /** Every pattern, as {@link #discover(List, TeiresiasParams)}. */
        Shape ANY = new Shape() {
            @Override
            public boolean viablePrefix(CharSequence prefix) {
                return true;
            }

            @Override
            public boolean accept(CharSequence pattern) {
                return true;
            }
        };

        /** Whether some accepted pattern may start with {@code prefix}. */
        boolean viablePrefix(CharSequence prefix);

        /** Whether a maximal pattern is reported. */
        boolean accept(CharSequence pattern);
    }

    @Override
    public List<DiscoveredPattern> discover(List<? extends CharSequence> sequences, TeiresiasParams params) {
        return discover(sequences, params, Shape.ANY);
    }

    /** The maximal solid patterns of {@code shape}: the {@link #discover} output filtered by {@link Shape#accept}. */
    public List<DiscoveredPattern> discover(List<? extends CharSequence> sequences, TeiresiasParams params,
            Shape shape) {
        if (!params.isSolid()) {
            throw new IllegalArgumentException("SolidTeiresias needs L = W, got " + params);
        }
        EncodedSequences enc = EncodedSequences.of(sequences);
        List<DiscoveredPattern> out = new ArrayList<>();
        long[][] bySymbol = enc.symbolOccurrences();
        int[] path = new int[64];
        for (int c = 0; c < bySymbol.length; c++) {
            long[] occ = bySymbol[c];
            if (EncodedSequences.support(occ, occ.length, params.supportMode()) >= params.k()
                    && shape.viablePrefix(String.valueOf(enc.alphabet[c]))) {
                path[0] = c;
                grow(enc, params, shape, path, 1, occ, occ.length, out);
            }
        }
        out.sort(Comparator.comparing(DiscoveredPattern::pattern));
        return out;
    }

    private static void grow(EncodedSequences enc, TeiresiasParams p, Shape shape, int[] path, int len, long[] occ,
            int n, List<DiscoveredPattern> out) {
        if (enc.allAgreeAt(occ, n, -1)) {
            return;
        }
        int alpha = enc.alphabet.length;
        int[] counts = new int[alpha + 1];
        for (int i = 0; i < n; i++) {
            counts[enc.codeAt(occ[i], len) + 1]++;
        }
        boolean rightClosed = false;
        int[] start = new int[alpha + 1];
        for (int c = 0; c < alpha; c++) {
            start[c + 1] = start[c] + counts[c + 1];
            if (counts[c + 1] == n) {
                rightClosed = true;
            }
        }
        if (len >= p.l() && !rightClosed) {
            String text = text(enc, path, len);
            if (shape.accept(text)) {
                long[] copy = java.util.Arrays.copyOf(occ, n);
                out.add(new DiscoveredPattern(text, EncodedSequences.distinctSequences(copy, n), copy));
            }
        }
        long[] sorted = new long[n - counts[0]];
        int[] fill = start.clone();
        for (int i = 0; i < n; i++) {
            int c = enc.codeAt(occ[i], len);
            if (c >= 0) {
                sorted[fill[c]++] = occ[i];
            }
        }
        if (len == path.length) {
            path = java.util.Arrays.copyOf(path, len * 2);
        }
        for (int c = 0; c < alpha; c++) {
            int size = counts[c + 1];
            if (size == 0) {
                continue;
            }
            path[len] = c;
            if (shape != Shape.ANY && !shape.viablePrefix(text(enc, path, len + 1))) {
                continue;
            }
            long[] group = java.util.Arrays.copyOfRange(sorted, start[c], start[c] + size);
            if (EncodedSequences.support(group, size, p.supportMode()) >= p.k()) {
                grow(enc, p, shape, path, len + 1, group, size, out);
            }
        }
    }

    private static String text(EncodedSequences enc, int[] path, int len) {
        char[] chars = new char[len];
        for (int i = 0; i < len; i++) {
            chars[i] = enc.alphabet[path[i]];
        }
        return new String(chars);
    }
}
