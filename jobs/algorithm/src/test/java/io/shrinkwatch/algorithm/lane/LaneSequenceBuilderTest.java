package io.shrinkwatch.algorithm.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of merging a lane's primitives and barcodes into per-transaction symbol strings. */
class LaneSequenceBuilderTest {

    static final long T0 = 1_767_261_600_000L;
    static final LaneKey LANE = new LaneKey("S001", "L01");

    static PrimitiveEvent p(long t, PrimitiveKind k) {
        return PrimitiveEvent.newBuilder().setStoreId("S001").setLaneId("L01").setTs(T0 + t).setKind(k).build();
    }

    static TLogEvent tl(long t, TLogType type, String txn, String barcode) {
        return TLogEvent.newBuilder().setStoreId("S001").setLaneId("L01").setTs(T0 + t).setType(type).setTxnId(txn)
                .setCashierId("C1").setBarcode(barcode).setPriceCents(barcode == null ? null : 199L)
                .setQty(barcode == null ? null : 1).build();
    }

    @Test
    void estimatingClocksLeavesOutTheTransactionsOfALaneWhoseEstimateIsNotTrusted() {
        List<PrimitiveEvent> prims = new java.util.ArrayList<>();
        List<TLogEvent> tlog = new java.util.ArrayList<>();
        // Lane L01: forty items, each scan motion 700 ms after its barcode (the clocks 700 ms apart).
        java.util.Random rnd = new java.util.Random(5);
        long t = 0;
        tlog.add(tl(t, TLogType.TXN_START, "T1", null));
        for (int i = 0; i < 40; i++) {
            t += 2_000 + rnd.nextInt(2_500);
            prims.add(p(t + 400, PrimitiveKind.P));
            prims.add(p(t + 700, PrimitiveKind.S));
            prims.add(p(t + 1_200, PrimitiveKind.D));
            tlog.add(tl(t, TLogType.ITEM, "T1", "b" + i));
        }
        tlog.add(tl(t + 3_000, TLogType.TXN_END, "T1", null));
        // Lane L02: one transaction of two items, too few pairs to trust.
        for (long[] item : new long[][] {{0}, {2_900}}) {
            prims.add(PrimitiveEvent.newBuilder(p(item[0] + 700, PrimitiveKind.S)).setLaneId("L02").build());
            tlog.add(TLogEvent.newBuilder(tl(item[0], TLogType.ITEM, "T2", "x")).setLaneId("L02").build());
        }
        tlog.add(TLogEvent.newBuilder(tl(5_000, TLogType.TXN_END, "T2", null)).setLaneId("L02").build());
        LaneSequenceBuilder.Stats stats = new LaneSequenceBuilder.Stats();
        List<TransactionSequence> trusted = new LaneSequenceBuilder().buildEstimatingClocks(prims, tlog, stats);
        assertThat(trusted).extracting(TransactionSequence::txnId).containsExactly("T1");
        assertThat(stats.untrustedClockTransactions).isEqualTo(1);
        assertThat(stats.untrustedClockLanes).isEqualTo(1);
        assertThat(stats.transactions).isEqualTo(1);
        LaneSequenceBuilder.Stats all = new LaneSequenceBuilder.Stats();
        assertThat(new LaneSequenceBuilder().buildEstimatingClocks(prims, tlog, false, all))
                .extracting(TransactionSequence::txnId).containsExactly("T1", "T2");
        assertThat(all.untrustedClockTransactions).isZero();
    }

    @Test
    void mergesPrimitivesAndBarcodesInTimeOrderPerTransaction() {
        List<PrimitiveEvent> prims = List.of(p(1000, PrimitiveKind.D), p(0, PrimitiveKind.P), p(500, PrimitiveKind.S));
        List<TLogEvent> tlog = List.of(tl(-100, TLogType.TXN_START, "T1", null), tl(600, TLogType.ITEM, "T1", "111"),
                tl(2000, TLogType.TXN_END, "T1", null));
        List<TransactionSequence> txns = new LaneSequenceBuilder().build(prims, tlog, ClockOffsets.none(),
                new LaneSequenceBuilder.Stats());
        assertThat(txns).singleElement().satisfies(t -> {
            assertThat(t.symbols()).isEqualTo("PSBD");
            assertThat(t.times()).containsExactly(T0, T0 + 500, T0 + 600, T0 + 1000);
            assertThat(t.cashierId()).isEqualTo("C1");
            assertThat(t.valueCents()[2]).isEqualTo(199);
        });
    }

