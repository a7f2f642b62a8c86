package io.shrinkwatch.benchmarks;

import io.shrinkwatch.detection.FakeScanAlert;
import io.shrinkwatch.detection.LaneDetectorOperator;
import io.shrinkwatch.detection.LaneEvent;
import io.shrinkwatch.detection.LaneSettings;
import io.shrinkwatch.detection.RocksDbOptions;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * Issue #6, benchmark 3 continued: does the lane operator's state stay bounded however long the job runs? The
 * production {@link LaneDetectorOperator} runs in Flink's operator test harness, fed a simulated chain in event-time
 * order with the watermark trailing the newest event by the default out-of-orderness (2 s), as a live chain would;
 * every 30 minutes of event time a snapshot (after the pre-barrier flush, as a checkpoint does) gives the state's
 * size. Unlike {@link StateSize}, which runs the whole job as fast as it goes, this keeps replay artefacts (a
 * watermark minutes behind a fast source, so more buffered events) out of the figure.
 *
 * <p>Two runs over the same input: the heap backend, whose snapshot is the serialized live state (deterministic), and
 * RocksDB, whose checkpoint (full or incremental, since Flink 1.17 both ship RocksDB's files) holds the SST files as
 * compaction left them and the MANIFEST, so it varies a little from run to run. RocksDB runs with the job's
 * {@link RocksDbOptions} (bounded MANIFEST); {@code -Dshrinkwatch.defaultRocksDbOptions=true} runs it with RocksDB's
 * defaults, whose MANIFEST grows with every flush. The simulated day's traffic changes by the hour; the scan motions
 * and barcodes per lane in the last 30 minutes (the span of the clock history) are printed so state can be read
 * against traffic. Usage: {@code java -Xmx8g -cp jobs/benchmarks/target/benchmarks.jar
 * io.shrinkwatch.benchmarks.StateGrowth [lanes] [hours] [startHourUtc]} (defaults 1000, 6, 12).
 */
public final class StateGrowth {

    private StateGrowth() {
    }

    public static void main(String[] args) throws Exception {
        int lanes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double hours = args.length > 1 ? Double.parseDouble(args[1]) : 6;
        int startHour = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        int perStore = 50;
        int stores = Math.max(1, lanes / perStore);
        PriceCatalog catalog = PriceCatalog.bundled();
        PatternModel model = DetectionThroughput.trainedModel(catalog);
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(stores, Math.min(perStore, lanes), hours, 9)
                .withStartHourUtc(startHour);
        long start = cfg.startMs();
        LaneEvent[] events = DetectionThroughput.chain(new Simulator(cfg, catalog), stores);
        int activeLanes = stores * Math.min(perStore, lanes);
        LaneSettings settings = LaneSettings.from(new Configuration());
        long ooo = new Configuration().get(io.shrinkwatch.detection.DetectionOptions.OUT_OF_ORDERNESS).toMillis();
        System.out.printf("machine: %d cores, java %s; %d lanes, %.1f h from %02d:00 UTC, %,d events; watermark = "
                + "newest event - %d ms%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), activeLanes, hours, startHour, events.length, ooo);
        System.out.println("backend  minutes  S+B_per_lane_last_30min  state_bytes  bytes_per_lane  timers_per_lane");
        for (String backend : new String[] {"hashmap", "rocksdb"}) {
            run(backend, model, settings, events, activeLanes, start, ooo);
        }
    }

    private static void run(String backend, PatternModel model, LaneSettings settings, LaneEvent[] events,
            int activeLanes, long start, long ooo) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("shrinkwatch-state-growth");
        try (var h = new KeyedBroadcastOperatorTestHarness<String, LaneEvent, byte[], FakeScanAlert>(
                new LaneDetectorOperator(model, settings, 100_000), LaneEvent::laneKey, Types.STRING, 1, 1, 0)) {
            // To files, as in production (the harness's default in-memory storage refuses more than 5 MB).
            h.setCheckpointStorage(new FileSystemCheckpointStorage(dir.toUri()));
            if (backend.equals("rocksdb")) {
                EmbeddedRocksDBStateBackend rocks = new EmbeddedRocksDBStateBackend(false);
                if (!Boolean.getBoolean("shrinkwatch.defaultRocksDbOptions")) {
                    rocks.setRocksDBOptions(new RocksDbOptions());
                }
                h.setStateBackend(rocks);
            }
            h.open();
            long nextReport = start + 30 * 60_000L;
            long checkpoint = 0;
            long newest = Long.MIN_VALUE;
            int recentFrom = 0;
            for (int i = 0; i < events.length; i++) {
                LaneEvent e = events[i];
                h.processElement(e, e.ts);
                newest = Math.max(newest, e.ts);
                if (i % 200 == 0) {
                    h.watermark(newest - ooo);
                }
                // The output list grows with every alert; the figures here are about state, so it is emptied.
                if (i % 10_000 == 0) {
                    h.getOutput().clear();
                }
                if (e.ts >= nextReport) {
                    while (events[recentFrom].ts < e.ts - 30 * 60_000L) {
                        recentFrom++;
                    }
                    long recent = 0;
                    for (int j = recentFrom; j <= i; j++) {
                        if ("S".equals(events[j].kind) || "ITEM".equals(events[j].kind)) {
                            recent++;
                        }
                    }
                    h.getOperator().prepareSnapshotPreBarrier(++checkpoint);
                    OperatorSubtaskState s = h.snapshot(checkpoint, e.ts);
                    System.out.printf("%-7s  %7d  %23d  %,11d  %14d  %15.1f%n", backend, (e.ts - start) / 60_000,
                            recent / activeLanes, s.getStateSize(), s.getStateSize() / activeLanes,
                            h.numEventTimeTimers() / (double) activeLanes);
                    nextReport += 30 * 60_000L;
                }
            }
        } finally {
            io.shrinkwatch.common.FileTrees.delete(dir);
        }
    }
}
