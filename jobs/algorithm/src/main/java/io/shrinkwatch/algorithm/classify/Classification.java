package io.shrinkwatch.algorithm.classify;

/**
 * Votes, posteriors and labels of every symbol of one sequence.
 *
 * @param votesTrue accumulated positive-pattern weight per symbol
 * @param votesFake accumulated negative-pattern weight per symbol
 * @param labels label per symbol
 */
public record Classification(double[] votesTrue, double[] votesFake, Label[] labels) {

    /** P(T|p): the true-scan share of the votes, 0 when nothing voted. */
    public double posteriorTrue(int i) {
        double total = votesTrue[i] + votesFake[i];
        return total > 0 ? votesTrue[i] / total : 0;
    }

    /** P(F|p): the fake-scan share of the votes, 0 when nothing voted. */
    public double posteriorFake(int i) {
        double total = votesTrue[i] + votesFake[i];
        return total > 0 ? votesFake[i] / total : 0;
    }

    public int count(Label label) {
        int n = 0;
        for (Label l : labels) {
            if (l == label) {
                n++;
            }
        }
        return n;
    }
}
