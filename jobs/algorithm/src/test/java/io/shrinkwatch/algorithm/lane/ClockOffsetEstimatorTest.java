package io.shrinkwatch.algorithm.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests of the camera-minus-POS clock offset estimate: recovery, drift, and when it is trusted. */
class ClockOffsetEstimatorTest {

    private static final long SEED = 99L;
    /** Half a histogram bin plus the jitter's spread on the median. */
    private static final long TOLERANCE_MS = 60;

    @Test
    void recoversAConstantOffsetAmongUnrelatedScans() {
        Random rnd = new Random(SEED);
        int n = 2_000;
        long[] barcodes = new long[n];
        long[] scans = new long[2 * n];
        long t = 1_767_261_600_000L;
        for (int i = 0; i < n; i++) {
            t += 1_500 + rnd.nextInt(3_000);
            barcodes[i] = t;
            scans[2 * i] = t + 1_234 + Math.round(rnd.nextGaussian() * 30);
            scans[2 * i + 1] = t + rnd.nextInt(20_000) - 10_000;
        }
        Arrays.sort(scans);
        ClockOffsets out = new ClockOffsets();
        LaneKey lane = new LaneKey("S", "L");
        new ClockOffsetEstimator().estimate(lane, scans, barcodes, out);
        assertThat((double) out.offset(lane, barcodes[n / 2])).isCloseTo(1_234, within((double) TOLERANCE_MS));
    }

    @Test
    void trustsAnEstimateWithManyPairsBehindIt() {
        Random rnd = new Random(SEED + 2);
        long[] barcodes = new long[30];
        long[] scans = new long[30];
        long t = 1_000_000;
        for (int i = 0; i < 30; i++) {
            t += 1_500 + rnd.nextInt(3_000);
            barcodes[i] = t;
            scans[i] = t + 800;
        }
        ClockOffsetEstimator.Estimate e = new ClockOffsetEstimator().estimateWithSupport(scans, barcodes);
        assertThat(e.offsetMs()).isEqualTo(800);
        assertThat(e.peak()).isEqualTo(30);
        assertThat(e.rival()).isLessThan(20);
        assertThat(e.trusted()).isTrue();
        // Items exactly as far apart pile their neighbours' differences as high: then nothing is trusted.
        for (int i = 0; i < 30; i++) {
            barcodes[i] = 1_000_000 + 2_900L * i;
            scans[i] = barcodes[i] + 800;
        }
        assertThat(new ClockOffsetEstimator().estimateWithSupport(scans, barcodes).trusted()).isFalse();
    }

    @Test
    void doesNotTrustTwoBarcodesNorAPeakWithAnEqualRival() {
        ClockOffsetEstimator est = new ClockOffsetEstimator();
        assertThat(est.estimateWithSupport(new long[] {10_800, 13_700}, new long[] {10_000, 12_900}).trusted())
                .as("two pairs").isFalse();
        // Three barcodes each 2.9 s from two scan motions: the differences pile at +800 ms and -2,100 ms alike.
        long[] barcodes = {10_000, 12_900, 15_800};
        long[] scans = {10_800, 13_700, 16_600, 7_900};
        ClockOffsetEstimator.Estimate e = est.estimateWithSupport(scans, barcodes);
        assertThat(e.peak()).isEqualTo(3);
        assertThat(e.rival()).isEqualTo(3);
        assertThat(e.trusted()).isFalse();
        assertThat(est.estimateWithSupport(new long[0], barcodes)).isNull();
    }

    @Test
    void followsDriftPieceByPiece() {
        Random rnd = new Random(SEED + 1);
        int n = 20_000;
        long[] barcodes = new long[n];
        long[] scans = new long[n];
        long start = 1_767_261_600_000L;
        long t = start;
        for (int i = 0; i < n; i++) {
            t += 2_000 + rnd.nextInt(1_000);
            barcodes[i] = t;
            long drift = (t - start) / 20_000;
            scans[i] = t + 500 + drift + Math.round(rnd.nextGaussian() * 20);
        }
        ClockOffsets out = new ClockOffsets();
        LaneKey lane = new LaneKey("S", "L");
        new ClockOffsetEstimator().estimate(lane, scans, barcodes, out);
        long late = barcodes[n - 1];
        assertThat((double) out.offset(lane, late)).isCloseTo(500 + (late - start) / 20_000.0, within(120.0));
        assertThat((double) out.offset(lane, barcodes[0])).isCloseTo(500, within(120.0));
    }

