package io.shrinkwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shrinkwatch.algorithm.classify.ScanEvent;
import io.shrinkwatch.algorithm.classify.SegmentationRules;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.common.FileTrees;
import io.shrinkwatch.common.jsonl.EventJson;
import io.shrinkwatch.common.jsonl.JsonLinesReader;
import io.shrinkwatch.detection.DetectionJob;
import io.shrinkwatch.detection.DetectionOptions;
import io.shrinkwatch.detection.ProvisionalAlert;
import io.shrinkwatch.detection.FakeScanAlert;
import io.shrinkwatch.detection.LaneEvent;
import io.shrinkwatch.detection.MetricsJob;
import io.shrinkwatch.detection.ResultTables;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import java.io.BufferedWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code detect} (alias {@code replay}): classifies every transaction of JSON Lines files with a model and writes one
 * JSON line per fake scan. By default it runs the streaming detection job's graph (the same operators as
 * {@code stream}, bounded sources instead of Kafka) on an embedded Flink cluster, so a backtest runs exactly what
 * production runs; {@code --engine library} runs the algorithm library alone (no Flink; faster for sweeps).
 *
 * <p>The job engine reads the inputs into memory first (fine for days of a region; a streaming file source for larger
 * replays is unfinished) so bad lines can be reported by file and line as everywhere else, and sorts them by event
 * time (stable), so the order of lines in the files does not matter.
 */
@Command(name = "detect", aliases = "replay", mixinStandardHelpOptions = true,
        description = "Find unregistered items (fake scans) with a model: runs the Flink detection job over JSON Lines "
                + "files on an embedded cluster (or the library alone); one JSON line per alert.")
final class DetectCommand implements Callable<Integer> {

    /** What runs the detection. */
    enum Engine { job, library }

    @Mixin
    DetectionFiles files;

    @Option(names = "--engine", defaultValue = "job",
            description = "job: the Flink detection job (default); library: the algorithm library without Flink.")
    Engine engine;

    @Option(names = "--incidents", description = "Confirmed incidents, JSON Lines (archived with --archive-dir).")
    Path incidents;

    @Option(names = "--archive-dir", description = "Job engine: write the archive of aligned sequences and incidents "
            + "(Avro, by date and store) here, the input of re-mining.")
    String archiveDir;

    @Option(names = "--provisional-out", description = "Job engine: also raise provisional alerts (at each drop, before "
            + "the transaction ends) and write them with their confirmations and withdrawals here, JSON Lines.")
    Path provisionalOut;

