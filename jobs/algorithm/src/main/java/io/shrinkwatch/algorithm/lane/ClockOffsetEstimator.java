package io.shrinkwatch.algorithm.lane;

/**
 * Estimates a lane's camera-minus-POS clock offset from when scan motions (S, camera clock) and barcodes (B, POS
 * clock) happen.
 *
 * <p>Method: every (S, B) pair closer than {@code maxAbsOffsetMs} votes for its difference {@code s - b} in a
 * histogram of {@code BIN_MS} bins; pairs that belong together pile up at the true offset (plus the lane's typical
 * scan-to-beep lag), unrelated pairs spread evenly. The estimate is the centre of the fullest window of
 * {@code 2*SMOOTH_BINS+1} bins, refined to the median of the differences inside it. The estimate is piecewise
 * constant over POS time buckets of {@code bucketMs} so slow drift is followed; a bucket with fewer than
 * {@code MIN_BARCODES} barcodes takes the estimate of the whole input.
 *
 * <p>{@link #estimateWithSupport} also says how far to trust one estimate (session 11): a dozen barcodes, a lane's
 * first transaction, can pile as many differences at a neighbouring item's scan motion (about 2.9 s off) as at the
 * true offset, and a wrong offset misplaces every barcode. An estimate is {@link Estimate#trusted()} when its window
 * holds at least {@link #MIN_TRUSTED_PEAK} differences and at least {@link #MIN_PEAK_TO_RIVAL} times as many as the
 * fullest window more than {@link #RIVAL_DISTANCE_MS} away. Measured on simulated lanes with their first 6 / 15 minutes
 * only (scratch harness, 40 stores x 8 lanes, seed 7): trusted estimates were off by more than 250 ms on 3 of 173 / 0
 * of 268 lanes, the others on 26 of 67 / 15 of 35; after an hour every lane's estimate is trusted.
 */
public final class ClockOffsetEstimator {

    /** Default search range: offsets up to 30 s either way. */
    public static final long DEFAULT_MAX_ABS_OFFSET_MS = 30_000;
    /** Default piece length: one hour, short enough to follow tens of ppm of drift to within ~0.1 s. */
    public static final long DEFAULT_BUCKET_MS = 3_600_000;

    private final long maxAbsOffsetMs;
    private final long bucketMs;
    // Constants, not fields: the histogram's divisions by the bin width compile to multiplications.
    private static final int BIN_MS = 50;
    private static final int SMOOTH_BINS = 2;
    private static final int MIN_BARCODES = 40;
    /** A trusted estimate's window holds at least this many scan-minus-barcode differences. */
    public static final int MIN_TRUSTED_PEAK = 3;
    /** And at least this many times as many as its strongest rival window. */
    public static final double MIN_PEAK_TO_RIVAL = 1.5;
    /** A rival window is centred farther than this from the estimate's (a neighbouring item's scan motion). */
    public static final long RIVAL_DISTANCE_MS = 500;

    /**
     * One offset with its support.
     *
     * @param offsetMs the estimate
     * @param peak differences in the estimate's window
     * @param rival differences in the fullest window centred more than {@link #RIVAL_DISTANCE_MS} away
     */
    public record Estimate(long offsetMs, long peak, long rival) {

