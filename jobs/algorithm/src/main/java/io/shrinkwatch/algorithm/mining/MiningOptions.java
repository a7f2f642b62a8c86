package io.shrinkwatch.algorithm.mining;

import io.shrinkwatch.algorithm.classify.Segmenter;
import io.shrinkwatch.algorithm.selection.PatternSelector;
import io.shrinkwatch.algorithm.teiresias.SupportMode;
import io.shrinkwatch.algorithm.weights.SvmOptions;
import io.shrinkwatch.schema.WeightScheme;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of a mining run, with the KDD'11 paper's values as defaults.
 *
 * @param lwMin smallest L = W (paper: 3)
 * @param lwMax largest L = W (paper: 10)
 * @param k minimum support (paper: 2)
 * @param supportMode what K counts (paper: transactions)
 * @param correlationThreshold clustering threshold (paper: 0.5)
 * @param svdRank columns of U for correlations, 0 = all non-zero singular values (paper)
 * @param svm SVM weight settings (paper: 100 splits, ~250 true-scan samples)
 * @param threshold default classification threshold written into the model (paper sweeps 0.5..0.9)
 * @param minFakeGapMs minimum gap between fake scans (paper: 3 s)
 * @param defaultScheme scheme the detector uses unless told otherwise; FREQUENCY_SVM falls back to FREQUENCY when
 *     the run has no confirmed incidents
 * @param incidentToleranceMs how far an incident's time may be from the S it names
 */
public record MiningOptions(int lwMin, int lwMax, int k, SupportMode supportMode, double correlationThreshold,
        int svdRank, SvmOptions svm, double threshold, long minFakeGapMs, WeightScheme defaultScheme,
        long incidentToleranceMs) {

    public static final double DEFAULT_THRESHOLD = 0.6;

    public MiningOptions {
        if (lwMin < 2 || lwMax < lwMin) {
            throw new IllegalArgumentException("need 2 <= lwMin <= lwMax, got " + lwMin + ".." + lwMax);
        }
    }

    public static MiningOptions defaults() {
        return new MiningOptions(3, 10, 2, SupportMode.SEQUENCES, PatternSelector.DEFAULT_CORRELATION_THRESHOLD, 0,
                SvmOptions.defaults(1L), DEFAULT_THRESHOLD, Segmenter.DEFAULT_MIN_FAKE_GAP_MS,
                WeightScheme.FREQUENCY_SVM, 1_500);
    }

    public MiningOptions withLw(int min, int max) {
        return new MiningOptions(min, max, k, supportMode, correlationThreshold, svdRank, svm, threshold, minFakeGapMs,
                defaultScheme, incidentToleranceMs);
    }

    public MiningOptions withSvm(SvmOptions s) {
        return new MiningOptions(lwMin, lwMax, k, supportMode, correlationThreshold, svdRank, s, threshold, minFakeGapMs,
                defaultScheme, incidentToleranceMs);
    }

    public MiningOptions withThreshold(double t) {
        return new MiningOptions(lwMin, lwMax, k, supportMode, correlationThreshold, svdRank, svm, t, minFakeGapMs,
                defaultScheme, incidentToleranceMs);
    }

    /** The parameters as text, for the model's self-description. */
    public Map<String, String> asParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("lw_min", Integer.toString(lwMin));
        p.put("lw_max", Integer.toString(lwMax));
        p.put("k", Integer.toString(k));
        p.put("support_mode", supportMode.name());
        p.put("correlation_threshold", Double.toString(correlationThreshold));
        p.put("svd_rank", Integer.toString(svdRank));
        p.put("svm_splits", Integer.toString(svm.splits()));
        p.put("svm_true_samples", Integer.toString(svm.trueSamplesPerSplit()));
        p.put("svm_c", Double.toString(svm.c()));
        p.put("svm_fake_value", Double.toString(svm.fakeValue()));
        p.put("seed", Long.toString(svm.seed()));
        p.put("incident_tolerance_ms", Long.toString(incidentToleranceMs));
        return p;
    }
}