    @Test
    void shiftsBarcodesByTheLanesClockOffset() {
        List<PrimitiveEvent> prims = List.of(p(0, PrimitiveKind.P), p(500, PrimitiveKind.S), p(1000, PrimitiveKind.D));
        // POS clock runs 800 ms behind the camera: the ITEM logged at -400 happened at camera time 400.
        List<TLogEvent> tlog = List.of(tl(-900, TLogType.TXN_START, "T1", null), tl(-400, TLogType.ITEM, "T1", "1"),
                tl(1000, TLogType.TXN_END, "T1", null));
        ClockOffsets offsets = new ClockOffsets().put(LANE, Long.MIN_VALUE, 800);
        TransactionSequence t = new LaneSequenceBuilder().build(prims, tlog, offsets, new LaneSequenceBuilder.Stats())
                .get(0);
        assertThat(t.symbols()).isEqualTo("PBSD");
        assertThat(t.time(1)).isEqualTo(T0 + 400);
        assertThat(new LaneSequenceBuilder().build(prims, tlog, ClockOffsets.none(), new LaneSequenceBuilder.Stats())
                .get(0).symbols()).as("uncorrected").isEqualTo("BPSD");
    }

    @Test
    void ordersEqualTimesAsPickupScanBarcodeDrop() {
        List<PrimitiveEvent> prims = List.of(p(100, PrimitiveKind.D), p(100, PrimitiveKind.S), p(100, PrimitiveKind.P));
        List<TLogEvent> tlog = List.of(tl(0, TLogType.TXN_START, "T1", null), tl(100, TLogType.ITEM, "T1", "1"),
                tl(200, TLogType.TXN_END, "T1", null));
        assertThat(new LaneSequenceBuilder().build(prims, tlog, ClockOffsets.none(), new LaneSequenceBuilder.Stats())
                .get(0).symbols()).isEqualTo("PSBD");
    }

