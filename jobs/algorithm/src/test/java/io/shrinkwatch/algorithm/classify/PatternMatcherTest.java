package io.shrinkwatch.algorithm.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests of the one-pass pattern automaton against a naive scan, duplicates, foreign symbols and bad input. */
class PatternMatcherTest {

    private static final long SEED = 4242L;

    @Test
    void findsEveryOccurrenceThatANaiveScanFinds() {
        Random rnd = new Random(SEED);
        for (int c = 0; c < 500; c++) {
            List<String> patterns = new ArrayList<>();
            for (int p = 0; p < 1 + rnd.nextInt(8); p++) {
                patterns.add(random(rnd, 1 + rnd.nextInt(5)));
            }
            String text = random(rnd, rnd.nextInt(40));
            List<String> got = new ArrayList<>();
            new PatternMatcher(patterns).forEachMatch(text, (id, start, end) -> got.add(id + "@" + start + "-" + end));
            List<String> want = new ArrayList<>();
            for (int end = 1; end <= text.length(); end++) {
                for (int id = 0; id < patterns.size(); id++) {
                    String p = patterns.get(id);
                    if (end >= p.length() && text.startsWith(p, end - p.length())) {
                        want.add(id + "@" + (end - p.length()) + "-" + end);
                    }
                }
            }
            assertThat(got).as("patterns %s text %s", patterns, text).containsExactlyInAnyOrderElementsOf(want);
        }
    }

    @Test
    void reportsDuplicatePatternsUnderEachId() {
        List<String> hits = new ArrayList<>();
        new PatternMatcher(List.of("PSD", "PSD")).forEachMatch("PSD", (id, s, e) -> hits.add(id + ":" + s));
        assertThat(hits).containsExactlyInAnyOrder("0:0", "1:0");
    }

    @Test
    void doesNotMatchAcrossForeignSymbols() {
        List<Integer> hits = new ArrayList<>();
        new PatternMatcher(List.of("PS")).forEachMatch("PXS", (id, s, e) -> hits.add(s));
        assertThat(hits).isEmpty();
    }

    @Test
    void rejectsSymbolsOutsideTheAlphabet() {
        assertThatThrownBy(() -> new PatternMatcher(List.of("P.D"))).hasMessageContaining("outside {P,S,D,B}");
    }

    private static String random(Random rnd, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append("PSDB".charAt(rnd.nextInt(4)));
        }
        return sb.toString();
    }
}
