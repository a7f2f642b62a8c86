package io.shrinkwatch.algorithm.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * Weighted pattern votes and Bayesian labelling of every symbol (KDD'11 sections 4 and 4.1).
 *
 * <p>Every occurrence of positive pattern i adds {@code weights[i]} to the true-scan votes of each symbol it covers;
 * every occurrence of negative pattern i (the same pattern with B deleted) adds {@code weights[i]} to the fake-scan
 * votes. Posteriors are the votes normalised to sum 1 (equations 2-7). A symbol gets the class of the larger posterior
 * when that posterior is at least {@code threshold}; on an exact tie, or with no votes, it stays unclassified.
 * Both tables keep their pairing, so two positive patterns whose negatives coincide vote twice on the fake side.
 */
public final class VoteClassifier {

    private final PatternMatcher matcher;
    private final int patternCount;
    private final double[] weights;
    private final double threshold;

    /**
     * @param positives true-scan patterns (each with exactly one B)
     * @param negatives the fake-scan patterns, index-aligned with {@code positives}
     * @param weights one non-negative weight per pattern pair
     * @param threshold minimum posterior for a label, in (0, 1]
     */
    public VoteClassifier(List<String> positives, List<String> negatives, double[] weights, double threshold) {
        if (positives.size() != negatives.size() || positives.size() != weights.length) {
            throw new IllegalArgumentException("positives, negatives and weights must have the same size");
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0,1], got " + threshold);
        }
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and >= 0");
            }
        }
        List<String> all = new ArrayList<>(positives);
        all.addAll(negatives);
        this.matcher = new PatternMatcher(all);
        this.patternCount = positives.size();
        this.weights = weights.clone();
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    public Classification classify(CharSequence symbols) {
        int n = symbols.length();
        double[] diffT = new double[n + 1];
        double[] diffF = new double[n + 1];
        matcher.forEachMatch(symbols, (id, start, end) -> {
            if (id < patternCount) {
                diffT[start] += weights[id];
                diffT[end] -= weights[id];
            } else {
                double w = weights[id - patternCount];
                diffF[start] += w;
                diffF[end] -= w;
            }
        });
        double[] votesT = new double[n];
        double[] votesF = new double[n];
        Label[] labels = new Label[n];
        double t = 0;
        double f = 0;
        for (int i = 0; i < n; i++) {
            t += diffT[i];
            f += diffF[i];
            // Running sums of doubles can leave 1e-16 residue where no pattern covers a symbol.
            votesT[i] = t > 1e-12 ? t : 0;
            votesF[i] = f > 1e-12 ? f : 0;
            labels[i] = label(votesT[i], votesF[i]);
        }
        return new Classification(votesT, votesF, labels);
    }

    private Label label(double t, double f) {
        double total = t + f;
        if (total <= 0 || t == f) {
            return Label.UNCLASSIFIED;
        }
        if (t > f) {
            return t / total >= threshold ? Label.TRUE_SCAN : Label.UNCLASSIFIED;
        }
        return f / total >= threshold ? Label.FAKE_SCAN : Label.UNCLASSIFIED;
    }
}
