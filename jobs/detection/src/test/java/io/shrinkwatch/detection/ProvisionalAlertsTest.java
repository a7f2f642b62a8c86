package io.shrinkwatch.detection;

import static io.shrinkwatch.detection.LaneDetectorFunctionTest.T0;
import static io.shrinkwatch.detection.LaneDetectorFunctionTest.alerts;
import static io.shrinkwatch.detection.LaneDetectorFunctionTest.entries;
import static io.shrinkwatch.detection.LaneDetectorFunctionTest.line;
import static io.shrinkwatch.detection.LaneDetectorFunctionTest.model;
import static io.shrinkwatch.detection.LaneDetectorFunctionTest.prim;
import static io.shrinkwatch.detection.LaneDetectorFunctionTest.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.TLogType;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Provisional alerts of the lane operator: raised at the drop, confirmed or withdrawn at the settle. */
class ProvisionalAlertsTest {

    /**
     * The test lane's clock pinned at the offset its transactions' estimate gives (barcodes 100 ms after their scan
     * motions): a new lane with an estimated clock raises nothing until the estimate is trusted, which a lone
     * transaction's first barcodes are not ({@link #aLaneWithoutATrustedClockRaisesNoProvisionalAlerts}).
     */
    static final LaneSettings SETTINGS = LaneSettings.from(pinned("S001/L01:-100")).withProvisionalDelay(0);

    static Configuration pinned(String offsets) {
        Configuration conf = new Configuration();
        conf.setString(DetectionOptions.CLOCK_OFFSETS.key(), offsets);
        return conf;
    }

    static KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> harness(LaneSettings s)
            throws Exception {
        return LaneDetectorFunctionTest.harness(s);
    }

    /** The lane's state as a checkpoint takes it: the heap side flushed at the barrier, then the snapshot. */
    static OperatorSubtaskState checkpoint(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h)
            throws Exception {
        h.prepareSnapshotPreBarrier(1L);
        return h.snapshot(1L, 1L);
    }

