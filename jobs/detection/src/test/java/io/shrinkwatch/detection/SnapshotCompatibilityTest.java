package io.shrinkwatch.detection;

import static io.shrinkwatch.detection.LaneDetectorFunctionTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.AlertKind;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lane operator restores snapshots written by an earlier build (fixtures from {@link SnapshotFixtures}). */
class SnapshotCompatibilityTest {

    /** What the current build emits after the cut when it runs the lane uninterrupted. */
    static List<ProvisionalAlert> uninterruptedAfterTheCut(String backend) throws Exception {
        try (var h = ProvisionalAlertsTest.harness(ProvisionalAlertsTest.SETTINGS)) {
            h.setStateBackend(SnapshotFixtures.backend(backend));
            h.open();
            ProvisionalAlertsTest.live(h, SnapshotFixtures.events());
            h.watermark(end());
            List<ProvisionalAlert> all = ProvisionalAlertsTest.provisional(h);
            return all.subList(2, all.size());
        }
    }

    static long end() {
        return T0 + 27_000 + ProvisionalAlertsTest.SETTINGS.settleDelayMs();
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aSnapshotFromBeforeAlertKindsResolvesItsOpenAlertAsAFakeScan(String backend) throws Exception {
        OperatorSubtaskState old = OperatorSnapshotUtil.readStateHandle(SnapshotFixtures.file(backend));
        List<LaneEvent> events = SnapshotFixtures.events();
        try (var h = ProvisionalAlertsTest.harness(ProvisionalAlertsTest.SETTINGS)) {
            h.setStateBackend(SnapshotFixtures.backend(backend));
            h.initializeState(old);
            h.open();
            ProvisionalAlertsTest.live(h, events.subList(SnapshotFixtures.CUT, events.size()));
            h.watermark(end());
            List<ProvisionalAlert> after = ProvisionalAlertsTest.provisional(h);
            assertThat(after).extracting(p -> p.status + "@" + p.txnId).containsExactly("CONFIRMED@T1",
                    "WITHDRAWN@T2");
            assertThat(after).containsExactlyElementsOf(uninterruptedAfterTheCut(backend));
            assertThat(after).extracting(p -> Alerts.toAvro(p).getKind()).containsOnly(AlertKind.FAKE_SCAN);
            assertThat(LaneDetectorFunctionTest.alerts(h)).extracting(a -> a.txnId).containsExactly("T1");
        }
    }
}
