package io.shrinkwatch.algorithm.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

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
    void leavesALaneWithoutScansAlone() {
        ClockOffsets out = new ClockOffsets();
        new ClockOffsetEstimator().estimate(new LaneKey("S", "L"), new long[0], new long[] {1, 2}, out);
        assertThat(out.offset(new LaneKey("S", "L"), 5)).isZero();
    }
}
