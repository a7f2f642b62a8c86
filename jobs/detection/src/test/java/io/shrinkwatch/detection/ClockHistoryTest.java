package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A lane's clock history keeps, sorted, every scan and barcode time of its settled transactions in the window. */
class ClockHistoryTest {

    @Test
    void addingASettledTransactionKeepsEverySortedTimeFromTheWindowStartWhateverTheOverlap() {
        Random rnd = new Random(20);
        for (int trial = 0; trial < 2_000; trial++) {
            LaneDetectorFunction.ClockHistory h = new LaneDetectorFunction.ClockHistory();
            h.scanTimes = sortedTimes(rnd, rnd.nextInt(30), 0);
            h.barcodeTimes = sortedTimes(rnd, rnd.nextInt(30), 0);
            // The batch's scans: sorted, a range of them settles; mostly after the history, sometimes overlapping.
            long shift = rnd.nextBoolean() ? 1_000 : 0;
            long[] batch = sortedTimes(rnd, rnd.nextInt(20), shift);
            int lo = batch.length == 0 ? 0 : rnd.nextInt(batch.length + 1);
            int hi = lo + (batch.length == lo ? 0 : rnd.nextInt(batch.length - lo + 1));
            long[] barcodes = new long[25];
            int n = rnd.nextInt(barcodes.length + 1);
            for (int i = 0; i < n; i++) {
                barcodes[i] = shift + rnd.nextInt(1_200);
            }
            long keepFrom = rnd.nextInt(1_300) - 100;

            long[] scansWanted = LongStream.concat(Arrays.stream(h.scanTimes), Arrays.stream(batch, lo, hi)).sorted()
                    .filter(t -> t >= keepFrom).toArray();
            long[] barcodesWanted = LongStream.concat(Arrays.stream(h.barcodeTimes), Arrays.stream(barcodes, 0, n))
                    .sorted().filter(t -> t >= keepFrom).toArray();
            h.add(batch, lo, hi, barcodes, n, keepFrom);
            assertThat(h.scanTimes).as("trial %d", trial).containsExactly(scansWanted);
            assertThat(h.barcodeTimes).as("trial %d", trial).containsExactly(barcodesWanted);
        }
    }

    private static long[] sortedTimes(Random rnd, int n, long shift) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = shift + rnd.nextInt(1_000);
        }
        Arrays.sort(t);
        return t;
    }
}
