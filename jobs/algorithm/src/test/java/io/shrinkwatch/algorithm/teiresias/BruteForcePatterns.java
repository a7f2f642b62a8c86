package io.shrinkwatch.algorithm.teiresias;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reference enumeration written straight from the definitions, for small inputs only: every {@code <L,W>} pattern
 * that occurs anywhere, its occurrences by direct matching, and maximality against every more specific candidate.
 */
final class BruteForcePatterns implements PatternDiscovery {

    @Override
    public List<DiscoveredPattern> discover(List<? extends CharSequence> sequences, TeiresiasParams p) {
        Set<String> candidates = new LinkedHashSet<>();
        for (CharSequence seq : sequences) {
            String s = seq.toString();
            for (int i = 0; i < s.length(); i++) {
                for (int j = i; j < s.length(); j++) {
                    int inner = j - i - 1;
                    if (inner < 0) {
                        addIfValid(candidates, s.substring(i, j + 1), p);
                        continue;
                    }
                    for (int mask = 0; mask < (1 << inner); mask++) {
                        StringBuilder sb = new StringBuilder().append(s.charAt(i));
                        for (int t = 0; t < inner; t++) {
                            sb.append((mask & (1 << t)) != 0 ? s.charAt(i + 1 + t) : '.');
                        }
                        sb.append(s.charAt(j));
                        addIfValid(candidates, sb.toString(), p);
                    }
                }
            }
        }
        Map<String, long[]> frequent = new HashMap<>();
        for (String c : candidates) {
            long[] occ = occurrences(sequences, c);
            if (EncodedSequences.support(occ, occ.length, p.supportMode()) >= p.k()) {
                frequent.put(c, occ);
            }
        }
        List<DiscoveredPattern> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : frequent.entrySet()) {
            boolean maximal = true;
            for (Map.Entry<String, long[]> q : frequent.entrySet()) {
                if (q.getValue().length == e.getValue().length && !q.getKey().equals(e.getKey())
                        && moreSpecific(q.getKey(), e.getKey())) {
                    maximal = false;
                    break;
                }
            }
            if (maximal) {
                long[] occ = e.getValue();
                out.add(new DiscoveredPattern(e.getKey(), EncodedSequences.distinctSequences(occ, occ.length), occ));
            }
        }
        out.sort(Comparator.comparing(DiscoveredPattern::pattern));
        return out;
    }

    static boolean isValid(String pattern, TeiresiasParams p) {
        List<Integer> lits = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) != '.') {
                lits.add(i);
            }
        }
        if (lits.size() < p.l() || pattern.charAt(0) == '.' || pattern.charAt(pattern.length() - 1) == '.') {
            return false;
        }
        for (int i = 0; i + p.l() - 1 < lits.size(); i++) {
            if (lits.get(i + p.l() - 1) - lits.get(i) + 1 > p.w()) {
                return false;
            }
        }
        return true;
    }

    private static void addIfValid(Set<String> out, String pattern, TeiresiasParams p) {
        if (isValid(pattern, p)) {
            out.add(pattern);
        }
    }

    static long[] occurrences(List<? extends CharSequence> sequences, String pattern) {
        List<Long> occ = new ArrayList<>();
        for (int s = 0; s < sequences.size(); s++) {
            CharSequence seq = sequences.get(s);
            for (int off = 0; off + pattern.length() <= seq.length(); off++) {
                if (matchesAt(seq, off, pattern)) {
                    occ.add(DiscoveredPattern.pack(s, off));
                }
            }
        }
        return occ.stream().mapToLong(Long::longValue).toArray();
    }

    private static boolean matchesAt(CharSequence seq, int off, String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '.' && seq.charAt(off + i) != c) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code q} is {@code p} with wildcards filled and/or symbols added at either end. */
    static boolean moreSpecific(String q, String p) {
        for (int shift = 0; shift + p.length() <= q.length(); shift++) {
            boolean ok = true;
            for (int i = 0; i < p.length() && ok; i++) {
                char pc = p.charAt(i);
                char qc = q.charAt(shift + i);
                ok = pc == '.' || pc == qc;
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }
}
