package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.PatternEntry;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import io.shrinkwatch.schema.WeightScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import io.shrinkwatch.algorithm.model.ModelIo;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Harness tests of the keyed lane detector: output, clock trust, heap budget, state left behind and restore. */
class LaneDetectorFunctionTest {

    static final long T0 = 1_767_261_600_000L;
    static final LaneSettings SETTINGS = LaneSettings.from(new Configuration());

    static PatternModel model() {
        List<PatternEntry> entries = new ArrayList<>();
        for (String p : List.of("PSBD", "PBSD", "PBD")) {
            entries.add(PatternEntry.newBuilder().setPositive(p).setNegative(p.replace("B", "")).setOccurrences(10)
                    .setTransactions(5).setClusterSize(1).setWeightUniform(1).setWeightFrequency(1).setWeightSvm(1.0)
                    .setWeightFrequencySvm(2.0).build());
        }
        return PatternModel.newBuilder().setModelId("m-test").setCreatedMs(0).setTrainingStartMs(0).setTrainingEndMs(0)
                .setTrainingTransactions(5).setTrainingIncidents(1).setDefaultScheme(WeightScheme.SVM).setThreshold(0.6)
                .setMinFakeScanGapMs(3000).setParameters(Map.of()).setPatterns(entries).build();
    }

    static LaneEvent prim(long t, String kind) {
        return LaneEvent.of(PrimitiveEvent.newBuilder().setStoreId("S001").setLaneId("L01").setTs(T0 + t)
                .setKind(PrimitiveKind.valueOf(kind)).build());
    }

    static LaneEvent line(long t, TLogType type, String txn, String barcode) {
        return LaneEvent.of(TLogEvent.newBuilder().setStoreId("S001").setLaneId("L01").setTs(T0 + t).setType(type)
                .setTxnId(txn).setCashierId("S001-C001").setBarcode(barcode).setPriceCents(barcode == null ? null : 250L)
                .setQty(barcode == null ? null : 1).build());
    }

    /** One transaction of four items; the third is scanned without a barcode. */
    static List<LaneEvent> transaction(String txn, long start) {
        return transaction(txn, start, -1);
    }

    /**
     * One transaction of four items, in time order; the third is scanned without a barcode, or, with
     * {@code lateBarcodeMs >= 0}, its barcode comes that long after its drop.
     */
    static List<LaneEvent> transaction(String txn, long start, long lateBarcodeMs) {
        List<LaneEvent> events = new ArrayList<>();
        events.add(line(start, TLogType.TXN_START, txn, null));
        for (int i = 0; i < 4; i++) {
            long p = start + 1_000 + 3_000L * i;
            events.add(prim(p, "P"));
            events.add(prim(p + 600, "S"));
            if (i != 2) {
                events.add(line(p + 700, TLogType.ITEM, txn, "20000000000" + i));
            }
            events.add(prim(p + 1_300, "D"));
            if (i == 2 && lateBarcodeMs >= 0) {
                events.add(line(p + 1_300 + lateBarcodeMs, TLogType.ITEM, txn, "20000000000" + i));
            }
        }
        events.add(line(start + 13_000, TLogType.TXN_END, txn, null));
        events.sort(java.util.Comparator.comparingLong(e -> e.ts));
        return events;
    }

    static KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> harness() throws Exception {
        return harness(SETTINGS);
    }

