package io.shrinkwatch.detection;

import static io.shrinkwatch.detection.LaneDetectorFunctionTest.line;
import static io.shrinkwatch.detection.LaneDetectorFunctionTest.prim;
import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.TLogType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lane index kept up to date as events arrive against the index a timer used to build afresh from the lane's
 * remaining events in arrival order (a stable sort of the primitives by time, lines grouped per transaction), over
 * random lanes of arrivals, settles and compactions; and a batch rebuilt from its own {@code toList()} (what a
 * restore reads) against the batch itself.
 */
class LaneBatchTest {

    private static final int LANES = 300;
    private static final String[] KINDS = {"P", "S", "D"};

    @Test
    void anIndexKeptUpToDateMatchesOneBuiltAfreshAfterEveryTimer() {
        Random random = new Random(20261202L);
        for (int lane = 0; lane < LANES; lane++) {
            LaneDetectorFunction.Batch batch = LaneDetectorFunction.Batch.of(null, null);
            List<LaneEvent> live = new ArrayList<>();
            long clock = 0;
            int nextTxn = 0;
            List<String> open = new ArrayList<>();
            List<String> settled = new ArrayList<>();
            for (int round = 0; round < 12; round++) {
                int arrivals = random.nextInt(40);
                for (int k = 0; k < arrivals; k++) {
                    clock += random.nextInt(600);
                    // Out-of-order delivery up to 5 s, and ties: both decide a primitive's place.
                    long ts = Math.max(0, clock - (random.nextInt(4) == 0 ? random.nextInt(5_000) : 0));
                    LaneEvent e;
                    if (random.nextInt(3) > 0) {
                        e = prim(ts - ts % 200, KINDS[random.nextInt(3)]);
                    } else {
                        String id;
                        if (!settled.isEmpty() && random.nextInt(10) == 0) {
                            // A line after its transaction settled starts a new one in the index.
                            id = settled.remove(random.nextInt(settled.size()));
                            open.add(id);
                        } else if (open.isEmpty() || random.nextInt(8) == 0) {
                            id = "T" + nextTxn++;
                            open.add(id);
                        } else {
                            id = open.get(random.nextInt(open.size()));
                        }
                        // A new string of the same text, sometimes: ids are not always one instance.
                        TLogType type = random.nextInt(5) == 0 ? TLogType.TXN_END : TLogType.ITEM;
                        e = line(ts, type, random.nextBoolean() ? id : new String(id), type == TLogType.ITEM
                                ? "b" + k : null);
                    }
                    batch.add(e);
                    live.add(e);
                }
                assertIndexes(batch, live);
                // A timer: some transactions settle, each consuming the primitives up to a cutoff.
                long maxCutoff = Long.MIN_VALUE;
                int settles = random.nextInt(3);
                for (int s = 0; s < settles && !open.isEmpty(); s++) {
                    String id = open.get(random.nextInt(open.size()));
                    batch.txns.get(id).settled = true;
                    long cutoff = LaneDetectorFunctionTest.T0 + clock - random.nextInt(20_000);
                    batch.consumePrimitivesUpTo(cutoff);
                    maxCutoff = Math.max(maxCutoff, cutoff);
                    open.remove(id);
                    settled.add(id);
                }
                if (settles > 0) {
                    List<LaneEvent> kept = new ArrayList<>();
                    for (LaneEvent e : live) {
                        boolean gone = e.isPrimitive() ? e.ts <= maxCutoff : !open.contains(e.txnId);
                        if (!gone) {
                            kept.add(e);
                        }
                    }
                    live = kept;
                    batch.compact();
                    batch.changed();
                }
                assertIndexes(batch, live);
                assertIndexes(LaneDetectorFunction.Batch.rewritten(batch.toList()), live);
            }
        }
    }

    @Test
    void aBatchOfKeyedStateAppendsOnlyWhatArrivedSinceUntilSomethingChanges() {
        LaneEvent a = prim(1_000, "P");
        LaneEvent b = prim(2_000, "S");
        LaneEvent c = line(2_100, TLogType.ITEM, "T1", "x");
        LaneEvent d = prim(3_000, "D");
        LaneDetectorFunction.Batch batch = LaneDetectorFunction.Batch.of(List.of(a), List.of(b));
        batch.add(c);
        batch.add(d);
        assertThat(batch.appended()).containsExactly(b, c, d);
        assertThat(batch.toList()).containsExactly(a, b, d, c);
        batch.changed();
        assertThat(batch.appended()).isNull();
    }

    /**
     * What a batch built afresh from {@code arrivals} (in arrival order) held: the primitives stably sorted by time,
     * their scan times, the barcode times sorted, each transaction's lines in arrival order with its first and end
     * line.
     */
    private static void assertIndexes(LaneDetectorFunction.Batch actual, List<LaneEvent> arrivals) {
        List<LaneEvent> prims = new ArrayList<>();
        List<Long> items = new ArrayList<>();
        Map<String, List<LaneEvent>> lines = new LinkedHashMap<>();
        for (LaneEvent e : arrivals) {
            if (e.isPrimitive()) {
                prims.add(e);
            } else {
                lines.computeIfAbsent(e.txnId, id -> new ArrayList<>()).add(e);
                if (e.kind.equals("ITEM")) {
                    items.add(e.ts);
                }
            }
        }
        prims.sort(Comparator.comparingLong(e -> e.ts));
        items.sort(null);
        int n = actual.primCount - actual.primsFrom;
        assertThat(actual.toList().subList(0, n)).containsExactlyElementsOf(prims);
        assertThat(Arrays.copyOfRange(actual.primTimes, actual.primsFrom, actual.primCount))
                .containsExactly(prims.stream().mapToLong(e -> e.ts).toArray());
        assertThat(new String(actual.primKinds, actual.primsFrom, n))
                .isEqualTo(String.join("", prims.stream().map(e -> e.kind).toList()));
        assertThat(Arrays.copyOfRange(actual.scanTs, actual.scansFrom, actual.scanCount)).containsExactly(
                prims.stream().filter(e -> e.kind.equals("S")).mapToLong(e -> e.ts).toArray());
        assertThat(actual.barcodes(Long.MIN_VALUE + 1, Long.MAX_VALUE - 1))
                .containsExactly(items.stream().mapToLong(Long::longValue).toArray());
        assertThat(lines(actual)).isEqualTo(lines);
        lines.forEach((id, own) -> {
            LaneDetectorFunction.Batch.Txn t = actual.txns.get(id);
            assertThat(t.firstLine).isEqualTo(own.stream().mapToLong(e -> e.ts).min().getAsLong());
            assertThat(t.endLine).isEqualTo(own.stream().filter(e -> e.kind.equals("TXN_END")).mapToLong(e -> e.ts)
                    .max().orElse(Long.MIN_VALUE));
        });
        assertThat(actual.size()).isEqualTo(arrivals.size());
    }

    private static Map<String, List<LaneEvent>> lines(LaneDetectorFunction.Batch b) {
        Map<String, List<LaneEvent>> out = new LinkedHashMap<>();
        b.txns.forEach((id, t) -> {
            if (!t.settled) {
                out.put(id, t.lines);
            }
        });
        return out;
    }
}