    @Option(names = "--provisional-delay-ms", description = "With --provisional-out: event time after a drop at which "
            + "the lane is classified (default: shrinkwatch.provisional-alerts.delay, 2500).")
    Long provisionalDelayMs;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--state-backend", defaultValue = "rocksdb", description = "rocksdb or hashmap (default ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(names = "--clock-offsets", description = "Job engine: pinned camera-minus-POS offsets, e.g. "
            + "'S001/L03:1500,S001/L04:-200'; other lanes are estimated.")
    String clockOffsets;

    @Mixin
    ResultTableOptions jdbc;

    @Option(names = "--scheme", description = "Weight scheme: ${COMPLETION-CANDIDATES} (default: the model's).")
    WeightScheme scheme;

    @Option(names = "--threshold", description = "Classification threshold (default: the model's).")
    Double threshold;

    @Option(names = "--min-fake-gap-ms", description = "Minimum gap between fake scans (default: the model's).")
    Long minFakeGapMs;

    @Option(names = "--reconcile-before-ms", description = "Barcode reconciliation before the scan motion (default: the model's).")
    Long reconcileBeforeMs;

    @Option(names = "--reconcile-after-ms", description = "Barcode reconciliation after the scan motion (default: the model's).")
    Long reconcileAfterMs;

    @Option(names = "--align-scans", arity = "0..1", fallbackValue = "true", description = "Scan alignment on "
            + "(or --align-scans=false off); default: the model's.")
    Boolean alignScans;

    @Option(names = "--paper", description = "The paper's segmentation only: no reconciliation, no scan alignment, "
            + "no plausibility rule.")
    boolean paper;

    @Mixin
    SequenceOptions seq;

    @Override
    public Integer call() throws Exception {
        if (!stateBackend.equals("rocksdb") && !stateBackend.equals("hashmap")) {
            throw new IllegalArgumentException("--state-backend must be rocksdb or hashmap, got '" + stateBackend + "'");
        }
        if (engine == Engine.library && (archiveDir != null || jdbc.jdbcUrl != null || clockOffsets != null
                || provisionalOut != null)) {
            throw new IllegalArgumentException("--archive-dir, --jdbc-url, --clock-offsets and --provisional-out need "
                    + "--engine job");
        }
        if (provisionalDelayMs != null && provisionalDelayMs < 0) {
            throw new IllegalArgumentException("--provisional-delay-ms must be >= 0, got " + provisionalDelayMs);
        }
        if (engine == Engine.job && seq.noClockEstimate) {
            throw new IllegalArgumentException("--no-clock-estimate is for --engine library; the job pins offsets "
                    + "with --clock-offsets");
        }
        PatternModel m = overridden(ModelIo.read(files.model));
        return engine == Engine.library ? library(m) : job(m);
    }

    /**
     * The model with the command line's scheme, threshold and segmentation overrides written into it, so both engines
     * apply them the same way. An overridden model gets a new id ({@code ID~cli}): outputs must not name a model that
     * did not produce them.
     */
    PatternModel overridden(PatternModel m) {
        boolean any = scheme != null || threshold != null || minFakeGapMs != null || reconcileBeforeMs != null
                || reconcileAfterMs != null || alignScans != null || paper;
        if (!any) {
            return m;
        }
        PatternModel o = PatternModel.newBuilder(m).build();
        if (scheme != null) {
            o.setDefaultScheme(scheme);
        }
        if (threshold != null) {
            o.setThreshold(threshold);
        }
        if (minFakeGapMs != null) {
            o.setMinFakeScanGapMs(minFakeGapMs);
        }
        if (reconcileBeforeMs != null) {
            o.setReconcileBeforeMs(reconcileBeforeMs);
        }
        if (reconcileAfterMs != null) {
            o.setReconcileAfterMs(reconcileAfterMs);
        }
        if (alignScans != null) {
            o.setAlignScans(alignScans);
        }
        if (paper) {
            SegmentationRules p = SegmentationRules.paper();
            o.setAlignScans(p.alignScans());
            o.setReconcileBeforeMs(p.reconcileBeforeMs());
            o.setReconcileAfterMs(p.reconcileAfterMs());
            o.setMinPickupToScanMs(p.minPickupToScanMs());
            o.setMinScanToDropMs(p.minScanToDropMs());
        }
        o.setModelId(m.getModelId() + "~cli");
        return o;
    }

    private int library(PatternModel m) throws Exception {
        Detector detector = Detector.of(m);
        InputFiles.Loaded in = InputFiles.load(files.primitives, files.tlog, null, seq.strict, seq.marginBeforeMs,
                seq.marginAfterMs, !seq.noClockEstimate, seq.clockTrustedOnly, System.err);
        long[] totals = detect(detector, in, files.alertsOut);
        System.out.printf("%d transactions, %d registered items, %d true scans, %d fake-scan alerts -> %s (model %s)%n",
                in.transactions().size(), totals[0], totals[1], totals[2], files.alertsOut, m.getModelId());
        return 0;
    }

    private int job(PatternModel m) throws Exception {
        JsonLinesReader reader = new JsonLinesReader(seq.strict);
        List<LaneEvent> prims = new ArrayList<>();
        reader.read(files.primitives, EventJson.PRIMITIVE, p -> prims.add(LaneEvent.of(p)));
        List<LaneEvent> lines = new ArrayList<>();
        reader.read(files.tlog, EventJson.TLOG, t -> lines.add(LaneEvent.of(t)));
        List<LaneEvent> incs = new ArrayList<>();
        if (incidents != null) {
            reader.read(incidents, EventJson.INCIDENT, i -> incs.add(LaneEvent.of(i)));
        }
        InputFiles.reportBadLines(reader, System.err);
        // A live chain delivers all stores interleaved in time; files are often written store after store. Presented
        // in file order, every later store would be hours behind the watermark and go to the late output.
        prims.sort(Comparator.comparingLong(e -> e.ts));
        lines.sort(Comparator.comparingLong(e -> e.ts));
        System.err.printf("running the detection job over %d primitives and %d TLog lines (parallelism %d, %s)%n",
                prims.size(), lines.size(), parallelism, stateBackend);
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        io.shrinkwatch.detection.RocksDbOptions.applyTo(conf);
        conf.set(DetectionOptions.MARGIN_BEFORE, Duration.ofMillis(seq.marginBeforeMs));
        conf.set(DetectionOptions.MARGIN_AFTER, Duration.ofMillis(seq.marginAfterMs));
        conf.set(DetectionOptions.TRUSTED_CLOCKS_ONLY, seq.clockTrustedOnly);
        if (clockOffsets != null) {
            conf.setString(DetectionOptions.CLOCK_OFFSETS.key(), clockOffsets);
        }
        if (archiveDir != null) {
            conf.set(DetectionOptions.ARCHIVE_DIR, Path.of(archiveDir).toAbsolutePath().toUri().toString());
        }
        if (provisionalOut != null) {
            conf.set(DetectionOptions.PROVISIONAL_ALERTS, true);
            if (provisionalDelayMs != null) {
                conf.set(DetectionOptions.PROVISIONAL_DELAY, Duration.ofMillis(provisionalDelayMs));
            }
        }
        ResultTables tables = jdbc.migrateAndOpen();
        LocalClusterScratch scratch = new LocalClusterScratch();
        List<ProvisionalAlert> provisional = new ArrayList<>();
        List<FakeScanAlert> alerts = runJob(m, prims, lines, incidents == null ? null : incs, parallelism, conf, tables,
                provisional);
        scratch.cleanUp(5_000);
        if (provisionalOut != null) {
            writeProvisional(provisional, provisionalOut);
            long raised = provisional.stream().filter(p -> p.status.equals(ProvisionalAlert.PROVISIONAL)).count();
            long confirmed = provisional.stream().filter(p -> p.status.equals(ProvisionalAlert.CONFIRMED)).count();
            System.out.printf("%d provisional alerts, %d confirmed, %d withdrawn -> %s%n", raised, confirmed,
                    provisional.stream().filter(p -> p.status.equals(ProvisionalAlert.WITHDRAWN)).count(),
                    provisionalOut);
        }
        alerts.sort(Comparator.comparing((FakeScanAlert a) -> a.storeId).thenComparing(a -> a.laneId)
                .thenComparingLong(a -> a.scanTs));
        writeAlerts(alerts, files.alertsOut);
        System.out.printf("%d fake-scan alerts -> %s (model %s)%n", alerts.size(), files.alertsOut, m.getModelId());
        if (archiveDir != null) {
            System.out.printf("archive of aligned sequences%s -> %s%n", incidents == null ? "" : " and incidents",
                    archiveDir);
        }
        return 0;
    }

    /**
     * Runs the detection job over in-memory events and returns its alerts.
     *
     * @param incidents incident events to archive, or null
     * @param conf job options; with {@link DetectionOptions#ARCHIVE_DIR} set, the archive is written (checkpoints every
     *     second commit its files)
     */
    static List<FakeScanAlert> runJob(PatternModel m, List<LaneEvent> prims, List<LaneEvent> lines,
            List<LaneEvent> incidents, int parallelism, Configuration conf, ResultTables tables) throws Exception {
        return runJob(m, prims, lines, incidents, parallelism, conf, tables, new ArrayList<>());
    }

    /**
     * @param provisional receives the provisional-alert records (with {@link DetectionOptions#PROVISIONAL_ALERTS})
     */
    static List<FakeScanAlert> runJob(PatternModel m, List<LaneEvent> prims, List<LaneEvent> lines,
            List<LaneEvent> incidents, int parallelism, Configuration conf, ResultTables tables,
            List<ProvisionalAlert> provisional) throws Exception {
        if ((tables == null && conf.get(DetectionOptions.ARCHIVE_DIR) == null)
                || conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            return runJobIn(m, prims, lines, incidents, parallelism, conf, tables, provisional);
        }
        // Checkpoints commit the archive and the tables: to files, in a directory of this run.
        Path dir = Files.createTempDirectory("shrinkwatch-detect-checkpoints");
        try {
            Configuration withFiles = new Configuration(conf);
            DetectionJob.checkpointToFiles(withFiles, dir);
            return runJobIn(m, prims, lines, incidents, parallelism, withFiles, tables, provisional);
        } finally {
            FileTrees.delete(dir);
        }
    }

    private static List<FakeScanAlert> runJobIn(PatternModel m, List<LaneEvent> prims, List<LaneEvent> lines,
            List<LaneEvent> incidents, int parallelism, Configuration conf, ResultTables tables,
            List<ProvisionalAlert> provisional) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        TypeInformation<LaneEvent> type = TypeInformation.of(LaneEvent.class);
        DataStream<LaneEvent> p = env.fromData(prims, type).name("primitives-file").uid("primitives-file")
                .assignTimestampsAndWatermarks(DetectionJob.watermarks(conf)).name("primitives-watermarks")
                .uid("primitives-watermarks");
        DataStream<LaneEvent> t = env.fromData(lines, type).name("tlog-file").uid("tlog-file")
                .assignTimestampsAndWatermarks(DetectionJob.watermarks(conf)).name("tlog-watermarks")
                .uid("tlog-watermarks");
        String archive = conf.get(DetectionOptions.ARCHIVE_DIR);
        if (tables != null || archive != null) {
            env.enableCheckpointing(1_000);
        }
        DetectionJob.Outputs outs = new DetectionJob(m, conf).wire(p, t);
        if (archive != null) {
            DataStream<LaneEvent> inc = incidents == null || incidents.isEmpty() ? null
                    : env.fromData(incidents, type).name("incidents-file").uid("incidents-file");
            outs = DetectionJob.archive(outs, inc, archive);
        }
        if (tables != null) {
            tables.attach(outs, MetricsJob.wire(outs.verdicts(), conf.get(DetectionOptions.METRIC_WINDOWS)));
            if (conf.get(DetectionOptions.PROVISIONAL_ALERTS)) {
                tables.attachProvisional(outs.provisional());
            }
        }
        List<FakeScanAlert> out = new ArrayList<>();
        if (!conf.get(DetectionOptions.PROVISIONAL_ALERTS)) {
            try (CloseableIterator<FakeScanAlert> it = outs.alerts().executeAndCollect("shrinkwatch-detect")) {
                it.forEachRemaining(out::add);
            }
            return out;
        }
        try (CloseableIterator<FakeScanAlert> it = outs.alerts().collectAsync();
                CloseableIterator<ProvisionalAlert> pit = outs.provisional().collectAsync()) {
            env.executeAsync("shrinkwatch-detect");
            // Both drained at once: a collect sink whose reader waits blocks the job once its buffer is full.
            List<ProvisionalAlert> got = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicReference<RuntimeException> failed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    pit.forEachRemaining(got::add);
                } catch (RuntimeException e) {
                    failed.set(e);
                }
            }, "provisional-collect");
            reader.start();
            it.forEachRemaining(out::add);
            reader.join();
            if (failed.get() != null) {
                throw failed.get();
            }
            provisional.addAll(got);
        }
        return out;
    }

    static void writeAlerts(List<FakeScanAlert> alerts, Path file) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file))) {
            for (FakeScanAlert a : alerts) {
                w.write(alertLine(mapper, a.storeId, a.laneId, a.txnId, a.cashierId, a.scanTs, a.startTs, a.endTs,
                        a.confidence, a.modelId, a.kind));
                w.write('\n');
            }
        }
    }

    /** Provisional-alert records as JSON lines, in the order the job emitted them per lane. */
    static void writeProvisional(List<ProvisionalAlert> records, Path file) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file))) {
            for (ProvisionalAlert p : records) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("status", p.status);
                a.put("store_id", p.storeId);
                a.put("lane_id", p.laneId);
                a.put("txn_id", p.txnId);
                a.put("cashier_id", p.cashierId);
                a.put("scan_ts", p.scanTs);
                a.put("start_ts", p.startTs);
                a.put("end_ts", p.endTs);
                a.put("confidence", p.confidence);
                a.put("model_id", p.modelId);
                a.put("decided_ts", p.decidedTs);
                a.put("kind", p.kind());
                w.write(mapper.writeValueAsString(a));
                w.write('\n');
            }
        }
    }

    /** One alert as a JSON line, whichever engine produced it. */
    static String alertLine(ObjectMapper mapper, String store, String lane, String txn, String cashier, long scanTs,
            long startTs, long endTs, double confidence, String modelId, String kind) throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("store_id", store);
        a.put("lane_id", lane);
        a.put("txn_id", txn);
        a.put("cashier_id", cashier);
        a.put("scan_ts", scanTs);
        a.put("start_ts", startTs);
        a.put("end_ts", endTs);
        a.put("confidence", confidence);
        a.put("model_id", modelId);
        a.put("kind", kind);
        return mapper.writeValueAsString(a);
    }

    /** Returns {registered items, true scans, alerts}. */
    static long[] detect(Detector detector, InputFiles.Loaded in, Path alertsOut) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        long items = 0;
        long trueScans = 0;
        long alerts = 0;
        if (alertsOut.toAbsolutePath().getParent() != null) {
            Files.createDirectories(alertsOut.toAbsolutePath().getParent());
        }
        int done = 0;
        long t0 = System.nanoTime();
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(alertsOut))) {
            for (TransactionSequence t : in.transactions()) {
                Detector.Result r = detector.detect(t);
                items += t.barcodeCount();
                trueScans += r.trueScanCount();
                for (ScanEvent f : r.fakeScans()) {
                    w.write(alertLine(mapper, t.storeId(), t.laneId(), t.txnId(), t.cashierId(), f.sTs(), f.pTs(),
                            f.dTs(), Math.round(f.confidence() * 1000) / 1000.0, detector.modelId(),
                            FakeScanAlert.kindOf(f)));
                    w.write('\n');
                    alerts++;
                }
                if (++done % 50_000 == 0) {
                    System.err.printf("classified %d/%d transactions (%.1f s)%n", done, in.transactions().size(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        return new long[] {items, trueScans, alerts};
    }
}
