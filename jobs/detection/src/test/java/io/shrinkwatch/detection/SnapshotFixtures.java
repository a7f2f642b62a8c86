package io.shrinkwatch.detection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * Writes the lane-operator snapshots that {@link SnapshotCompatibilityTest} restores: one lane cut with two provisional
 * alerts open (one the settle will confirm, one it will withdraw), on each backend.
 *
 * <p>A fixture is the state format of the build that wrote it; the committed ones come from build 145bc4e, before
 * provisional alerts carried their kind. Regenerate them (run this main from {@code jobs/detection}) only when a state
 * format change is meant to break restores of older savepoints, and say so in the README.
 */
public final class SnapshotFixtures {

    static final Path DIR = Path.of("src/test/resources/snapshots");

    private SnapshotFixtures() {
    }

    /** The lane's events: a transaction with an unregistered item, then one whose late barcode withdraws its alert. */
    static List<LaneEvent> events() {
        List<LaneEvent> events = new ArrayList<>(LaneDetectorFunctionTest.transaction("T1", 0));
        events.addAll(ProvisionalAlertsTest.lateBarcodeTransaction("T2", 14_000));
        return events;
    }

    /** Events fed before the snapshot: up to T2's unregistered item's drop, before its late barcode and T1's settle. */
    static final int CUT = 29;

    static String file(String backend) {
        return DIR.resolve("provisional-open-" + backend + ".snapshot").toString();
    }

    static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend(false) : new HashMapStateBackend();
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(DIR);
        for (String name : List.of("heap", "rocksdb")) {
            try (var h = ProvisionalAlertsTest.harness(ProvisionalAlertsTest.SETTINGS)) {
                h.setStateBackend(backend(name));
                h.open();
                ProvisionalAlertsTest.live(h, events().subList(0, CUT));
                OperatorSubtaskState s = ProvisionalAlertsTest.checkpoint(h);
                OperatorSnapshotUtil.writeStateHandle(s, file(name));
                System.out.println(file(name) + ": " + ProvisionalAlertsTest.provisional(h).size() + " raised");
            }
        }
    }
}
