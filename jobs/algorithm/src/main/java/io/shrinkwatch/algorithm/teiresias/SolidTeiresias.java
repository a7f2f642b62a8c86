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

    @Override
    public List<DiscoveredPattern> discover(List<? extends CharSequence> sequences, TeiresiasParams params) {
        if (!params.isSolid()) {
            throw new IllegalArgumentException("SolidTeiresias needs L = W, got " + params);
        }
        EncodedSequences enc = EncodedSequences.of(sequences);
        List<DiscoveredPattern> out = new ArrayList<>();
        long[][] bySymbol = enc.symbolOccurrences();
        int[] path = new int[64];
        for (int c = 0; c < bySymbol.length; c++) {
            long[] occ = bySymbol[c];
            if (EncodedSequences.support(occ, occ.length, params.supportMode()) >= params.k()) {
                path[0] = c;
                grow(enc, params, path, 1, occ, occ.length, out);
            }
        }
        out.sort(Comparator.comparing(DiscoveredPattern::pattern));
        return out;
    }

    private static void grow(EncodedSequences enc, TeiresiasParams p, int[] path, int len, long[] occ, int n,
            List<DiscoveredPattern> out) {
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
            long[] copy = java.util.Arrays.copyOf(occ, n);
            out.add(new DiscoveredPattern(text(enc, path, len), EncodedSequences.distinctSequences(copy, n), copy));
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
            long[] group = java.util.Arrays.copyOfRange(sorted, start[c], start[c] + size);
            if (EncodedSequences.support(group, size, p.supportMode()) >= p.k()) {
                path[len] = c;
                grow(enc, p, path, len + 1, group, size, out);
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
