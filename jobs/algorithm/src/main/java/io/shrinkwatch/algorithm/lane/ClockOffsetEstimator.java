package io.shrinkwatch.algorithm.lane;

import java.util.Arrays;

/**
 * Estimates a lane's camera-minus-POS clock offset from when scan motions (S, camera clock) and barcodes (B, POS
 * clock) happen.
 *
 * <p>Method: every (S, B) pair closer than {@code maxAbsOffsetMs} votes for its difference {@code s - b} in a
 * histogram of {@code binMs} bins; pairs that belong together pile up at the true offset (plus the lane's typical
 * scan-to-beep lag), unrelated pairs spread evenly. The estimate is the centre of the fullest window of
 * {@code 2*smoothBins+1} bins, refined to the median of the differences inside it. The estimate is piecewise
 * constant over POS time buckets of {@code bucketMs} so slow drift is followed; a bucket with fewer than
 * {@code minBarcodes} barcodes takes the estimate of the whole input.
 */
public final class ClockOffsetEstimator {

    /** Default search range: offsets up to 30 s either way. */
    public static final long DEFAULT_MAX_ABS_OFFSET_MS = 30_000;
    /** Default piece length: one hour, short enough to follow tens of ppm of drift to within ~0.1 s. */
    public static final long DEFAULT_BUCKET_MS = 3_600_000;

    private final long maxAbsOffsetMs;
    private final long bucketMs;
    private final int binMs = 50;
    private final int smoothBins = 2;
    private final int minBarcodes = 40;

    public ClockOffsetEstimator() {
        this(DEFAULT_MAX_ABS_OFFSET_MS, DEFAULT_BUCKET_MS);
    }

    public ClockOffsetEstimator(long maxAbsOffsetMs, long bucketMs) {
        this.maxAbsOffsetMs = maxAbsOffsetMs;
        this.bucketMs = bucketMs;
    }

    /**
     * @param scanTimes camera times of S primitives, sorted
     * @param barcodeTimes POS times of ITEM events, sorted
     * @return offsets for this lane (empty when there is nothing to estimate from)
     */
    public void estimate(LaneKey lane, long[] scanTimes, long[] barcodeTimes, ClockOffsets into) {
        if (scanTimes.length == 0 || barcodeTimes.length == 0) {
            return;
        }
        Long global = estimateRange(scanTimes, barcodeTimes, 0, barcodeTimes.length);
        if (global == null) {
            return;
        }
        into.put(lane, Long.MIN_VALUE, global);
        int from = 0;
        while (from < barcodeTimes.length) {
            long bucketStart = Math.floorDiv(barcodeTimes[from], bucketMs) * bucketMs;
            int to = from;
            while (to < barcodeTimes.length && barcodeTimes[to] < bucketStart + bucketMs) {
                to++;
            }
            Long local = to - from >= minBarcodes ? estimateRange(scanTimes, barcodeTimes, from, to) : null;
            into.put(lane, from == 0 ? Long.MIN_VALUE : bucketStart, local != null ? local : global);
            from = to;
        }
    }

    /**
     * One offset from all the given times (no pieces), or null when no scan and barcode are close enough.
     *
     * @param scanTimes camera times of S primitives, sorted
     * @param barcodeTimes POS times of barcodes, sorted
     */
    public Long estimateAll(long[] scanTimes, long[] barcodeTimes) {
        return scanTimes.length == 0 || barcodeTimes.length == 0 ? null
                : estimateRange(scanTimes, barcodeTimes, 0, barcodeTimes.length);
    }

    private Long estimateRange(long[] s, long[] b, int from, int to) {
        int bins = (int) (2 * maxAbsOffsetMs / binMs) + 1;
        int[] hist = new int[bins];
        int lo = 0;
        int pairs = 0;
        for (int i = from; i < to; i++) {
            long bt = b[i];
            while (lo < s.length && s[lo] < bt - maxAbsOffsetMs) {
                lo++;
            }
            for (int j = lo; j < s.length && s[j] <= bt + maxAbsOffsetMs; j++) {
                hist[(int) ((s[j] - bt + maxAbsOffsetMs) / binMs)]++;
                pairs++;
            }
        }
        if (pairs == 0) {
            return null;
        }
        // The fullest window of 2*smoothBins+1 bins (clipped at the ends), the first on a tie; its sum slides along.
        int best = 0;
        long bestSum = -1;
        long sum = 0;
        for (int d = 0; d <= Math.min(bins - 1, smoothBins - 1); d++) {
            sum += hist[d];
        }
        for (int c = 0; c < bins; c++) {
            if (c + smoothBins < bins) {
                sum += hist[c + smoothBins];
            }
            if (c - smoothBins - 1 >= 0) {
                sum -= hist[c - smoothBins - 1];
            }
            if (sum > bestSum) {
                bestSum = sum;
                best = c;
            }
        }
        long windowLo = (long) Math.max(0, best - smoothBins) * binMs - maxAbsOffsetMs;
        long windowHi = (long) (Math.min(bins - 1, best + smoothBins) + 1) * binMs - maxAbsOffsetMs;
        long[] inWindow = new long[(int) bestSum];
        int n = 0;
        lo = 0;
        for (int i = from; i < to; i++) {
            long bt = b[i];
            while (lo < s.length && s[lo] < bt + windowLo) {
                lo++;
            }
            for (int j = lo; j < s.length && s[j] - bt < windowHi && n < inWindow.length; j++) {
                inWindow[n++] = s[j] - bt;
            }
        }
        Arrays.sort(inWindow, 0, n);
        return n == 0 ? null : inWindow[n / 2];
    }
}
