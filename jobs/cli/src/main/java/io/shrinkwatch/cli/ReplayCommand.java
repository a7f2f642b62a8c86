package io.shrinkwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.common.jsonl.EventJson;
import io.shrinkwatch.common.jsonl.JsonLinesReader;
import io.shrinkwatch.detection.DetectionJob;
import io.shrinkwatch.detection.DetectionOptions;
import io.shrinkwatch.detection.MetricsJob;
import io.shrinkwatch.detection.ResultTables;
import io.shrinkwatch.detection.FakeScanAlert;
import io.shrinkwatch.detection.LaneEvent;
import io.shrinkwatch.schema.PatternModel;
import java.io.BufferedWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code replay}: runs the streaming detection job's graph over JSON Lines files on an embedded Flink cluster, so a
 * backtest runs exactly what production runs. The inputs are read into memory first (fine for days of a store; a
 * file source for larger replays is unfinished, issue #3).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the Flink detection job over JSON Lines files on an embedded cluster (RocksDB state).")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    DetectionFiles files;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--state-backend", defaultValue = "rocksdb", description = "rocksdb or hashmap (default ${DEFAULT-VALUE}).")
    String stateBackend;

    @Mixin
    ResultTableOptions jdbc;

    @Option(names = "--strict", description = "Stop at the first bad input line.")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        if (!stateBackend.equals("rocksdb") && !stateBackend.equals("hashmap")) {
            throw new IllegalArgumentException("--state-backend must be rocksdb or hashmap, got '" + stateBackend + "'");
        }
        PatternModel m = ModelIo.read(files.model);
        JsonLinesReader reader = new JsonLinesReader(strict);
        List<LaneEvent> prims = new ArrayList<>();
        reader.read(files.primitives, EventJson.PRIMITIVE, p -> prims.add(LaneEvent.of(p)));
        List<LaneEvent> lines = new ArrayList<>();
        reader.read(files.tlog, EventJson.TLOG, t -> lines.add(LaneEvent.of(t)));
        InputFiles.reportBadLines(reader, System.err);
        System.err.printf("replaying %d primitives and %d TLog lines through the detection job (parallelism %d, %s)%n",
                prims.size(), lines.size(), parallelism, stateBackend);
        ResultTables tables = jdbc.migrateAndOpen();
        LocalClusterScratch scratch = new LocalClusterScratch();
        List<FakeScanAlert> alerts = run(m, prims, lines, parallelism, stateBackend, tables);
        scratch.cleanUp(5_000);
        alerts.sort(Comparator.comparing((FakeScanAlert a) -> a.storeId).thenComparing(a -> a.laneId)
                .thenComparingLong(a -> a.scanTs));
        write(alerts, files.alertsOut);
        System.out.printf("%d fake-scan alerts -> %s (model %s)%n", alerts.size(), files.alertsOut, m.getModelId());
        return 0;
    }

    static List<FakeScanAlert> run(PatternModel m, List<LaneEvent> prims, List<LaneEvent> lines, int parallelism,
            String stateBackend, ResultTables tables) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        TypeInformation<LaneEvent> type = TypeInformation.of(LaneEvent.class);
        DataStream<LaneEvent> p = env.fromData(prims, type).name("primitives-file")
                .assignTimestampsAndWatermarks(DetectionJob.watermarks(conf));
        DataStream<LaneEvent> t = env.fromData(lines, type).name("tlog-file")
                .assignTimestampsAndWatermarks(DetectionJob.watermarks(conf));
        if (tables != null) {
            env.enableCheckpointing(1_000);
        }
        DetectionJob.Outputs outs = new DetectionJob(m, conf).wire(p, t);
        if (tables != null) {
            tables.attach(outs, MetricsJob.wire(outs.verdicts(), conf.get(DetectionOptions.METRIC_WINDOWS)));
        }
        List<FakeScanAlert> out = new ArrayList<>();
        try (CloseableIterator<FakeScanAlert> it = outs.alerts().executeAndCollect("shrinkwatch-replay")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    static void write(List<FakeScanAlert> alerts, Path file) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file))) {
            for (FakeScanAlert a : alerts) {
                w.write(DetectCommand.alertLine(mapper, a.storeId, a.laneId, a.txnId, a.cashierId, a.scanTs,
                        a.startTs, a.endTs, a.confidence, a.modelId));
                w.write('\n');
            }
        }
    }
}
