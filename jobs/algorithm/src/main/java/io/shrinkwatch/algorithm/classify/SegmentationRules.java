package io.shrinkwatch.algorithm.classify;

/**
 * The constraints a fake scan must meet (KDD'11 section 4.2 plus two documented extensions).
 *
 * @param minFakeGapMs successive fake scans at least this far apart, between scan motions (paper: 3 s)
 * @param reconcileBeforeMs an orphaned barcode up to this long before the scan motion withdraws the candidate
 *     (extension; 0 = off)
 * @param reconcileAfterMs an orphaned barcode up to this long after the scan motion withdraws it (extension; 0 = off)
 * @param minPickupToScanMs the pickup must precede the scan motion by at least this much (extension, learned from the
 *     training lanes; 0 = off)
 * @param minScanToDropMs the drop must follow the scan motion by at least this much (extension, learned; 0 = off)
 * @param alignScans also withdraw a candidate whose scan motion the in-order alignment of scan motions to barcodes
 *     pairs with a barcode (extension, see {@link Segmenter}; false = off)
 */
public record SegmentationRules(long minFakeGapMs, long reconcileBeforeMs, long reconcileAfterMs,
        long minPickupToScanMs, long minScanToDropMs, boolean alignScans) {

    /** The paper's minimum time between two successive fake scans. */
    public static final long PAPER_MIN_FAKE_GAP_MS = 3_000;
    /** Default: an orphaned barcode up to 1 s before the scan motion explains it (beeps precede S by up to ~0.5 s). */
    public static final long DEFAULT_RECONCILE_BEFORE_MS = 1_000;
    /** Default: an orphaned barcode up to 3 s after the scan motion explains it (a late registration). */
    public static final long DEFAULT_RECONCILE_AFTER_MS = 3_000;

    public SegmentationRules {
        if (minFakeGapMs < 0 || reconcileBeforeMs < 0 || reconcileAfterMs < 0 || minPickupToScanMs < 0
                || minScanToDropMs < 0) {
            throw new IllegalArgumentException("segmentation rules must be >= 0: " + this);
        }
    }

    /** Without scan alignment. */
    public SegmentationRules(long minFakeGapMs, long reconcileBeforeMs, long reconcileAfterMs, long minPickupToScanMs,
            long minScanToDropMs) {
        this(minFakeGapMs, reconcileBeforeMs, reconcileAfterMs, minPickupToScanMs, minScanToDropMs, false);
    }

    /** Exactly the paper's segmentation. */
    public static SegmentationRules paper() {
        return new SegmentationRules(PAPER_MIN_FAKE_GAP_MS, 0, 0, 0, 0);
    }

    /** The paper's rules with barcode reconciliation; plausibility bounds are learned by the miner. */
    public static SegmentationRules defaults() {
        return new SegmentationRules(PAPER_MIN_FAKE_GAP_MS, DEFAULT_RECONCILE_BEFORE_MS, DEFAULT_RECONCILE_AFTER_MS, 0, 0);
    }

    public SegmentationRules withPlausibility(long pickupToScanMs, long scanToDropMs) {
        return new SegmentationRules(minFakeGapMs, reconcileBeforeMs, reconcileAfterMs, pickupToScanMs, scanToDropMs,
                alignScans);
    }

    public SegmentationRules withAlignScans(boolean on) {
        return new SegmentationRules(minFakeGapMs, reconcileBeforeMs, reconcileAfterMs, minPickupToScanMs,
                minScanToDropMs, on);
    }
}
