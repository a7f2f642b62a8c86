package io.shrinkwatch.algorithm.teiresias;

import java.util.Arrays;
import java.util.List;

/** Input sequences re-coded to dense symbol codes {@code 0..alphabetSize-1}, shared by both discovery paths. */
final class EncodedSequences {

    final int[][] codes;
    final char[] alphabet;

    private EncodedSequences(int[][] codes, char[] alphabet) {
        this.codes = codes;
        this.alphabet = alphabet;
    }

    static EncodedSequences of(List<? extends CharSequence> sequences) {
        boolean[] seen = new boolean[Character.MAX_VALUE + 1];
        for (int s = 0; s < sequences.size(); s++) {
            CharSequence seq = sequences.get(s);
            for (int i = 0; i < seq.length(); i++) {
                char c = seq.charAt(i);
                if (c == '.') {
                    throw new IllegalArgumentException(
                            "sequence " + s + " position " + i + ": '.' is the wildcard and cannot be an input symbol");
                }
                seen[c] = true;
            }
        }
        int[] codeOf = new int[Character.MAX_VALUE + 1];
        StringBuilder alphabet = new StringBuilder();
        for (int c = 0; c < seen.length; c++) {
            if (seen[c]) {
                codeOf[c] = alphabet.length();
                alphabet.append((char) c);
            }
        }
        int[][] codes = new int[sequences.size()][];
        for (int s = 0; s < codes.length; s++) {
            CharSequence seq = sequences.get(s);
            codes[s] = new int[seq.length()];
            for (int i = 0; i < seq.length(); i++) {
                codes[s][i] = codeOf[seq.charAt(i)];
            }
        }
        return new EncodedSequences(codes, alphabet.toString().toCharArray());
    }

    /** Occurrence lists of every single symbol, in (sequence, offset) order. */
    long[][] symbolOccurrences() {
        int[] counts = new int[alphabet.length];
        for (int[] seq : codes) {
            for (int c : seq) {
                counts[c]++;
            }
        }
        long[][] occ = new long[alphabet.length][];
        for (int c = 0; c < occ.length; c++) {
            occ[c] = new long[counts[c]];
        }
        Arrays.fill(counts, 0);
        for (int s = 0; s < codes.length; s++) {
            for (int i = 0; i < codes[s].length; i++) {
                int c = codes[s][i];
                occ[c][counts[c]++] = DiscoveredPattern.pack(s, i);
            }
        }
        return occ;
    }

    /** Symbol code at {@code offset + rel} of an occurrence, or -1 outside its sequence. */
    int codeAt(long occurrence, int rel) {
        int[] seq = codes[DiscoveredPattern.sequenceOf(occurrence)];
        int pos = DiscoveredPattern.offsetOf(occurrence) + rel;
        return pos >= 0 && pos < seq.length ? seq[pos] : -1;
    }

    /** True when every occurrence has the same symbol at relative position {@code rel}. */
    boolean allAgreeAt(long[] occ, int n, int rel) {
        int first = codeAt(occ[0], rel);
        if (first < 0) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (codeAt(occ[i], rel) != first) {
                return false;
            }
        }
        return true;
    }

    static int distinctSequences(long[] occ, int n) {
        int count = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
            int s = DiscoveredPattern.sequenceOf(occ[i]);
            if (s != last) {
                count++;
                last = s;
            }
        }
        return count;
    }

    static int support(long[] occ, int n, SupportMode mode) {
        return mode == SupportMode.OCCURRENCES ? n : distinctSequences(occ, n);
    }
}
