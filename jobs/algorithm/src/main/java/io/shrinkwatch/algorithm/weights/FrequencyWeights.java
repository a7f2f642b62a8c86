package io.shrinkwatch.algorithm.weights;

import io.shrinkwatch.algorithm.selection.SelectedPattern;
import java.util.List;

/**
 * Inverse-frequency weights (KDD'11 section 5.1): inversely proportional to a pattern's occurrences in the training
 * transactions. The constant is chosen so the largest weight is 1, which puts them on the SVM weights' scale for the
 * frequency+SVM sum (the paper does not give the constant; only ratios matter for voting alone).
 */
public final class FrequencyWeights {

    private FrequencyWeights() {
    }

    public static double[] compute(List<SelectedPattern> patterns) {
        long min = Long.MAX_VALUE;
        for (SelectedPattern p : patterns) {
            min = Math.min(min, p.occurrences());
        }
        double[] w = new double[patterns.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (double) min / patterns.get(i).occurrences();
        }
        return w;
    }
}
