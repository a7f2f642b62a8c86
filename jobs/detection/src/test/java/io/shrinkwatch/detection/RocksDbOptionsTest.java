package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's RocksDB options keep the MANIFEST, which every checkpoint ships, from growing with the job's age. */
class RocksDbOptionsTest {

    static final long CAP = 8 * 1024;

    /** Size of the MANIFEST in the last of many checkpoints of a few lanes' steady traffic. */
    static long manifestAfterManyCheckpoints(RocksDbOptions options, Path dir) throws Exception {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(false);
        if (options != null) {
            backend.setRocksDBOptions(options);
        }
        long manifest = -1;
        try (var h = new KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert>(
                new LaneDetectorOperator(LaneDetectorFunctionTest.model(), LaneDetectorFunctionTest.SETTINGS, 100_000),
                LaneEvent::laneKey, Types.STRING, 1, 1, 0)) {
            h.setStateBackend(backend);
            h.setCheckpointStorage(new FileSystemCheckpointStorage(dir.toUri()));
            h.open();
            for (int n = 0; n < 120; n++) {
                long start = n * 20_000L;
                for (LaneEvent e : LaneDetectorFunctionTest.transaction("T" + n, start)) {
                    h.processElement(e, e.ts);
                }
                h.watermark(LaneDetectorFunctionTest.T0 + start + 13_000 + LaneDetectorFunctionTest.SETTINGS.settleDelayMs());
                h.getOperator().prepareSnapshotPreBarrier(n + 1);
                OperatorSubtaskState s = h.snapshot(n + 1, start);
                h.notifyOfCompletedCheckpoint(n + 1);
                manifest = manifestSize(s);
            }
        }
        return manifest;
    }

    static long manifestSize(OperatorSubtaskState s) {
        for (var handle : s.getManagedKeyedState()) {
            if (handle instanceof IncrementalRemoteKeyedStateHandle h) {
                return h.getPrivateState().stream().filter(f -> f.getLocalPath().startsWith("MANIFEST"))
                        .mapToLong(f -> f.getHandle().getStateSize()).sum();
            }
        }
        throw new AssertionError("no RocksDB checkpoint handle in " + s);
    }

    @Test
    void rollsTheManifestAtTheConfiguredSizeWhereRocksDbDefaultsLetItGrow(@TempDir Path dir) throws Exception {
        Configuration c = new Configuration();
        c.set(RocksDbOptions.MAX_MANIFEST_SIZE, MemorySize.parse(CAP + "b"));
        RocksDbOptions bounded = (RocksDbOptions) new RocksDbOptions().configure(c);
        long withOptions = manifestAfterManyCheckpoints(bounded, Files.createDirectory(dir.resolve("bounded")));
        long withDefaults = manifestAfterManyCheckpoints(null, Files.createDirectory(dir.resolve("defaults")));
        assertThat(withDefaults).as("RocksDB's default MANIFEST after 120 checkpoints").isGreaterThan(4 * CAP);
        assertThat(withOptions).isPositive().isLessThanOrEqualTo(2 * CAP);
    }
}