    @Test
    void givesAPrimitiveInTwoMarginsToTheNearerTransactionAndCountsStrays() {
        List<PrimitiveEvent> prims = new ArrayList<>(List.of(p(10_500, PrimitiveKind.P), p(11_900, PrimitiveKind.D),
                p(60_000, PrimitiveKind.S)));
        List<TLogEvent> tlog = List.of(tl(0, TLogType.TXN_START, "T1", null), tl(10_000, TLogType.TXN_END, "T1", null),
                tl(12_000, TLogType.TXN_START, "T2", null), tl(20_000, TLogType.TXN_END, "T2", null));
        LaneSequenceBuilder.Stats stats = new LaneSequenceBuilder.Stats();
        List<TransactionSequence> txns = new LaneSequenceBuilder(3_000, 3_000).build(prims, tlog, ClockOffsets.none(),
                stats);
        assertThat(txns).extracting(TransactionSequence::txnId, TransactionSequence::symbols)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("T1", "P"),
                        org.assertj.core.groups.Tuple.tuple("T2", "D"));
        assertThat(stats.primitivesOutsideTransactions).isEqualTo(1);
    }

    @Test
    void keepsAVoidedBarcodeInTheStringWithNoValue() {
        List<TLogEvent> tlog = List.of(tl(0, TLogType.TXN_START, "T1", null), tl(100, TLogType.ITEM, "T1", "A"),
                tl(200, TLogType.ITEM, "T1", "B"), tl(900, TLogType.VOID, "T1", "A"), tl(1000, TLogType.VOID, "T1", "Z"),
                tl(2000, TLogType.TXN_END, "T1", null));
        LaneSequenceBuilder.Stats stats = new LaneSequenceBuilder.Stats();
        TransactionSequence t = new LaneSequenceBuilder().build(List.of(), tlog, ClockOffsets.none(), stats).get(0);
        assertThat(t.symbols()).isEqualTo("BB");
        assertThat(t.valueCents()).containsExactly(0, 199);
        assertThat(stats.voidsWithoutItem).isEqualTo(1);
    }
    @Test
    void buildsOneTransactionOrOneLaneExactlyAsTheWholeBuildDoes() {
        java.util.Random rnd = new java.util.Random(11);
        PrimitiveKind[] kinds = PrimitiveKind.values();
        for (int round = 0; round < 300; round++) {
            List<PrimitiveEvent> prims = new ArrayList<>();
            List<TLogEvent> tlog = new ArrayList<>();
            long t = 0;
            int txns = 1 + rnd.nextInt(4);
            for (int x = 0; x < txns; x++) {
                String id = "T" + x;
                tlog.add(tl(t, TLogType.TXN_START, id, null));
                int items = rnd.nextInt(5);
                for (int k = 0; k < items; k++) {
                    t += rnd.nextInt(3_000);
                    tlog.add(tl(t, rnd.nextInt(8) == 0 ? TLogType.VOID : TLogType.ITEM, id, "b" + rnd.nextInt(3)));
                }
                tlog.add(tl(t + rnd.nextInt(2_000), TLogType.TXN_END, id, null));
                // Transactions overlap now and then, so margins and the nearest-transaction rule matter.
                t += rnd.nextInt(6_000) - 1_000;
            }
            for (int k = 0; k < rnd.nextInt(40); k++) {
                prims.add(p(rnd.nextInt((int) Math.max(1, t + 8_000)) - 4_000, kinds[rnd.nextInt(kinds.length)]));
            }
            ClockOffsets offsets = new ClockOffsets().put(LANE, Long.MIN_VALUE, rnd.nextInt(1_001) - 500);
            LaneSequenceBuilder builder = new LaneSequenceBuilder();
            List<TransactionSequence> all = builder.build(prims, tlog, offsets, new LaneSequenceBuilder.Stats());
            // The array form: the primitives in time order (ties in input order), inside a larger array.
            List<PrimitiveEvent> sorted = new ArrayList<>(prims);
            sorted.sort(java.util.Comparator.comparingLong(PrimitiveEvent::getTs));
            int pad = rnd.nextInt(3);
            char[] kindArr = new char[sorted.size() + 2 * pad];
            long[] timeArr = new long[sorted.size() + 2 * pad];
            for (int k = 0; k < sorted.size(); k++) {
                kindArr[pad + k] = sorted.get(k).getKind().name().charAt(0);
                timeArr[pad + k] = sorted.get(k).getTs();
            }
            for (TransactionSequence expected : all) {
                LaneSequenceBuilder.Stats stats = new LaneSequenceBuilder.Stats();
                assertThat(builder.buildTransaction(LANE, expected.txnId(), prims, tlog, offsets, stats))
                        .as("round %d, %s", round, expected.txnId()).usingRecursiveComparison().isEqualTo(expected);
                assertThat(stats.transactions).isEqualTo(1);
                assertThat(builder.buildTransaction(LANE, expected.txnId(), kindArr, timeArr, pad, pad + sorted.size(),
                        tlog, offsets.of(LANE), new LaneSequenceBuilder.Stats())).as("round %d, %s from arrays", round,
                        expected.txnId()).usingRecursiveComparison().isEqualTo(expected);
            }
            assertThat(builder.buildLane(LANE, kindArr, timeArr, pad, pad + sorted.size(), tlog, offsets.of(LANE),
                    new LaneSequenceBuilder.Stats())).as("round %d, whole lane from arrays", round)
                    .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(all);
            assertThat(builder.buildTransaction(LANE, "absent", prims, tlog, offsets, new LaneSequenceBuilder.Stats()))
                    .isNull();
            LaneSequenceBuilder.Stats laneStats = new LaneSequenceBuilder.Stats();
            assertThat(builder.buildLane(LANE, prims, tlog, offsets, laneStats)).as("round %d, whole lane", round)
                    .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(all);
            assertThat(laneStats.transactions).isEqualTo(all.size());
        }
    }
}
