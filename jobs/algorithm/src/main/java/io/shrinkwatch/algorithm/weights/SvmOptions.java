package io.shrinkwatch.algorithm.weights;

/**
 * Settings of the zero-bias SVM weights (KDD'11 section 5.2).
 *
 * @param splits random half splits whose weights are averaged (paper: 100)
 * @param trueSamplesPerSplit true-scan points sampled from the training half (paper: "a few hundreds", ~250)
 * @param c liblinear's cost parameter C (not given in the paper; liblinear's default 1)
 * @param fakeValue the one negative value every fake-scan match gets (paper: "the same negative value")
 * @param seed seed of the splits and samples
 */
public record SvmOptions(int splits, int trueSamplesPerSplit, double c, double fakeValue, long seed) {

    public static final int DEFAULT_SPLITS = 100;
    public static final int DEFAULT_TRUE_SAMPLES = 250;

    public SvmOptions {
        if (splits < 1 || trueSamplesPerSplit < 1 || !(c > 0) || !(fakeValue < 0)) {
            throw new IllegalArgumentException("need splits >= 1, samples >= 1, C > 0, fakeValue < 0");
        }
    }

    public static SvmOptions defaults(long seed) {
        return new SvmOptions(DEFAULT_SPLITS, DEFAULT_TRUE_SAMPLES, 1.0, -1.0, seed);
    }
}