    @Test
    void leavesALaneWithoutScansAtOffsetZeroAndUntrusted() {
        ClockOffsets out = new ClockOffsets();
        new ClockOffsetEstimator().estimate(new LaneKey("S", "L"), new long[0], new long[] {1, 2}, out);
        assertThat(out.offset(new LaneKey("S", "L"), 5)).isZero();
        assertThat(out.trusted(new LaneKey("S", "L"))).isFalse();
    }

    @Test
    void marksALaneUntrustedWhenItsWholeInputIsThin() {
        LaneKey busy = new LaneKey("S", "L1");
        LaneKey thin = new LaneKey("S", "L2");
        Random rnd = new Random(SEED + 3);
        long[] barcodes = new long[40];
        long[] scans = new long[40];
        long t = 1_000_000;
        for (int i = 0; i < barcodes.length; i++) {
            t += 1_500 + rnd.nextInt(3_000);
            barcodes[i] = t;
            scans[i] = t + 800;
        }
        ClockOffsets out = new ClockOffsets();
        ClockOffsetEstimator est = new ClockOffsetEstimator();
        est.estimate(busy, scans, barcodes, out);
        est.estimate(thin, new long[] {10_800, 13_700}, new long[] {10_000, 12_900}, out);
        assertThat(out.trusted(busy)).isTrue();
        assertThat(out.trusted(thin)).isFalse();
        assertThat(out.offset(thin, 11_000)).as("still estimated, for whoever takes it").isEqualTo(800);
        assertThat(ClockOffsets.none().put(thin, Long.MIN_VALUE, 5).trusted(thin)).as("set by hand").isTrue();
    }

    @Test
    void takesTheMedianDifferenceInTheFullestFiveBinWindowAsItsDefinitionSays() {
        Random rnd = new Random(SEED + 2);
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(2_000, ClockOffsetEstimator.DEFAULT_BUCKET_MS);
        for (int round = 0; round < 500; round++) {
            long[] scans = rnd.longs(rnd.nextInt(30), 0, 20_000).sorted().toArray();
            long[] barcodes = rnd.longs(rnd.nextInt(30), 0, 20_000).sorted().toArray();
            assertThat(estimator.estimateAll(scans, barcodes)).as("round %d", round)
                    .isEqualTo(reference(scans, barcodes, 2_000));
        }
    }

    /** The estimate written from the class's definition: 50 ms bins, windows of 5 (clipped), first fullest wins. */
    private static Long reference(long[] scans, long[] barcodes, long max) {
        int bins = (int) (2 * max / 50) + 1;
        int[] hist = new int[bins];
        java.util.List<Long> diffs = new java.util.ArrayList<>();
        for (long b : barcodes) {
            for (long s : scans) {
                if (Math.abs(s - b) <= max) {
                    hist[(int) ((s - b + max) / 50)]++;
                    diffs.add(s - b);
                }
            }
        }
        if (diffs.isEmpty()) {
            return null;
        }
        int best = 0;
        long bestSum = -1;
        for (int c = 0; c < bins; c++) {
            long sum = 0;
            for (int d = Math.max(0, c - 2); d <= Math.min(bins - 1, c + 2); d++) {
                sum += hist[d];
            }
            if (sum > bestSum) {
                bestSum = sum;
                best = c;
            }
        }
        int lo = Math.max(0, best - 2);
        int hi = Math.min(bins - 1, best + 2);
        long[] in = diffs.stream().mapToLong(Long::longValue)
                .filter(d -> (d + max) / 50 >= lo && (d + max) / 50 <= hi).sorted().toArray();
        return in[in.length / 2];
    }
}
