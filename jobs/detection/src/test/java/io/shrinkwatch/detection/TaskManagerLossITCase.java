package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.localkafka.LocalKafka;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka pipeline loses its only TaskManager mid-stream, with alerts already committed and transactions open, and
 * Flink's restart strategy (as {@code flink-conf/config.yaml} sets it) brings it back on a new one from the last
 * checkpoint: the alerts topic then holds every alert of an uninterrupted replay exactly once, and so do the per-store
 * metrics. The recovery here is Flink's own (no savepoint, no {@code --restore-from}), the case a cluster meets when a
 * machine dies; the local state copies ({@code state-recovery.from-local}) die with the TaskManager, so the state comes
 * from the checkpoint directory.
 */
class TaskManagerLossITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static KafkaClusterTestKit kafka;
    static PatternModel model;
    static Simulator.StoreOutput day;

    @BeforeAll
    static void startKafkaAndSimulate() throws Exception {
        kafka = LocalKafka.start();
        PriceCatalog catalog = PriceCatalog.bundled();
        Simulator.StoreOutput train = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 31), catalog)
                .simulateStore(0);
        model = DetectionJobITCase.mined(train);
        day = new Simulator(SimulatorConfig.defaults().withSize(1, 3, 6, 32), catalog).simulateStore(0);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aLostTaskManagerIsReplacedAndEveryAlertIsCommittedExactlyOnce(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        KafkaDetectionITCase.createPipelineTopics(kafka, "tm");
        long first = day.primitives().get(0).getTs();
        long half = first + (day.primitives().get(day.primitives().size() - 1).getTs() - first) / 2;
        Path checkpoints = Files.createTempDirectory("tm-loss-checkpoints");
        Path savepoints = Files.createTempDirectory("tm-loss-savepoints");
        Properties pp = new Properties();
        pp.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            KafkaDetectionITCase.sendDay(day, producer, "tm-primitives", "tm-tlog", ts -> ts < half);
            producer.flush();

            Configuration conf = KafkaDetectionITCase.conf();
            // The restart strategy and local recovery of flink-conf/config.yaml; a shorter first back-off.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofMillis(200));
            conf.set(StateRecoveryOptions.LOCAL_RECOVERY, true);
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            env.enableCheckpointing(5_000);
            new KafkaPipeline(kafka.bootstrapServers(), "tm-primitives", "tm-tlog", "tm-alerts", "tm-dead-letters",
                    "tm-late", "tm-metrics", null, null, "tm", false).build(env, model, conf, null);
            JobClient job = env.executeAsync("task-manager-loss");

            // Everything sent so far is read and checkpointed, and part of its alerts committed, before the loss.
            KafkaDetectionITCase.awaitConsumed(kafka, "tm", job, "tm-primitives", "tm-tlog");
            int committedBefore = KafkaDetectionITCase.readAll(kafka, "tm-alerts", "read_committed").size();
            assertThat(committedBefore).as("alerts committed before the TaskManager is lost").isPositive();

            // The second half goes in, and the TaskManager is lost as soon as its first alerts are written, while
            // they wait in the sink's open transaction for the next checkpoint (every 5 s): they must be aborted
            // and written again from the restored state, once. An at-least-once alert sink fails here with
            // duplicates.
            long writtenBefore = writtenAlerts();
            KafkaDetectionITCase.sendDay(day, producer, "tm-primitives", "tm-tlog", ts -> ts >= half);
            producer.flush();
            CommonTestUtils.waitUntilCondition(() -> writtenAlerts() > writtenBefore, 10L);
            cluster.terminateTaskManager(0).get();
            // Its replacement, as Kubernetes restarts a TaskManager pod.
            cluster.startTaskManager();
            // Flink restarts the failed region, so the job stays RUNNING; every task runs a second attempt.
            CommonTestUtils.waitUntilCondition(() -> allTasksRunAgain(cluster, job), 50L);
            KafkaDetectionITCase.awaitConsumed(kafka, "tm", job, "tm-primitives", "tm-tlog");
            // A draining stop: the end of event time settles every open transaction.
            job.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        }

        List<ConsumerRecord<byte[], byte[]>> records = KafkaDetectionITCase.readAll(kafka, "tm-alerts",
                "read_committed");
        Set<String> alerts = KafkaDetectionITCase.alertIds(records);
        assertThat(records).as("each alert exactly once").hasSize(alerts.size());
        assertThat(alerts).isEqualTo(KafkaDetectionITCase.replay(day, model));

        assertThat(KafkaDetectionITCase.storeHourFakeScans(kafka, "tm-metrics")[1])
                .as("store-hour metrics count every alert once").isEqualTo(alerts.size());
    }

    /** The alerts topic's end offset as a read_uncommitted consumer sees it: records written, committed or not. */
    static long writtenAlerts() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicPartition tp = new TopicPartition("tm-alerts", 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).partitionResult(tp).get().offset();
        }
    }

    /** Whether every task of the job runs again, in an attempt after its first. */
    static boolean allTasksRunAgain(MiniCluster cluster, JobClient job) throws Exception {
        for (AccessExecutionVertex v : cluster.getExecutionGraph(job.getJobID()).get().getAllExecutionVertices()) {
            if (v.getCurrentExecutionAttempt().getAttemptNumber() == 0
                    || v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }
}