    /** A new operator restored from {@code snapshot} and opened. */
    static KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> restored(
            OperatorSubtaskState snapshot) throws Exception {
        var h = harness(SETTINGS);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    static List<ProvisionalAlert> provisional(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[],
            FakeScanAlert> h) {
        List<ProvisionalAlert> out = new ArrayList<>();
        var records = h.getSideOutput(LaneDetectorFunction.PROVISIONAL);
        if (records != null) {
            for (StreamRecord<ProvisionalAlert> r : records) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    /** Feeds events one by one with the watermark following each, as a live lane delivers them. */
    static void live(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h,
            List<LaneEvent> events) throws Exception {
        for (LaneEvent e : events) {
            h.processElement(e, e.ts);
            h.watermark(e.ts);
        }
    }

    /** {@link LaneDetectorFunctionTest#transaction} with the third item's barcode 1 s after its drop. */
    static List<LaneEvent> lateBarcodeTransaction(String txn, long start) {
        return transaction(txn, start, 1_000);
    }

    @Test
    void raisesAProvisionalAlertWhenTheWatermarkPassesTheDropAndConfirmsItAtTheSettle() throws Exception {
        try (var h = harness(SETTINGS)) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            h.watermark(T0 + 8_299);
            assertThat(provisional(h)).isEmpty();
            h.watermark(T0 + 8_300);
            assertThat(provisional(h)).singleElement().satisfies(p -> {
                assertThat(p.status).isEqualTo(ProvisionalAlert.PROVISIONAL);
                assertThat(p.txnId).isEqualTo("T1");
                assertThat(p.startTs).isEqualTo(T0 + 7_000);
                assertThat(p.scanTs).isEqualTo(T0 + 7_600);
                assertThat(p.endTs).isEqualTo(T0 + 8_300);
                assertThat(p.decidedTs).isEqualTo(T0 + 8_300);
                assertThat(p.cashierId).isEqualTo("S001-C001");
            });
            assertThat(alerts(h)).isEmpty();
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).singleElement().extracting(a -> a.scanTs).isEqualTo(T0 + 7_600);
            assertThat(provisional(h)).hasSize(2).last().satisfies(p -> {
                assertThat(p.status).isEqualTo(ProvisionalAlert.CONFIRMED);
                assertThat(p.scanTs).isEqualTo(T0 + 7_600);
                assertThat(p.decidedTs).isEqualTo(T0 + 13_000 + SETTINGS.settleDelayMs());
            });
        }
    }

    @Test
    void anItemPassedAroundTheScannerIsRaisedAsAnUnscannedItemAndConfirmedAsOne() throws Exception {
        var model = io.shrinkwatch.schema.PatternModel.newBuilder(model()).setUnscannedItems(true)
                .setMinPickupToDropMs(800).setMaxPickupToDropMs(3_200).build();
        List<LaneEvent> events = new ArrayList<>();
        for (LaneEvent e : transaction("T1", 0)) {
            // The third item's scan motion goes too: picked up at 7 s and dropped at 8.3 s, nothing between.
            if (e.ts != T0 + 7_600) {
                events.add(e);
            }
        }
        try (var h = new KeyedBroadcastOperatorTestHarness<>(new LaneDetectorOperator(model, SETTINGS, 100_000),
                LaneEvent::laneKey, org.apache.flink.api.common.typeinfo.Types.STRING, 1, 1, 0)) {
            h.open();
            live(h, events);
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(provisional(h)).extracting(p -> p.status + " " + p.kind() + "@" + (p.scanTs - T0))
                    .containsExactly("PROVISIONAL UNSCANNED_ITEM@7650", "CONFIRMED UNSCANNED_ITEM@7650");
            assertThat(alerts(h)).singleElement().extracting(a -> a.kind).isEqualTo(FakeScanAlert.UNSCANNED_ITEM);
        }
    }

    @Test
    void aLaneWithoutATrustedClockRaisesNoProvisionalAlerts() throws Exception {
        try (var h = harness(LaneSettings.from(new Configuration()).withProvisionalDelay(0))) {
            h.open();
            live(h, LaneDetectorFunctionTest.thinTransaction("T1", 0));
            h.watermark(T0 + 7_000 + SETTINGS.settleDelayMs());
            assertThat(provisional(h)).isEmpty();
            assertThat(alerts(h)).isEmpty();
        }
    }

    @Test
    void withdrawsAProvisionalAlertWhoseBarcodeArrivesAfterTheDrop() throws Exception {
        try (var h = harness(SETTINGS)) {
            h.open();
            live(h, lateBarcodeTransaction("T1", 0));
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            assertThat(alerts(h)).isEmpty();
            assertThat(provisional(h)).extracting(p -> p.status + "@" + (p.scanTs - T0))
                    .containsExactly("PROVISIONAL@7600", "WITHDRAWN@7600");
        }
    }

    @Test
    void aWatermarkThatJumpsPastManyDropsAndSettlesRaisesWhatALiveLaneRaises() throws Exception {
        List<LaneEvent> events = new ArrayList<>(transaction("T1", 0));
        events.addAll(lateBarcodeTransaction("T2", 14_000));
        events.addAll(transaction("T3", 28_000));
        long end = T0 + 41_000 + SETTINGS.settleDelayMs();
        List<ProvisionalAlert> liveOut;
        try (var h = harness(SETTINGS)) {
            h.open();
            live(h, events);
            h.watermark(end);
            liveOut = provisional(h);
        }
        try (var h = harness(SETTINGS)) {
            h.open();
            for (LaneEvent e : events) {
                h.processElement(e, e.ts);
            }
            h.watermark(end);
            assertThat(provisional(h)).containsExactlyElementsOf(liveOut);
        }
        // T1 settles 11 s after its end, after T2's unregistered item was raised
        assertThat(liveOut).extracting(p -> p.status + "@" + p.txnId).containsExactly("PROVISIONAL@T1",
                "PROVISIONAL@T2", "CONFIRMED@T1", "PROVISIONAL@T3", "WITHDRAWN@T2", "CONFIRMED@T3");
    }

    @Test
    void aRestoreFromASnapshotGivesTheSameProvisionalRecords() throws Exception {
        List<LaneEvent> events = new ArrayList<>(transaction("T1", 0));
        events.addAll(lateBarcodeTransaction("T2", 14_000));
        long end = T0 + 27_000 + SETTINGS.settleDelayMs();
        List<ProvisionalAlert> uninterrupted;
        try (var h = harness(SETTINGS)) {
            h.open();
            live(h, events);
            h.watermark(end);
            uninterrupted = provisional(h);
        }
        assertThat(uninterrupted).hasSize(4);
        // Cut after each provisional alert is raised and before it is resolved, and elsewhere.
        for (int cut : List.of(12, 14, 20, 30)) {
            OperatorSubtaskState snapshot;
            List<ProvisionalAlert> restored = new ArrayList<>();
            try (var h = harness(SETTINGS)) {
                h.open();
                live(h, events.subList(0, cut));
                restored.addAll(provisional(h));
                snapshot = checkpoint(h);
            }
            try (var h = restored(snapshot)) {
                live(h, events.subList(cut, events.size()));
                h.watermark(end);
                restored.addAll(provisional(h));
            }
            assertThat(restored).as("cut at %d", cut).containsExactlyElementsOf(uninterrupted);
        }
    }

    static long looks(KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert> h) {
        return LaneDetectorFunctionTest.function(h).looks();
    }

    @Test
    void aRestoredLaneDoesNotLookAgainAtDropsItLookedAtBeforeTheSnapshot() throws Exception {
        // Cut after T1 settled and T2's drops were looked at: looking at them again after the restore would see T2
        // without T1's events (gone with the settle) and could decide otherwise than the live lane did.
        List<LaneEvent> events = new ArrayList<>(transaction("T1", 0));
        events.addAll(transaction("T2", 14_000));
        long end = T0 + 27_000 + SETTINGS.settleDelayMs();
        long uninterruptedLooks;
        List<ProvisionalAlert> uninterrupted;
        try (var h = harness(SETTINGS)) {
            h.open();
            live(h, events);
            h.watermark(end);
            uninterruptedLooks = looks(h);
            uninterrupted = provisional(h);
        }
        int cut = 0;
        while (events.get(cut).ts <= T0 + 25_300) {
            cut++;
        }
        OperatorSubtaskState snapshot;
        long looksBefore;
        List<ProvisionalAlert> restored = new ArrayList<>();
        try (var h = harness(SETTINGS)) {
            h.open();
            live(h, events.subList(0, cut));
            looksBefore = looks(h);
            restored.addAll(provisional(h));
            snapshot = checkpoint(h);
        }
        try (var h = restored(snapshot)) {
            live(h, events.subList(cut, events.size()));
            h.watermark(end);
            assertThat(looksBefore + looks(h)).isEqualTo(uninterruptedLooks);
            restored.addAll(provisional(h));
        }
        assertThat(uninterruptedLooks).isEqualTo(8);
        assertThat(restored).containsExactlyElementsOf(uninterrupted);
    }

    @Test
    void aDropThatArrivedBeforeASnapshotButThatTheWatermarkPassesAfterTheRestoreIsStillLookedAt() throws Exception {
        // The last item is the unregistered one, so no later drop would prompt a look after the restore.
        List<LaneEvent> events = new ArrayList<>();
        events.add(line(0, TLogType.TXN_START, "T1", null));
        for (int i = 0; i < 4; i++) {
            long p = 1_000 + 3_000L * i;
            events.add(prim(p, "P"));
            events.add(prim(p + 600, "S"));
            if (i != 3) {
                events.add(line(p + 700, TLogType.ITEM, "T1", "20000000000" + i));
            }
            events.add(prim(p + 1_300, "D"));
        }
        OperatorSubtaskState snapshot;
        try (var h = harness(SETTINGS)) {
            h.open();
            for (LaneEvent e : events) {
                h.processElement(e, e.ts);
                h.watermark(e.ts - 2_000);
            }
            snapshot = checkpoint(h);
            assertThat(provisional(h)).extracting(p -> p.scanTs - T0).doesNotContain(10_600L);
        }
        try (var h = restored(snapshot)) {
            h.watermark(T0 + 11_300);
            assertThat(provisional(h)).extracting(p -> p.status + "@" + (p.scanTs - T0))
                    .containsExactly("PROVISIONAL@10600");
        }
    }

    @Test
    void aLaneThatWasOnlyLookedAtKeepsEveryEventInArrivalOrderAcrossFlushes() throws Exception {
        List<LaneEvent> events = new ArrayList<>(transaction("T1", 0));
        try (var h = harness(SETTINGS)) {
            h.open();
            live(h, events.subList(0, 9));
            h.prepareSnapshotPreBarrier(1L);
            live(h, events.subList(9, 14));
            h.prepareSnapshotPreBarrier(2L);
            live(h, events.subList(14, events.size()));
            h.prepareSnapshotPreBarrier(3L);
            assertThat(LaneDetectorFunctionTest.buffered(h)).extracting(e -> e.ts + e.kind)
                    .containsExactlyElementsOf(events.stream().map(e -> e.ts + e.kind).toList());
        }
    }

    @Test
    void leavesNoProvisionalStateOrTimersBehind() throws Exception {
        try (var h = harness(SETTINGS)) {
            h.open();
            live(h, transaction("T1", 0));
            h.prepareSnapshotPreBarrier(1L);
            // buffer, settle queue, activity minute, the raised alert and how far the lane was looked at
            assertThat(entries(h)).isEqualTo(5);
            h.watermark(T0 + 13_000 + SETTINGS.settleDelayMs());
            h.prepareSnapshotPreBarrier(2L);
            // clock history, the activity minute and how far the lane was looked at remain, plus the TTL timer
            assertThat(entries(h)).isEqualTo(3);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.watermark(T0 + LaneDetectorFunction.TTL_RESOLUTION_MS + SETTINGS.laneTtlMs());
            assertThat(entries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void withdrawsWhatARaisedTransactionNeverSettledWhenTheLaneExpiresAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(SETTINGS)) {
            h.open();
            List<LaneEvent> unfinished = new ArrayList<>(transaction("T1", 0));
            unfinished.remove(unfinished.size() - 1);
            live(h, unfinished);
            assertThat(provisional(h)).extracting(p -> p.status).containsExactly(ProvisionalAlert.PROVISIONAL);
            snapshot = checkpoint(h);
        }
        try (var h = restored(snapshot)) {
            h.watermark(T0 + LaneDetectorFunction.TTL_RESOLUTION_MS + SETTINGS.laneTtlMs());
            assertThat(provisional(h)).extracting(p -> p.status).containsExactly(ProvisionalAlert.WITHDRAWN);
            h.prepareSnapshotPreBarrier(2L);
            assertThat(entries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void withdrawsWhatARaisedTransactionNeverSettledWhenTheLaneExpires() throws Exception {
        try (var h = harness(SETTINGS)) {
            h.open();
            List<LaneEvent> unfinished = new ArrayList<>(transaction("T1", 0));
            unfinished.remove(unfinished.size() - 1);
            live(h, unfinished);
            assertThat(provisional(h)).extracting(p -> p.status).containsExactly(ProvisionalAlert.PROVISIONAL);
            h.watermark(T0 + LaneDetectorFunction.TTL_RESOLUTION_MS + SETTINGS.laneTtlMs());
            assertThat(provisional(h)).extracting(p -> p.status).containsExactly(ProvisionalAlert.PROVISIONAL,
                    ProvisionalAlert.WITHDRAWN);
            h.prepareSnapshotPreBarrier(1L);
            assertThat(entries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void isOffByDefaultWithNoTimerPerDrop() throws Exception {
        try (var h = harness(LaneDetectorFunctionTest.SETTINGS)) {
            h.open();
            for (LaneEvent e : transaction("T1", 0)) {
                h.processElement(e, e.ts);
            }
            // the settle timer and the TTL timer only
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            h.watermark(T0 + 13_000 + LaneDetectorFunctionTest.SETTINGS.settleDelayMs());
            assertThat(alerts(h)).hasSize(1);
            assertThat(provisional(h)).isEmpty();
        }
    }
}
