package io.shrinkwatch.algorithm.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shrinkwatch.algorithm.selection.SelectedPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests of section 5's frequency and SVM weights: bounds, reproducibility and ranking. */
class WeightsTest {

    private static final long SEED = 17L;
    private static final double TOL = 1e-12;

    static final List<SelectedPattern> PATTERNS = List.of(new SelectedPattern("PSBD", 400, 100, List.of()),
            new SelectedPattern("PBSD", 300, 90, List.of()), new SelectedPattern("PBD", 100, 50, List.of()),
            new SelectedPattern("PSBPD", 20, 15, List.of()));

    @Test
    void frequencyWeightsAreInverseToOccurrencesWithMaximumOne() {
        double[] w = FrequencyWeights.compute(PATTERNS);
        assertThat(w).containsExactly(new double[] {0.05, 20.0 / 300, 0.2, 1.0}, within(TOL));
    }

    /** Transactions of clean checkouts with a few fake scans (P S D without B) mixed in. */
    static List<String> transactions(Random rnd, int n, List<SvmWeights.Anchor> fakes) {
        String[] items = {"PSBD", "PSBD", "PSBD", "PBSD", "PBSD", "PBD", "PSBPD"};
        List<String> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                if (t % 10 == 0 && i == 5) {
                    fakes.add(new SvmWeights.Anchor(t, sb.length() + 1));
                    sb.append("PSD");
                } else {
                    sb.append(items[rnd.nextInt(items.length)]);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void svmWeightsAreReproducibleNonNegativeAndAtMostOne() {
        List<SvmWeights.Anchor> fakes = new ArrayList<>();
        List<String> txns = transactions(new Random(SEED), 200, fakes);
        SvmOptions o = new SvmOptions(20, 100, 0.01, -1, SEED);
        double[] a = SvmWeights.compute(PATTERNS, txns, fakes, o);
        double[] b = SvmWeights.compute(PATTERNS, txns, fakes, o);
        assertThat(a).containsExactly(b);
        assertThat(java.util.Arrays.stream(a).boxed().toList()).allSatisfy(w -> assertThat(w).isBetween(0.0, 1.0));
        assertThat(SvmWeights.compute(PATTERNS, txns, fakes, new SvmOptions(20, 100, 0.01, -1, SEED + 1)))
                .isNotEqualTo(a);
    }

    @Test
    void softMarginSvmRanksTheFrequentIdealCheckoutsFirst() {
        List<SvmWeights.Anchor> fakes = new ArrayList<>();
        List<String> txns = transactions(new Random(SEED), 200, fakes);
        double[] w = SvmWeights.compute(PATTERNS, txns, fakes, new SvmOptions(20, 250, 0.01, -1, SEED));
        assertThat(w[0]).isGreaterThan(w[2]).isGreaterThan(w[3]);
        assertThat(w[1]).isGreaterThan(w[2]);
    }

    @Test
    void noSvmWeightsWithoutAnyIncident() {
        List<String> txns = transactions(new Random(SEED), 20, new ArrayList<>());
        assertThat(SvmWeights.compute(PATTERNS, txns, List.of(), SvmOptions.defaults(1))).isNull();
    }

    @Test
    void arrayShuffleMakesTheSamePermutationAsCollectionsShuffle() {
        for (int size : new int[] {0, 1, 4, 5, 37, 1000}) {
            List<Long> list = new ArrayList<>();
            long[] array = new long[size];
            for (int i = 0; i < size; i++) {
                list.add((long) i * 7);
                array[i] = (long) i * 7;
            }
            java.util.Collections.shuffle(list, new Random(size));
            SvmWeights.shuffle(array, new Random(size));
            assertThat(array).as("size %d", size).containsExactly(list.stream().mapToLong(Long::longValue).toArray());
        }
    }
}