        /** Whether the estimate has the support described in the class comment. */
        public boolean trusted() {
            return peak >= MIN_TRUSTED_PEAK && peak >= MIN_PEAK_TO_RIVAL * rival;
        }
    }

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
            into.markUntrusted(lane);
            return;
        }
        Estimate whole = estimateRangeWithSupport(scanTimes, barcodeTimes, 0, barcodeTimes.length);
        if (whole == null) {
            into.markUntrusted(lane);
            return;
        }
        // Trusted when the whole input's estimate or any hour's is: a drifting clock spreads a day's differences so
        // the whole-day peak may have a rival near it while every hour's is sharp (two of twelve simulated 16-hour
        // days had such a lane); a short input has one thin hour and no more.
        boolean trusted = whole.trusted();
        long global = whole.offsetMs();
        into.put(lane, Long.MIN_VALUE, global);
        int from = 0;
        while (from < barcodeTimes.length) {
            long bucketStart = Math.floorDiv(barcodeTimes[from], bucketMs) * bucketMs;
            int to = from;
            while (to < barcodeTimes.length && barcodeTimes[to] < bucketStart + bucketMs) {
                to++;
            }
            Estimate local = to - from >= MIN_BARCODES ? estimateRangeWithSupport(scanTimes, barcodeTimes, from, to)
                    : null;
            trusted |= local != null && local.trusted();
            into.put(lane, from == 0 ? Long.MIN_VALUE : bucketStart, local != null ? local.offsetMs() : global);
            from = to;
        }
        if (!trusted) {
            into.markUntrusted(lane);
        }
    }

    /**
     * One offset from all the given times (no pieces), or null when no scan and barcode are close enough.
     *
     * @param scanTimes camera times of S primitives, sorted
     * @param barcodeTimes POS times of barcodes, sorted
     */
    public Long estimateAll(long[] scanTimes, long[] barcodeTimes) {
        Estimate e = estimateWithSupport(scanTimes, barcodeTimes);
        return e == null ? null : e.offsetMs();
    }

    /** {@link #estimateAll} with the estimate's support; null when no scan and barcode are close enough. */
    public Estimate estimateWithSupport(long[] scanTimes, long[] barcodeTimes) {
        return scanTimes.length == 0 || barcodeTimes.length == 0 ? null
                : estimateRangeWithSupport(scanTimes, barcodeTimes, 0, barcodeTimes.length);
    }

    private Estimate estimateRangeWithSupport(long[] s, long[] b, int from, int to) {
        int bins = (int) (2 * maxAbsOffsetMs / BIN_MS) + 1;
        int[] hist = new int[bins];
        int lo = 0;
        int pairs = 0;
        for (int i = from; i < to; i++) {
            long bt = b[i];
            while (lo < s.length && s[lo] < bt - maxAbsOffsetMs) {
                lo++;
            }
            for (int j = lo; j < s.length && s[j] <= bt + maxAbsOffsetMs; j++) {
                hist[(int) ((s[j] - bt + maxAbsOffsetMs) / BIN_MS)]++;
                pairs++;
            }
        }
        if (pairs == 0) {
            return null;
        }
        // Every window of 2*SMOOTH_BINS+1 bins (clipped at the ends), its sum sliding along; the fullest is the
        // first on a tie, its rival the fullest centred more than RIVAL_DISTANCE_MS away.
        long[] windows = new long[bins];
        long sum = 0;
        for (int d = 0; d <= Math.min(bins - 1, SMOOTH_BINS - 1); d++) {
            sum += hist[d];
        }
        int best = 0;
        for (int c = 0; c < bins; c++) {
            if (c + SMOOTH_BINS < bins) {
                sum += hist[c + SMOOTH_BINS];
            }
            if (c - SMOOTH_BINS - 1 >= 0) {
                sum -= hist[c - SMOOTH_BINS - 1];
            }
            windows[c] = sum;
            if (sum > windows[best]) {
                best = c;
            }
        }
        long bestSum = windows[best];
        long rival = 0;
        int rivalBins = (int) (RIVAL_DISTANCE_MS / BIN_MS);
        for (int c = 0; c < bins; c++) {
            if (Math.abs(c - best) > rivalBins) {
                rival = Math.max(rival, windows[c]);
            }
        }
        long windowLo = (long) Math.max(0, best - SMOOTH_BINS) * BIN_MS - maxAbsOffsetMs;
        long windowHi = (long) (Math.min(bins - 1, best + SMOOTH_BINS) + 1) * BIN_MS - maxAbsOffsetMs;
        // The median of the differences in the window, counted per millisecond instead of collected and sorted: the
        // window is at most (2 * SMOOTH_BINS + 1) * BIN_MS wide, and a settle in the streaming job pays this for half
        // an hour of a lane's barcodes (the sort was a fifth of the estimate's profile samples).
        int[] perMs = new int[(int) (windowHi - windowLo)];
        long cap = bestSum;
        int n = 0;
        lo = 0;
        for (int i = from; i < to; i++) {
            long bt = b[i];
            while (lo < s.length && s[lo] < bt + windowLo) {
                lo++;
            }
            for (int j = lo; j < s.length && s[j] - bt < windowHi && n < cap; j++) {
                perMs[(int) (s[j] - bt - windowLo)]++;
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        int seen = 0;
        for (int d = 0; ; d++) {
            seen += perMs[d];
            if (seen > n / 2) {
                return new Estimate(windowLo + d, bestSum, rival);
            }
        }
    }
}