    static KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> harness(LaneSettings s)
            throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(new LaneDetectorOperator(model(), s, 100_000),
                LaneEvent::laneKey, org.apache.flink.api.common.typeinfo.Types.STRING, 1, 1, 0);
    }

    /** The lane function inside the harness's operator, for its counters. */
    static LaneDetectorFunction function(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h) {
        return (LaneDetectorFunction) ((LaneDetectorOperator) h.getOperator()).getUserFunction();
    }

    /** Keyed state entries of the harness's heap backend (the broadcast harness has no accessor of its own). */
    static int entries(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    static int pending(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h) {
        return function(h).pendingEvents();
    }

    static List<FakeScanAlert> alerts(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h) {
        List<FakeScanAlert> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof FakeScanAlert a) {
                out.add(a);
            }
        }
        return out;
    }

    /** Two items, one barcode: the second item is scanned without one. Too thin to trust a clock estimate on. */
    static List<LaneEvent> thinTransaction(String txn, long start) {
        return List.of(line(start, TLogType.TXN_START, txn, null), prim(start + 1_000, "P"), prim(start + 1_600, "S"),
                line(start + 1_700, TLogType.ITEM, txn, "200000000000"), prim(start + 2_300, "D"),
                prim(start + 4_000, "P"), prim(start + 4_600, "S"), prim(start + 5_300, "D"),
                line(start + 7_000, TLogType.TXN_END, txn, null));
    }

    static long withheld(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h) {
        return function(h).withheldFakeScans();
    }

    static void feed(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h,
            List<LaneEvent> events, long settleAfter) throws Exception {
        for (LaneEvent e : events) {
            h.processElement(e, e.ts);
        }
        h.watermark(T0 + settleAfter + SETTINGS.settleDelayMs());
    }

    @Test
    void withholdsTheFakeScansOfALaneWhoseClockIsNotTrustedYet() throws Exception {
        try (var h = harness(SETTINGS)) {
            h.open();
            feed(h, thinTransaction("T1", 0), 7_000);
            assertThat(alerts(h)).isEmpty();
            assertThat(withheld(h)).isEqualTo(1);
            assertThat(h.getSideOutput(LaneDetectorFunction.VERDICTS)).singleElement()
                    .extracting(StreamRecord::getValue).satisfies(v -> {
                        assertThat(v.trueScans).isEqualTo(1);
                        assertThat(v.fakeScans).isZero();
                    });
            // Archived, but marked: re-mining leaves it out.
            assertThat(h.getSideOutput(LaneDetectorFunction.ARCHIVE)).singleElement()
                    .extracting(r -> r.getValue().getClockTrusted()).isEqualTo(false);
        }
    }

    /** The thin transaction's unregistered item is raised and nothing is withheld. */
    static void raisesTheThinTransactionsFakeScan(Configuration conf) throws Exception {
        try (var h = harness(LaneSettings.from(conf))) {
            h.open();
            feed(h, thinTransaction("T1", 0), 7_000);
            assertThat(alerts(h)).singleElement().extracting(a -> a.scanTs).isEqualTo(T0 + 4_600);
            assertThat(withheld(h)).isZero();
        }
    }

    @Test
    void raisesThemWhenTheLanesClockIsPinned() throws Exception {
        Configuration conf = new Configuration();
        conf.setString(DetectionOptions.CLOCK_OFFSETS.key(), "S001/L01:-100");
        raisesTheThinTransactionsFakeScan(conf);
    }

    @Test
    void trustsEveryEstimateWhenConfiguredTo() throws Exception {
        Configuration conf = new Configuration();
        conf.set(DetectionOptions.TRUSTED_CLOCKS_ONLY, false);
        raisesTheThinTransactionsFakeScan(conf);
    }

    @Test
    void aThinClockWindowUsesTheLanesLastTrustedOffset() throws Exception {
        try (var h = harness(SETTINGS)) {
            h.open();
            feed(h, transaction("T1", 0), 13_000);
            // Forty minutes later the clock window holds only this transaction's one barcode.
            feed(h, thinTransaction("T2", 2_400_000), 2_407_000);
            assertThat(alerts(h)).extracting(a -> a.txnId).containsExactly("T1", "T2");
            assertThat(withheld(h)).isZero();
        }
    }

    /** {@link #transaction(String, long)} with its barcodes {@code laterMs} later (a POS clock that moved). */
    static List<LaneEvent> barcodesLater(List<LaneEvent> txn, long laterMs) {
        for (LaneEvent e : txn) {
            if ("ITEM".equals(e.kind)) {
                e.ts += laterMs;
            }
        }
        return txn;
    }

    /**
     * A lane whose barcodes come 40 ms later from its second transaction on: the offsets archived for T1..T4 (T4
     * six minutes after T1), with a snapshot and restore after T2 when {@code restoreAfterT2}.
     */
    static List<Long> archivedOffsets(LaneSettings s, boolean restoreAfterT2) throws Exception {
        long[] starts = {0, 60_000, 120_000, 360_000};
        List<Long> offsets = new ArrayList<>();
        var h = harness(s);
        try {
            h.open();
            for (int i = 0; i < starts.length; i++) {
                if (i == 2 && restoreAfterT2) {
                    h.getSideOutput(LaneDetectorFunction.ARCHIVE)
                            .forEach(r -> offsets.add(r.getValue().getClockOffsetMs()));
                    h.prepareSnapshotPreBarrier(1L);
                    OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
                    h.close();
                    h = harness(s);
                    h.initializeState(snapshot);
                    h.open();
                }
                List<LaneEvent> txn = transaction("T" + (i + 1), starts[i]);
                feed(h, i == 0 ? txn : barcodesLater(txn, 40), starts[i] + 13_000);
            }
            h.getSideOutput(LaneDetectorFunction.ARCHIVE).forEach(r -> offsets.add(r.getValue().getClockOffsetMs()));
        } finally {
            h.close();
        }
        return offsets;
    }

    @Test
    void aTrustedClockOffsetServesTheLanesNextTransactionsUntilTheRefreshInterval() throws Exception {
        assertThat(SETTINGS.clockRefreshMs()).isEqualTo(300_000);
        // T2 and T3 end within five minutes of T1 and take its offset; T4, six minutes on, is estimated afresh and
        // follows the barcodes' new lag.
        assertThat(archivedOffsets(SETTINGS, false)).containsExactly(-100L, -100L, -100L, -140L);
        assertThat(archivedOffsets(SETTINGS, true)).containsExactly(-100L, -100L, -100L, -140L);
    }

    @Test
    void aZeroRefreshEstimatesEveryTransactionAsBeforeSession18() throws Exception {
        assertThat(archivedOffsets(SETTINGS.withClockRefresh(0), false)).containsExactly(-100L, -100L, -140L, -140L);
    }

    @Test
    void heapBufferedEventsMoveToKeyedStateWhenTheHeapLimitIsReached() throws Exception {
        try (var h = new KeyedBroadcastOperatorTestHarness<>(new LaneDetectorOperator(model(), SETTINGS, 4),
                LaneEvent::laneKey, org.apache.flink.api.common.typeinfo.Types.STRING, 1, 1, 0)) {
            h.open();
            List<LaneEvent> events = transaction("T1", 0);
            for (LaneEvent e : events.subList(0, 3)) {
                h.processElement(e, e.ts);
            }
            assertThat(pending(h)).isEqualTo(3);
            h.processElement(events.get(3), events.get(3).ts);
            assertThat(pending(h)).isZero();
            for (LaneEvent e : events.subList(4, events.size())) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).singleElement().extracting(a -> a.scanTs).isEqualTo(T0 + 7_600);
        }
    }

    @Test
    void archivesEachSettledTransactionAsAlignedWithItsDetections() throws Exception {
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(h.getSideOutput(LaneDetectorFunction.ARCHIVE)).singleElement()
                    .extracting(StreamRecord::getValue).satisfies(s -> {
                        assertThat(s.getTxnId()).isEqualTo("T1");
                        assertThat(s.getCashierId()).isEqualTo("S001-C001");
                        assertThat(s.getSymbols()).isEqualTo("PSBDPSBDPSDPSBD");
                        assertThat(s.getTimes()).hasSize(15).isSorted();
                        assertThat(s.getValueCents().stream().mapToLong(Long::longValue).sum()).isEqualTo(750);
                        assertThat(s.getModelId()).isEqualTo("m-test");
                        assertThat(s.getFakeScanTs()).containsExactly(T0 + 7_600);
                        assertThat(s.getClockTrusted()).isTrue();
                    });
        }
    }

    @Test
    void aLaneWithAPinnedClockOffsetUsesItInsteadOfTheEstimate() throws Exception {
        Configuration conf = new Configuration();
        conf.setString(DetectionOptions.CLOCK_OFFSETS.key(), "S001/L01:-250,S009/L02:40");
        LaneSettings pinned = LaneSettings.from(conf);
        assertThat(pinned.pinnedOffsetsMs()).containsEntry("S001/L01", -250L).containsEntry("S009/L02", 40L);
        try (var h = new KeyedBroadcastOperatorTestHarness<>(new LaneDetectorOperator(model(), pinned, 100_000),
                LaneEvent::laneKey, org.apache.flink.api.common.typeinfo.Types.STRING, 1, 1, 0)) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + pinned.settleDelayMs());
            assertThat(h.getSideOutput(LaneDetectorFunction.ARCHIVE)).singleElement()
                    .extracting(r -> r.getValue().getClockOffsetMs()).isEqualTo(-250L);
        }
    }

    @Test
    void aBadPinnedOffsetNamesItsLane() {
        Configuration conf = new Configuration();
        conf.setString(DetectionOptions.CLOCK_OFFSETS.key(), "S001/L01:soon");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LaneSettings.from(conf))
                .hasMessageContaining("offset of lane 'S001/L01' is 'soon'");
    }

    @Test
    void alertsTheUnregisteredItemOnceTheTransactionSettles() throws Exception {
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs() - 1);
            assertThat(alerts(h)).isEmpty();
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).singleElement().satisfies(a -> {
                assertThat(a.txnId).isEqualTo("T1");
                assertThat(a.cashierId).isEqualTo("S001-C001");
                assertThat(a.startTs).isEqualTo(T0 + 7_000);
                assertThat(a.scanTs).isEqualTo(T0 + 7_600);
                assertThat(a.endTs).isEqualTo(T0 + 8_300);
                assertThat(a.modelId).isEqualTo("m-test");
            });
            assertThat(h.getSideOutput(LaneDetectorFunction.VERDICTS)).singleElement()
                    .extracting(StreamRecord::getValue).satisfies(v -> {
                        assertThat(v.txnId).isEqualTo("T1");
                        assertThat(v.itemsRegistered).isEqualTo(3);
                        assertThat(v.registeredValueCents).isEqualTo(750);
                        assertThat(v.trueScans).isEqualTo(3);
                        assertThat(v.fakeScans).isEqualTo(1);
                        assertThat(v.unclassifiedPrimitives).isZero();
                    });
        }
    }

    @Test
    void leavesOnlyTheLaneClockAfterATransactionAndNothingAfterTheLaneTtl() throws Exception {
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            // clock history and the activity minute remain, plus the lane's TTL timer
            assertThat(entries(h)).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.watermark(T0 + LaneDetectorFunction.TTL_RESOLUTION_MS + SETTINGS.laneTtlMs() - 1);
            assertThat(entries(h)).isEqualTo(2);
            h.watermark(T0 + LaneDetectorFunction.TTL_RESOLUTION_MS + SETTINGS.laneTtlMs());
            assertThat(entries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    /** The lane's buffered events in keyed state (after the operator's flush). */
    static List<LaneEvent> buffered(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h)
            throws Exception {
        return buffered(h, "S001/L01");
    }

    static List<LaneEvent> buffered(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h,
            String key) throws Exception {
        @SuppressWarnings("unchecked")
        var backend = (org.apache.flink.runtime.state.AbstractKeyedStateBackend<String>) (Object) h.getOperator()
                .getKeyedStateBackend();
        backend.setCurrentKey(key);
        List<LaneEvent> out = new ArrayList<>();
        Iterable<LaneEvent> it = backend.getPartitionedState(org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                new org.apache.flink.api.common.state.ListStateDescriptor<>("buffer",
                        org.apache.flink.api.common.typeinfo.TypeInformation.of(LaneEvent.class))).get();
        if (it != null) {
            it.forEach(out::add);
        }
        return out;
    }

    @Test
    void aLanesBufferedEventsShareOneStringPerIdButKeepTheirOwnTextWhenKeysCollide() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 3; i++) {
                LaneEvent e = line(100L * i, i == 0 ? TLogType.TXN_START : TLogType.ITEM, new String("T1"), "1");
                e.storeId = new String("S001");
                e.laneId = new String("L01");
                e.cashierId = new String("S001-C001");
                h.processElement(e, e.ts);
            }
            // Two lanes whose ids differ but whose keys ("A/B" + "/" + "C" and "A" + "/" + "B/C") are equal.
            LaneEvent a = prim(0, "P");
            a.storeId = "A/B";
            a.laneId = "C";
            LaneEvent b = prim(10, "S");
            b.storeId = "A";
            b.laneId = "B/C";
            h.processElement(a, a.ts);
            h.processElement(b, b.ts);
            h.prepareSnapshotPreBarrier(1);
            List<LaneEvent> lane = buffered(h);
            assertThat(lane).hasSize(3);
            for (LaneEvent e : lane) {
                assertThat(e.txnId).isSameAs(lane.get(0).txnId).isEqualTo("T1");
                assertThat(e.storeId).isSameAs(lane.get(0).storeId).isEqualTo("S001");
                assertThat(e.laneId).isSameAs(lane.get(0).laneId).isEqualTo("L01");
                assertThat(e.cashierId).isSameAs(lane.get(0).cashierId).isEqualTo("S001-C001");
            }
            assertThat(buffered(h, "A/B/C")).extracting(e -> e.storeId + "|" + e.laneId)
                    .containsExactly("A/B|C", "A|B/C");
        }
    }

    @Test
    void aSettledLanesBufferStaysOnTheHeapUntilTheNextFlushWritesItBack() throws Exception {
        try (var h = harness()) {
            h.open();
            List<LaneEvent> t2 = List.of(line(40_000, TLogType.TXN_START, "T2", null), prim(41_000, "P"));
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            for (LaneEvent e : t2) {
                h.processElement(e, e.ts);
            }
            h.getOperator().prepareSnapshotPreBarrier(1);
            int all = buffered(h).size();
            assertThat(pending(h)).isZero();
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).singleElement();
            // Settled, but keyed state is only rewritten at the next flush; until then the heap holds the buffer.
            assertThat(buffered(h)).hasSize(all);
            assertThat(pending(h)).isEqualTo(2);
            h.getOperator().prepareSnapshotPreBarrier(2);
            // Written back as the index holds it: primitives in time order, then each transaction's lines.
            assertThat(buffered(h)).extracting(e -> e.ts).containsExactly(T0 + 41_000, T0 + 40_000);
            assertThat(pending(h)).isZero();
        }
    }

    @Test
    void aLaneBufferEmptiedByItsTimerIsClearedInKeyedStateAtTheNextFlush() throws Exception {
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.getOperator().prepareSnapshotPreBarrier(1);
            assertThat(buffered(h)).isNotEmpty();
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(pending(h)).isZero();
            // Nothing else waits on the heap, and the snapshot must still not hold the settled transaction.
            h.getOperator().prepareSnapshotPreBarrier(2);
            assertThat(buffered(h)).isEmpty();
        }
    }

    @Test
    void sweepsWhatABusyLaneCanNoLongerSettleOnceItIsOlderThanTheTtl() throws Exception {
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            // A VOID of T1 that arrives after T1 settled, and T2, which never ends.
            LaneEvent lateVoid = line(20_000, TLogType.VOID, "T1", "200000000000");
            h.processElement(lateVoid, lateVoid.ts);
            for (LaneEvent e : List.of(line(30_000, TLogType.TXN_START, "T2", null),
                    line(31_000, TLogType.ITEM, "T2", "200000000009"))) {
                h.processElement(e, e.ts);
            }
            // The camera keeps firing at a closed POS: the lane stays active, so its TTL never drops anything.
            long minutes = 45;
            for (long t = 60_000; t <= minutes * 60_000; t += 30_000) {
                h.processElement(prim(t, "P"), T0 + t);
                h.watermark(T0 + t - 2_000);
            }
            h.getOperator().prepareSnapshotPreBarrier(1);
            // The sweep at minute 40 dropped everything older than minute 10 that nothing can settle any more.
            List<LaneEvent> left = buffered(h);
            assertThat(left).noneMatch(e -> !e.isPrimitive());
            assertThat(left).allSatisfy(e -> assertThat(e.ts).isGreaterThanOrEqualTo(T0 + 10 * 60_000 - 2_000));
            assertThat(left).hasSizeGreaterThan(60);
            assertThat(alerts(h)).singleElement();
        }
    }

    @Test
    void aBusyLaneHoldsOneHousekeepingTimerThroughARestoreAndExpiresOnItsTtl() throws Exception {
        // A camera firing every 30 s for 45 minutes and nothing else: no settle timers, so every pending timer is the
        // lane's housekeeping (before session 19, one per minute of activity: 30 by minute 30).
        long last = 45 * 60_000L;
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            for (long t = 0; t <= 20 * 60_000L; t += 30_000) {
                h.processElement(prim(t, "P"), T0 + t);
                h.watermark(T0 + t - 2_000);
                assertThat(h.numEventTimeTimers()).isEqualTo(1);
            }
            h.prepareSnapshotPreBarrier(1L);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (long t = 20 * 60_000L + 30_000; t <= last; t += 30_000) {
                h.processElement(prim(t, "P"), T0 + t);
                h.watermark(T0 + t - 2_000);
                assertThat(h.numEventTimeTimers()).isEqualTo(1);
            }
            // The sweep at minute 40 ran on the one timer: nothing older than the TTL then is left.
            h.prepareSnapshotPreBarrier(2L);
            assertThat(buffered(h)).allSatisfy(e -> assertThat(e.ts).isGreaterThanOrEqualTo(T0 + 10 * 60_000 - 2_000));
            long expiry = T0 + last + LaneDetectorFunction.TTL_RESOLUTION_MS + SETTINGS.laneTtlMs();
            h.watermark(expiry - 1);
            assertThat(entries(h)).isPositive();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.watermark(expiry);
            assertThat(entries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aLaneWithATtlOfNoWholeMinutesStillExpiresWithinAMinuteAfterIt() throws Exception {
        Configuration conf = new Configuration();
        conf.set(DetectionOptions.LANE_TTL, java.time.Duration.ofSeconds(90));
        LaneSettings s = LaneSettings.from(conf);
        long last = 5 * 60_000L;
        try (var h = harness(s)) {
            h.open();
            for (long t = 0; t <= last; t += 30_000) {
                h.processElement(prim(t, "P"), T0 + t);
                h.watermark(T0 + t - 2_000);
                assertThat(h.numEventTimeTimers()).isEqualTo(1);
            }
            // active until the end of the last event's minute; 90 s later, rounded up to a minute
            long expiry = T0 + last + 60_000 + 120_000;
            h.watermark(expiry - 1);
            assertThat(entries(h)).isPositive();
            h.watermark(expiry);
            assertThat(entries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void keepsAnUnfinishedTransactionAndItsPrimitivesWhileItIsYoungerThanTheTtl() throws Exception {
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : List.of(line(0, TLogType.TXN_START, "T1", null), prim(1_000, "P"), prim(1_600, "S"),
                    line(1_700, TLogType.ITEM, "T1", "200000000000"), prim(2_300, "D"))) {
                h.processElement(e, e.ts);
            }
            for (long t = 60_000; t <= 25 * 60_000; t += 30_000) {
                h.processElement(prim(t, "P"), T0 + t);
                h.watermark(T0 + t - 2_000);
            }
            h.getOperator().prepareSnapshotPreBarrier(1);
            // The sweeps at minutes 10 and 20 kept T1's lines and every primitive it could still claim.
            assertThat(buffered(h)).filteredOn(e -> e.ts <= T0 + 2_300).hasSize(5);
        }
    }

    @Test
    void dropsAQuietLanesUnfinishedTransactionByTtl() throws Exception {
        try (var h = harness()) {
            h.open();
            List<LaneEvent> events = transaction("T1", 0);
            for (LaneEvent e : events.subList(0, events.size() - 1)) {
                h.processElement(e, e.ts);
            }
            // the activity minute in state; the buffered events still on the heap until a barrier
            assertThat(entries(h)).isEqualTo(1);
            assertThat(pending(h)).isEqualTo(events.size() - 1);
            h.prepareSnapshotPreBarrier(1L);
            assertThat(entries(h)).isEqualTo(2);
            assertThat(pending(h)).isZero();
            h.watermark(T0 + LaneDetectorFunction.TTL_RESOLUTION_MS + SETTINGS.laneTtlMs());
            assertThat(alerts(h)).isEmpty();
            assertThat(pending(h)).isZero();
            assertThat(entries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aRestoreFromASnapshotGivesTheSameAlerts() throws Exception {
        List<LaneEvent> events = new ArrayList<>(transaction("T1", 0));
        events.addAll(transaction("T2", 20_000));
        List<FakeScanAlert> uninterrupted;
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : events) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 33_000 + SETTINGS.settleDelayMs());
            uninterrupted = alerts(h);
        }
        int half = events.size() / 2 + 3;
        OperatorSubtaskState snapshot;
        List<FakeScanAlert> restored = new ArrayList<>();
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : events.subList(0, half)) {
                h.processElement(e, e.ts);
            }
            // As the runtime does before a barrier: the operator moves heap-buffered events into keyed state.
            h.prepareSnapshotPreBarrier(1L);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (LaneEvent e : events.subList(half, events.size())) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 33_000 + SETTINGS.settleDelayMs());
            restored.addAll(alerts(h));
        }
        assertThat(uninterrupted).hasSize(2);
        assertThat(restored).containsExactlyElementsOf(uninterrupted);
    }

    @Test
    void aBroadcastModelReplacesTheCurrentOneForLaterTransactions() throws Exception {
        PatternModel second = PatternModel.newBuilder(model()).setModelId("m-second").build();
        try (var h = harness()) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            h.processBroadcastElement(ModelIo.toBytes(second), T0);
            for (LaneEvent e : transaction("T2", 40_000)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 53_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).extracting(a -> a.txnId + ":" + a.modelId).containsExactly("T1:m-test",
                    "T2:m-second");
            assertThat(h.getBroadcastState(LaneDetectorFunction.MODEL_STATE).immutableEntries())
                    .extracting(java.util.Map.Entry::getKey).containsExactly("m-second");
        }
    }

    @Test
    void aRestoredJobKeepsTheModelItWasSwappedTo() throws Exception {
        PatternModel second = PatternModel.newBuilder(model()).setModelId("m-second").build();
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processBroadcastElement(ModelIo.toBytes(second), T0);
            // As the runtime does before a barrier: the operator moves heap-buffered events into keyed state.
            h.prepareSnapshotPreBarrier(1L);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).extracting(a -> a.modelId).containsExactly("m-second");
        }
    }

    @Test
    void anUnreadableModelUpdateIsReportedAndTheCurrentModelStays() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processBroadcastElement("not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8), T0);
            assertThat(h.getSideOutput(LaneDetectorFunction.MODEL_ERRORS)).singleElement()
                    .extracting(StreamRecord::getValue).asString().contains("model update ignored");
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).extracting(a -> a.modelId).containsExactly("m-test");
        }
    }

    @Test
    void theLanesWaitForTheModelInputUntilItStepsAside() throws Exception {
        try (var h = harness()) {
            h.open();
            LaneDetectorOperator op = (LaneDetectorOperator) h.getOperator();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.processWatermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).as("held back by the model input").isEmpty();
            // An empty model topic goes idle after DetectionJob.MODEL_IDLENESS.
            op.processWatermarkStatus2(org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus.IDLE);
            assertThat(alerts(h)).singleElement().extracting(a -> a.scanTs).isEqualTo(T0 + 7_600);
        }
    }

    @Test
    void lanesGoingIdleAfterTheModelInputEndedLeaveEventTimeWhereTheLanesHadIt() throws Exception {
        try (var h = harness()) {
            h.open();
            LaneDetectorOperator op = (LaneDetectorOperator) h.getOperator();
            List<LaneEvent> t1 = transaction("T1", 0);
            for (LaneEvent e : t1) {
                if (e.ts < T0 + 6_000) {
                    h.processElement(e, e.ts);
                }
            }
            // A bounded model input ends with a maximum watermark; then the lanes' sources fall idle (a quiet
            // night, a slow restore). Before session 13 the operator's watermark jumped to the maximum here: the
            // lane's timers all fired and every later event was late.
            h.processWatermark(T0 + 4_000);
            op.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
            op.processWatermarkStatus1(org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus.IDLE);
            op.processWatermarkStatus1(org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus.ACTIVE);
            for (LaneEvent e : t1) {
                if (e.ts >= T0 + 6_000) {
                    h.processElement(e, e.ts);
                }
            }
            assertThat(h.getSideOutput(LaneDetectorFunction.LATE)).as("nothing late").isNull();
            h.processWatermark(T0 + 13_000 + SETTINGS.settleDelayMs() - 1);
            assertThat(alerts(h)).isEmpty();
            h.processWatermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).singleElement().extracting(a -> a.scanTs).isEqualTo(T0 + 7_600);
        }
    }

    @Test
    void sendsEventsFarBehindTheWatermarkToTheLateOutputWithAReasonAndAsTheyCameForAReplay() throws Exception {
        try (var h = harness()) {
            h.open();
            h.watermark(T0 + 60_000);
            LaneEvent pickup = prim(1_000, "P");
            LaneEvent item = line(2_000, TLogType.ITEM, "T1", "7678446616181");
            h.processElement(pickup, pickup.ts);
            h.processElement(item, item.ts);
            List<com.fasterxml.jackson.databind.JsonNode> late = new ArrayList<>();
            for (Object r : h.getSideOutput(LaneDetectorFunction.LATE)) {
                late.add(Json.MAPPER.readTree((String) ((StreamRecord<?>) r).getValue()));
            }
            assertThat(late).hasSize(2);
            assertThat(late.get(0).get("reason").asText()).contains("late by 59000 ms", "allowed 10000 ms");
            assertThat(late.get(0).get("lateness_ms").asLong()).isEqualTo(59_000);
            assertThat(late.get(0).get("stream").asText()).isEqualTo("primitives");
            assertThat(late.get(1).get("stream").asText()).isEqualTo("tlog");
            // The event field is a line of the interchange format: the file readers take it back as it was sent.
            assertThat(io.shrinkwatch.common.jsonl.EventJson.PRIMITIVE.decode(late.get(0).get("event")))
                    .isEqualTo(PrimitiveEvent.newBuilder().setStoreId("S001").setLaneId("L01").setTs(pickup.ts)
                            .setKind(PrimitiveKind.P).build());
            assertThat(io.shrinkwatch.common.jsonl.EventJson.TLOG.decode(late.get(1).get("event")))
                    .isEqualTo(item.toTLog());
            assertThat(entries(h)).isZero();
        }
    }
}
