package io.shrinkwatch.algorithm.classify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho–Corasick automaton over the symbols {P,S,D,B}: finds every occurrence of every pattern in one pass.
 * Patterns must be solid (the KDD'11 models are); equal patterns are allowed and each reports its own id.
 */
public final class PatternMatcher {

    /** Receives one match. */
    @FunctionalInterface
    public interface MatchConsumer {
        void match(int patternId, int start, int endExclusive);
    }

    private static final String ALPHABET = "PSDB";

    private final int[][] next;
    private final int[][] outputs;
    private final int[] lengths;

    public PatternMatcher(List<String> patterns) {
        lengths = new int[patterns.size()];
        List<int[]> gotoRows = new ArrayList<>();
        List<List<Integer>> outs = new ArrayList<>();
        gotoRows.add(newRow());
        outs.add(new ArrayList<>());
        for (int id = 0; id < patterns.size(); id++) {
            String p = patterns.get(id);
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty pattern at index " + id);
            }
            lengths[id] = p.length();
            int state = 0;
            for (int i = 0; i < p.length(); i++) {
                int c = code(p.charAt(i));
                if (c < 0) {
                    throw new IllegalArgumentException("pattern " + id + " '" + p + "' has symbol '" + p.charAt(i)
                            + "' outside {P,S,D,B}");
                }
                if (gotoRows.get(state)[c] < 0) {
                    gotoRows.get(state)[c] = gotoRows.size();
                    gotoRows.add(newRow());
                    outs.add(new ArrayList<>());
                }
                state = gotoRows.get(state)[c];
            }
            outs.get(state).add(id);
        }
        int n = gotoRows.size();
        next = gotoRows.toArray(new int[0][]);
        int[] fail = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < 4; c++) {
            if (next[0][c] < 0) {
                next[0][c] = 0;
            } else {
                fail[next[0][c]] = 0;
                queue.add(next[0][c]);
            }
        }
        List<Integer> bfs = new ArrayList<>();
        while (!queue.isEmpty()) {
            int s = queue.poll();
            bfs.add(s);
            for (int c = 0; c < 4; c++) {
                int t = next[s][c];
                if (t < 0) {
                    next[s][c] = next[fail[s]][c];
                } else {
                    fail[t] = next[fail[s]][c];
                    queue.add(t);
                }
            }
        }
        outputs = new int[n][];
        outputs[0] = outs.get(0).stream().mapToInt(Integer::intValue).toArray();
        for (int s : bfs) {
            int[] own = outs.get(s).stream().mapToInt(Integer::intValue).toArray();
            int[] inherited = outputs[fail[s]];
            int[] all = Arrays.copyOf(own, own.length + inherited.length);
            System.arraycopy(inherited, 0, all, own.length, inherited.length);
            outputs[s] = all;
        }
    }

    private static int[] newRow() {
        int[] row = new int[4];
        Arrays.fill(row, -1);
        return row;
    }

    static int code(char c) {
        return ALPHABET.indexOf(c);
    }

    public int patternLength(int id) {
        return lengths[id];
    }

    /** Reports every match; a symbol outside {P,S,D,B} breaks matching across it. */
    public void forEachMatch(CharSequence text, MatchConsumer consumer) {
        int state = 0;
        for (int i = 0; i < text.length(); i++) {
            int c = code(text.charAt(i));
            if (c < 0) {
                state = 0;
                continue;
            }
            state = next[state][c];
            for (int id : outputs[state]) {
                consumer.match(id, i + 1 - lengths[id], i + 1);
            }
        }
    }

    public int stateCount() {
        return next.length;
    }
}
