package io.shrinkwatch.algorithm.mining;

import io.shrinkwatch.algorithm.classify.SegmentationRules;
import io.shrinkwatch.algorithm.selection.PatternSelector;
import io.shrinkwatch.algorithm.teiresias.SupportMode;
import io.shrinkwatch.algorithm.weights.SvmOptions;
import io.shrinkwatch.schema.WeightScheme;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of a mining run, with the KDD'11 paper's values as defaults where the paper gives one.
 *
 * @param lwMin smallest L = W (paper: 3)
 * @param lwMax largest L = W (paper: 10)
 * @param k minimum support (paper: 2)
 * @param supportMode what K counts (paper: transactions)
 * @param correlationThreshold clustering threshold (paper: 0.5)
 * @param svdRank columns of U for correlations, 0 = all non-zero singular values (paper)
 * @param svm SVM weight settings (paper: 100 splits, ~250 true-scan samples; C not given, see {@link #DEFAULT_SVM_C})
 * @param threshold default classification threshold written into the model (paper sweeps 0.5..0.9)
 * @param rules segmentation rules written into the model (paper: 3 s gap; reconciliation is an extension)
 * @param plausibilityQuantile quantile of the training true scans' P-to-S and S-to-D gaps taken as the least gap a
 *     fake scan may show; 0 leaves the plausibility rule off (paper)
 * @param defaultScheme scheme the detector uses unless told otherwise (default SVM: best recall at equal precision on
 *     the simulator, see README); SVM and FREQUENCY_SVM fall back to FREQUENCY when
 *     the run has no confirmed incidents
 * @param incidentToleranceMs how far an incident's time may be from the S it names
 */
public record MiningOptions(int lwMin, int lwMax, int k, SupportMode supportMode, double correlationThreshold,
        int svdRank, SvmOptions svm, double threshold, SegmentationRules rules, double plausibilityQuantile,
        WeightScheme defaultScheme, long incidentToleranceMs) {

    /** Default threshold: the middle of the paper's 0.5..0.9 sweep where detections start to fall. */
    public static final double DEFAULT_THRESHOLD = 0.6;
    /**
     * liblinear C. The paper gives none; 0.01 (soft margin) reproduces its finding that the idealised checkouts PBSD
     * and PSBD get the largest weights, while C = 1 favours rare patterns (measured; see README).
     */
    public static final double DEFAULT_SVM_C = 0.01;
    /** Default plausibility quantile: the fastest 1% of true-scan motions. */
    public static final double DEFAULT_PLAUSIBILITY_QUANTILE = 0.01;

    public MiningOptions {
        if (lwMin < 2 || lwMax < lwMin) {
            throw new IllegalArgumentException("need 2 <= lwMin <= lwMax, got " + lwMin + ".." + lwMax);
        }
        if (!(plausibilityQuantile >= 0 && plausibilityQuantile < 0.5)) {
            throw new IllegalArgumentException("plausibility quantile must be in [0, 0.5), got " + plausibilityQuantile);
        }
    }

    public static MiningOptions defaults() {
        return new MiningOptions(3, 10, 2, SupportMode.SEQUENCES, PatternSelector.DEFAULT_CORRELATION_THRESHOLD, 0,
                new SvmOptions(SvmOptions.DEFAULT_SPLITS, SvmOptions.DEFAULT_TRUE_SAMPLES, DEFAULT_SVM_C, -1.0, 1L),
                DEFAULT_THRESHOLD, SegmentationRules.defaults(), DEFAULT_PLAUSIBILITY_QUANTILE,
                WeightScheme.SVM, 1_500);
    }

    /** The paper's method only: no reconciliation and no plausibility rule. */
    public static MiningOptions paper() {
        return defaults().withRules(SegmentationRules.paper(), 0);
    }

    public MiningOptions withLw(int min, int max) {
        return new MiningOptions(min, max, k, supportMode, correlationThreshold, svdRank, svm, threshold, rules,
                plausibilityQuantile, defaultScheme, incidentToleranceMs);
    }

    public MiningOptions withSvm(SvmOptions s) {
        return new MiningOptions(lwMin, lwMax, k, supportMode, correlationThreshold, svdRank, s, threshold, rules,
                plausibilityQuantile, defaultScheme, incidentToleranceMs);
    }

    public MiningOptions withThreshold(double t) {
        return new MiningOptions(lwMin, lwMax, k, supportMode, correlationThreshold, svdRank, svm, t, rules,
                plausibilityQuantile, defaultScheme, incidentToleranceMs);
    }

    public MiningOptions withRules(SegmentationRules r, double quantile) {
        return new MiningOptions(lwMin, lwMax, k, supportMode, correlationThreshold, svdRank, svm, threshold, r,
                quantile, defaultScheme, incidentToleranceMs);
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
        p.put("plausibility_quantile", Double.toString(plausibilityQuantile));
        return p;
    }
}
