package io.shrinkwatch.cli;

import io.shrinkwatch.algorithm.classify.SegmentationRules;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.algorithm.weights.SvmOptions;
import io.shrinkwatch.schema.WeightScheme;
import picocli.CommandLine.Option;

/** The mining parameters shared by {@code mine} and {@code remine}, with the paper's values as defaults. */
final class MiningFlags {

    @Option(names = "--lw-min", defaultValue = "3", description = "Smallest L=W (default ${DEFAULT-VALUE}, paper).")
    int lwMin;

    @Option(names = "--lw-max", defaultValue = "10", description = "Largest L=W (default ${DEFAULT-VALUE}, paper).")
    int lwMax;

    @Option(names = "-K", defaultValue = "2", description = "Minimum support (default ${DEFAULT-VALUE}, paper).")
    int k;

    @Option(names = "--support", defaultValue = "seq", description = "What K counts: seq (transactions, paper) or occ.")
    String support;

    @Option(names = "--correlation", defaultValue = "0.5", description = "Clustering correlation threshold "
            + "(default ${DEFAULT-VALUE}, paper).")
    double correlation;

    @Option(names = "--svd-rank", defaultValue = "0", description = "Columns of U for correlations; 0 = all non-zero "
            + "singular values (default, paper).")
    int svdRank;

    @Option(names = "--svm-splits", defaultValue = "100", description = "Random half splits (default ${DEFAULT-VALUE}, paper).")
    int svmSplits;

    @Option(names = "--svm-samples", defaultValue = "250", description = "True-scan points per split (default ${DEFAULT-VALUE}).")
    int svmSamples;

    @Option(names = "--svm-c", defaultValue = "" + MiningOptions.DEFAULT_SVM_C,
            description = "liblinear C; not given in the paper (default ${DEFAULT-VALUE}).")
    double svmC;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the SVM splits (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threshold", defaultValue = "" + MiningOptions.DEFAULT_THRESHOLD,
            description = "Default classification threshold stored in the model (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--min-fake-gap-ms", defaultValue = "3000", description = "Minimum gap between two fake scans "
            + "(default ${DEFAULT-VALUE}, paper).")
    long minFakeGapMs;

    @Option(names = "--reconcile-before-ms", defaultValue = "1000", description = "Withdraw a fake scan when an orphaned "
            + "barcode registered this long before its scan motion (default ${DEFAULT-VALUE}; 0 and "
            + "--reconcile-after-ms 0 = the paper's segmentation).")
    long reconcileBeforeMs;

    @Option(names = "--reconcile-after-ms", defaultValue = "3000", description = "Withdraw a fake scan when an orphaned "
            + "barcode registered this long after its scan motion (default ${DEFAULT-VALUE}).")
    long reconcileAfterMs;

    @Option(names = "--align-scans", description = "Also withdraw a fake scan whose scan motion the in-order "
            + "alignment of scan motions to barcodes pairs with a barcode (stored in the model; on twelve simulated "
            + "days about half the false alerts and 4 %% of the found ones).")
    boolean alignScans;

    @Option(names = "--unscanned-items", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also raise items picked up and dropped with neither a scan motion nor a barcode between "
            + "(passed around the scanner, or scanned unseen), within the training true scans' pickup-to-drop range "
            + "at the plausibility quantile (default on; --no-unscanned-items: off).")
    boolean unscannedItems;

    @Option(names = "--plausibility-quantile", defaultValue = "0.01", description = "Quantile of the training true "
            + "scans' P->S and S->D gaps below which a fake scan is implausible; 0 = off (default ${DEFAULT-VALUE}).")
    double plausibilityQuantile;

    @Option(names = "--paper", description = "The paper's segmentation only: no barcode reconciliation, no "
            + "scan alignment, no plausibility rule, no unscanned items (overrides the options above).")
    boolean paper;

    @Option(names = "--scheme", defaultValue = "SVM", description = "Default weight scheme stored in the "
            + "model: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    WeightScheme scheme;

    MiningOptions options() {
        return new MiningOptions(lwMin, lwMax, k, TeiresiasCommand.supportMode(support), correlation, svdRank,
                new SvmOptions(svmSplits, svmSamples, svmC, -1.0, seed), threshold,
                paper ? SegmentationRules.paper()
                        : new SegmentationRules(minFakeGapMs, reconcileBeforeMs, reconcileAfterMs, 0, 0, alignScans,
                                unscannedItems, 0, 0),
                paper ? 0 : plausibilityQuantile, scheme, 1_500);
    }
}
