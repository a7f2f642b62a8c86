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
 * @param unscannedItems also raise items picked up and dropped with neither a scan motion nor a barcode between
 *     (extension, see {@link Segmenter}; needs {@code maxPickupToDropMs}; false = off)
 * @param minPickupToDropMs an unscanned item's drop follows its pickup by at least this much (learned; 0 = no bound)
 * @param maxPickupToDropMs and by at most this much (learned); 0 leaves unscanned items off
 */
public record SegmentationRules(long minFakeGapMs, long reconcileBeforeMs, long reconcileAfterMs,
        long minPickupToScanMs, long minScanToDropMs, boolean alignScans, boolean unscannedItems,
        long minPickupToDropMs, long maxPickupToDropMs) {

    /** The paper's minimum time between two successive fake scans. */
    public static final long PAPER_MIN_FAKE_GAP_MS = 3_000;
    /** Default: an orphaned barcode up to 1 s before the scan motion explains it (beeps precede S by up to ~0.5 s). */
    public static final long DEFAULT_RECONCILE_BEFORE_MS = 1_000;
    /** Default: an orphaned barcode up to 3 s after the scan motion explains it (a late registration). */
    public static final long DEFAULT_RECONCILE_AFTER_MS = 3_000;

    public SegmentationRules {
        if (minFakeGapMs < 0 || reconcileBeforeMs < 0 || reconcileAfterMs < 0 || minPickupToScanMs < 0
                || minScanToDropMs < 0 || minPickupToDropMs < 0 || maxPickupToDropMs < 0) {
            throw new IllegalArgumentException("segmentation rules must be >= 0: " + this);
        }
        if (maxPickupToDropMs > 0 && maxPickupToDropMs < minPickupToDropMs) {
            throw new IllegalArgumentException("unscanned items: max pickup-to-drop below the min: " + this);
        }
    }

    /** Without unscanned items. */
    public SegmentationRules(long minFakeGapMs, long reconcileBeforeMs, long reconcileAfterMs, long minPickupToScanMs,
            long minScanToDropMs, boolean alignScans) {
        this(minFakeGapMs, reconcileBeforeMs, reconcileAfterMs, minPickupToScanMs, minScanToDropMs, alignScans, false,
                0, 0);
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

    /**
     * The paper's rules with barcode reconciliation and unscanned items; the plausibility bounds and the unscanned
     * items' pickup-to-drop range are learned by the miner.
     */
    public static SegmentationRules defaults() {
        return new SegmentationRules(PAPER_MIN_FAKE_GAP_MS, DEFAULT_RECONCILE_BEFORE_MS, DEFAULT_RECONCILE_AFTER_MS, 0, 0,
                false, true, 0, 0);
    }

    public SegmentationRules withPlausibility(long pickupToScanMs, long scanToDropMs) {
        return new SegmentationRules(minFakeGapMs, reconcileBeforeMs, reconcileAfterMs, pickupToScanMs, scanToDropMs,
                alignScans, unscannedItems, minPickupToDropMs, maxPickupToDropMs);
    }

    public SegmentationRules withAlignScans(boolean on) {
        return new SegmentationRules(minFakeGapMs, reconcileBeforeMs, reconcileAfterMs, minPickupToScanMs,
                minScanToDropMs, on, unscannedItems, minPickupToDropMs, maxPickupToDropMs);
    }

    /** Unscanned items on or off, with their pickup-to-drop range (0, 0 until learned). */
    public SegmentationRules withUnscannedItems(boolean on, long minPickupToDrop, long maxPickupToDrop) {
        return new SegmentationRules(minFakeGapMs, reconcileBeforeMs, reconcileAfterMs, minPickupToScanMs,
                minScanToDropMs, alignScans, on, minPickupToDrop, maxPickupToDrop);
    }

    /** Whether the segmenter looks for unscanned items: switched on and given a learned range. */
    public boolean findsUnscannedItems() {
        return unscannedItems && maxPickupToDropMs > 0;
    }
}
