package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job killed mid-stream and restarted from its last retained checkpoint (RocksDB, checkpointed bounded sources paced
 * per checkpoint)
 * leaves exactly the table rows of an uninterrupted run: state, timers and source positions are restored, and the
 * upserts turn the replayed tail into rewrites, not duplicates.
 */
class KillRestoreITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static EmbeddedPostgres postgres;
    static PatternModel model;
    static Simulator.StoreOutput day;

    @BeforeAll
    static void setUp() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        PriceCatalog catalog = PriceCatalog.bundled();
        Simulator.StoreOutput train = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 41), catalog)
                .simulateStore(0);
        model = DetectionJobITCase.mined(train);
        day = new Simulator(SimulatorConfig.defaults().withSize(1, 4, 8, 42), catalog).simulateStore(0);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * Records each source reader may emit per checkpoint. The primitives need about 15 checkpoint cycles to get through,
     * so however fast the machine, the job cannot finish before the test has seen checkpoint 2 and killed it.
     */
    static final int RECORDS_PER_CHECKPOINT = 1_000;

    /** A checkpointed bounded source over a list, emitting at most {@link #RECORDS_PER_CHECKPOINT} per checkpoint. */
    static DataGeneratorSource<LaneEvent> paced(List<LaneEvent> events) {
        ArrayList<LaneEvent> copy = new ArrayList<>(events);
        GeneratorFunction<Long, LaneEvent> at = i -> copy.get(i.intValue());
        return new DataGeneratorSource<>(at, copy.size(), RateLimiterStrategy.perCheckpoint(RECORDS_PER_CHECKPOINT),
                TypeInformation.of(LaneEvent.class));
    }

    static StreamExecutionEnvironment job(Configuration conf, String database) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        DataStream<LaneEvent> prims = env.fromSource(paced(day.primitives().stream().map(LaneEvent::of).toList()),
                DetectionJob.watermarks(conf), "primitives-paced").uid("primitives-paced");
        DataStream<LaneEvent> tlog = env.fromSource(paced(day.tlog().stream().map(LaneEvent::of).toList()),
                DetectionJob.watermarks(conf), "tlog-paced").uid("tlog-paced");
        DetectionJob.Outputs outs = new DetectionJob(model, conf).wire(prims, tlog);
        new ResultTables(postgres.getJdbcUrl("postgres", database), "postgres", "").attach(outs,
                MetricsJob.wire(outs.verdicts(), conf.get(DetectionOptions.METRIC_WINDOWS)));
        return env;
    }

    static Configuration conf() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return conf;
    }

    static List<String> rows(String database, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", database), "postgres", "");
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int cols = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= cols; i++) {
                    sb.append(r.getString(i)).append('|');
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    static Path latestCheckpoint(Path root) throws Exception {
        try (var walk = Files.walk(root, 3)) {
            return walk.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))))
                    .orElse(null);
        }
    }

    @Test
    void aJobKilledMidStreamAndRestoredLeavesTheRowsOfAnUninterruptedRun(@TempDir Path checkpoints) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE uninterrupted");
            s.execute("CREATE DATABASE restored");
        }
        for (String db : List.of("uninterrupted", "restored")) {
            Migrations.apply(postgres.getJdbcUrl("postgres", db), "postgres", "");
        }
        job(conf(), "uninterrupted").execute("uninterrupted");

        Configuration killed = conf();
        killed.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        killed.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        JobClient first = job(killed, "restored").executeAsync("killed");
        CommonTestUtils.waitUntilCondition(() -> {
            Path latest = latestCheckpoint(checkpoints);
            return latest != null && Integer.parseInt(latest.getFileName().toString().substring(4)) >= 2;
        });
        assertThat(first.getJobStatus().get()).as("still running when killed").isEqualTo(JobStatus.RUNNING);
        first.cancel().get();
        Path checkpoint = latestCheckpoint(checkpoints);
        assertThat(checkpoint).isNotNull();
        long alertsAtKill = rows("restored", "SELECT 1 FROM fake_scan_alerts").size();

        Configuration restore = conf();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
        job(restore, "restored").execute("restored");

        String alerts = "SELECT store_id, lane_id, txn_id, scan_ts, confidence, model_id FROM fake_scan_alerts "
                + "ORDER BY 1, 2, 3, 4";
        String verdicts = "SELECT * FROM transaction_verdicts ORDER BY 1, 2, 3";
        String metrics = "SELECT * FROM shrink_metrics ORDER BY 1, 2, 3, 4";
        List<String> expectedAlerts = rows("uninterrupted", alerts);
        System.out.printf("kill/restore: killed at %s with %d of %d alerts written%n", checkpoint.getFileName(),
                alertsAtKill, expectedAlerts.size());
        assertThat(expectedAlerts).isNotEmpty();
        assertThat(rows("restored", alerts)).isEqualTo(expectedAlerts);
        assertThat(rows("restored", verdicts)).isEqualTo(rows("uninterrupted", verdicts));
        assertThat(rows("restored", metrics)).isEqualTo(rows("uninterrupted", metrics));
    }
}
