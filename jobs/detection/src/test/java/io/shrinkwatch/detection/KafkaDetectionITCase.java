package io.shrinkwatch.detection;

import static io.shrinkwatch.detection.KafkaWiring.avroValue;
import static io.shrinkwatch.detection.KafkaWiring.laneKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import io.shrinkwatch.localkafka.LocalKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The detection job from Kafka to Kafka on a real KRaft broker (started in this JVM from Maven artifacts, on
 * 127.0.0.1) and a Flink MiniCluster with RocksDB: alerts arrive once, committed, equal to a replay of the same
 * events; unreadable records land on the dead-letter topic with their reasons and the job keeps going.
 */
class KafkaDetectionITCase {

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
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("primitives", 2, (short) 1), new NewTopic("tlog", 2, (short) 1),
                    new NewTopic("alerts", 1, (short) 1), new NewTopic("dead-letters", 1, (short) 1),
                    new NewTopic("metrics", 1, (short) 1), new NewTopic("late", 1, (short) 1),
                    new NewTopic("provisional", 2, (short) 1), new NewTopic("models", 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        PriceCatalog catalog = PriceCatalog.bundled();
        Simulator.StoreOutput train = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 21), catalog)
                .simulateStore(0);
        model = DetectionJobITCase.mined(train);
        day = new Simulator(SimulatorConfig.defaults().withSize(1, 3, 6, 22), catalog).simulateStore(0);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static void produce() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            sendDay(producer, "primitives", "tlog");
            producer.send(new ProducerRecord<>("primitives", laneKey("S001", "L01"),
                    "not avro at all".getBytes(StandardCharsets.UTF_8)));
            TLogEvent wrongTopic = day.tlog().get(0);
            producer.send(new ProducerRecord<>("primitives", laneKey("S001", "L01"),
                    avroValue(wrongTopic.toByteBuffer())));
            TLogEvent seconds = TLogEvent.newBuilder(day.tlog().get(0)).setTs(1_767_261_601L).build();
            producer.send(new ProducerRecord<>("tlog", laneKey("S001", "L01"), avroValue(seconds.toByteBuffer())));
            producer.flush();
        }
    }

    static void sendDay(KafkaProducer<byte[], byte[]> producer, String primitives, String tlog)
            throws java.io.IOException {
        sendDay(producer, primitives, tlog, ts -> true);
    }

    /** The day's events whose event time passes {@code when}. */
    static void sendDay(KafkaProducer<byte[], byte[]> producer, String primitives, String tlog,
            java.util.function.LongPredicate when) throws java.io.IOException {
        sendDay(day, producer, primitives, tlog, when);
    }

    /** The given day's events whose event time passes {@code when}, keyed by lane. */
    static void sendDay(Simulator.StoreOutput day, KafkaProducer<byte[], byte[]> producer, String primitives,
            String tlog, java.util.function.LongPredicate when) throws java.io.IOException {
        for (PrimitiveEvent e : day.primitives()) {
            if (when.test(e.getTs())) {
                producer.send(new ProducerRecord<>(primitives, laneKey(e.getStoreId(), e.getLaneId()),
                        avroValue(e.toByteBuffer())));
            }
        }
        for (TLogEvent e : day.tlog()) {
            if (when.test(e.getTs())) {
                producer.send(new ProducerRecord<>(tlog, laneKey(e.getStoreId(), e.getLaneId()),
                        avroValue(e.toByteBuffer())));
            }
        }
    }

    /** One pipeline's topics, each named {@code prefix-...}; inputs and provisional alerts keyed by lane. */
    static void createPipelineTopics(String prefix) throws Exception {
        createPipelineTopics(kafka, prefix);
    }

    /** The same on the given broker. */
    static void createPipelineTopics(KafkaClusterTestKit kafka, String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(prefix + "-primitives", 2, (short) 1),
                    new NewTopic(prefix + "-tlog", 2, (short) 1), new NewTopic(prefix + "-alerts", 1, (short) 1),
                    new NewTopic(prefix + "-provisional", 2, (short) 1),
                    new NewTopic(prefix + "-dead-letters", 1, (short) 1), new NewTopic(prefix + "-late", 1, (short) 1),
                    new NewTopic(prefix + "-metrics", 1, (short) 1))).all().get();
        }
    }

    /** The alerts in Avro records of the alerts topic, each as lane/txn/scan_ts (what {@link #replay} gives). */
    static Set<String> alertIds(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            io.shrinkwatch.schema.FakeScanAlert a = Alerts.fromBytes(r.value());
            ids.add(a.getLaneId() + "/" + a.getTxnId() + "/" + a.getScanTs());
        }
        return ids;
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return readAll(topic, "read_committed");
    }

    /** Every record of the topic up to its end offsets (the last stable offset under read_committed). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, String isolation) {
        return readAll(kafka, topic, isolation);
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaClusterTestKit kafka, String topic, String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("isolation.level", isolation);
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The topic's first record as the consumer sees it, waiting for it up to 60 s (Kafka's poll blocks); or null. */
    static ConsumerRecord<byte[], byte[]> firstRecord(String topic, String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("isolation.level", isolation);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                var records = c.poll(Duration.ofSeconds(1));
                if (!records.isEmpty()) {
                    return records.iterator().next();
                }
            }
        }
        return null;
    }

    static Configuration conf() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return conf;
    }

    @Test
    void alertsFromKafkaEqualAReplayAndBadRecordsBecomeDeadLetters() throws Exception {
        produce();
        // A newer model on the compacted model topic replaces the one the job starts with.
        PatternModel newer = PatternModel.newBuilder(model).setModelId("m-from-topic").build();
        Properties pp = new Properties();
        pp.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("models", "current".getBytes(StandardCharsets.UTF_8),
                    io.shrinkwatch.algorithm.model.ModelIo.toBytes(newer))).get();
        }
        Configuration conf = conf();
        conf.set(DetectionOptions.PROVISIONAL_ALERTS, true);
        conf.set(DetectionOptions.PROVISIONAL_TOPIC, "provisional");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        new KafkaPipeline(kafka.bootstrapServers(), "primitives", "tlog", "alerts", "dead-letters", "late", "metrics",
                "models", null, "job", true)
                .build(env, model, conf, null);
        env.execute("kafka-detection-itcase");

        List<ConsumerRecord<byte[], byte[]>> alertRecords = readAll("alerts");
        for (ConsumerRecord<byte[], byte[]> r : alertRecords) {
            io.shrinkwatch.schema.FakeScanAlert a = Alerts.fromBytes(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.getStoreId() + "/" + a.getLaneId());
            assertThat(a.getEvidenceStartTs()).isEqualTo(a.getStartTs() - 5_000);
            assertThat(a.getModelId()).isEqualTo("m-from-topic");
        }
        Set<String> fromKafka = alertIds(alertRecords);
        assertThat(alertRecords).as("each alert exactly once").hasSize(fromKafka.size());
        assertThat(fromKafka).isEqualTo(replay());

        // Provisional alerts: each raised once and resolved once, after it, on its lane's partition; the confirmed
        // ones are alerts of the alerts topic.
        Map<String, List<String>> fates = new java.util.LinkedHashMap<>();
        Set<String> confirmed = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("provisional")) {
            io.shrinkwatch.schema.ProvisionalAlert p = Alerts.provisionalFromBytes(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(p.getStoreId() + "/" + p.getLaneId());
            String id = p.getLaneId() + "/" + p.getScanTs();
            fates.computeIfAbsent(id, k -> new ArrayList<>()).add(p.getStatus().name());
            if (p.getStatus() == io.shrinkwatch.schema.ProvisionalStatus.CONFIRMED) {
                confirmed.add(p.getLaneId() + "/" + p.getTxnId() + "/" + p.getScanTs());
                assertThat(p.getDecidedTs()).isGreaterThan(p.getEndTs());
            }
        }
        assertThat(fates).isNotEmpty();
        assertThat(fates.values()).allSatisfy(f -> assertThat(String.join(",", f))
                .isIn("PROVISIONAL,CONFIRMED", "PROVISIONAL,WITHDRAWN"));
        assertThat(fromKafka).containsAll(confirmed);
        assertThat(confirmed.size()).as("most alerts were raised early").isGreaterThan(fromKafka.size() / 2);

        List<String> dead = readAll("dead-letters").stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(dead).hasSize(3);
        assertThat(dead).anySatisfy(d -> assertThat(d).contains("not a PrimitiveEvent", "primitives/"));
        assertThat(dead).anySatisfy(d -> assertThat(d).contains("field 'ts': 1767261601 is not epoch milliseconds"));

        long[] storeHours = storeHourFakeScans(kafka, "metrics");
        assertThat(storeHours[0]).as("6 simulated hours").isBetween(6L, 7L);
        assertThat(storeHours[1]).isEqualTo(fromKafka.size());
    }

    /** The store-hour windows on a metrics topic, read committed: how many, and their fake scans summed. */
    static long[] storeHourFakeScans(KafkaClusterTestKit kafka, String topic) throws java.io.IOException {
        long windows = 0;
        long fakeScans = 0;
        for (ConsumerRecord<byte[], byte[]> r : readAll(kafka, topic, "read_committed")) {
            var m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value());
            if (m.get("scope").asText().equals("store") && m.get("window_end").asLong()
                    - m.get("window_start").asLong() == 3_600_000) {
                fakeScans += m.get("fake_scans").asLong();
                windows++;
            }
        }
        return new long[] {windows, fakeScans};
    }

    @Test
    void provisionalAlertsAtLeastOnceAreReadCommittedBeforeAnyCheckpointCompletes() throws Exception {
        createPipelineTopics("alo");
        Properties pp = new Properties();
        pp.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            sendDay(producer, "alo-primitives", "alo-tlog");
        }
        Configuration conf = conf();
        conf.set(DetectionOptions.PROVISIONAL_ALERTS, true);
        conf.set(DetectionOptions.PROVISIONAL_TOPIC, "alo-provisional");
        conf.set(DetectionOptions.PROVISIONAL_DELIVERY,
                org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE);
        // No checkpoint completes while the test reads: the first is due an hour after the start.
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofHours(1));
        conf.set(org.apache.flink.configuration.CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                Duration.ofHours(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        new KafkaPipeline(kafka.bootstrapServers(), "alo-primitives", "alo-tlog", "alo-alerts", "alo-dead-letters",
                "alo-late", "alo-metrics", null, null, "alo", false).build(env, model, conf, null);
        org.apache.flink.core.execution.JobClient job = env.executeAsync("provisional-at-least-once");
        try {
            ConsumerRecord<byte[], byte[]> first = firstRecord("alo-provisional", "read_committed");
            assertThat(first).as("a provisional record a read_committed consumer sees before any checkpoint")
                    .isNotNull();
            assertThat(Alerts.provisionalFromBytes(first.value()).getStatus())
                    .isEqualTo(io.shrinkwatch.schema.ProvisionalStatus.PROVISIONAL);
            assertThat(firstRecord("alo-alerts", "read_uncommitted")).as("settled alerts were written").isNotNull();
            assertThat(readAll("alo-alerts")).as("but, exactly once, are not committed before a checkpoint")
                    .isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    /**
     * An operator switches the provisional sink between exactly-once and at-least-once across savepoints (the sink's
     * operator ids stay the same): each restore starts, and the three runs together commit every alert once and
     * resolve every provisional alert once, as one uninterrupted run does.
     */
    @Test
    void switchingTheProvisionalDeliveryGuaranteeAcrossSavepointsKeepsEveryAlertOnce() throws Exception {
        createPipelineTopics("sw");
        long first = day.primitives().get(0).getTs();
        long third = (day.primitives().get(day.primitives().size() - 1).getTs() - first) / 3;
        java.nio.file.Path savepoints = java.nio.file.Files.createTempDirectory("sw-savepoints");
        String savepoint = null;
        var guarantees = List.of(org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE,
                org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE,
                org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE);
        Properties pp = new Properties();
        pp.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int part = 0; part < 3; part++) {
                long from = part == 0 ? Long.MIN_VALUE : first + part * third;
                long to = part == 2 ? Long.MAX_VALUE : first + (part + 1) * third;
                sendDay(producer, "sw-primitives", "sw-tlog", ts -> ts >= from && ts < to);
                producer.flush();
                boolean last = part == 2;
                Configuration conf = conf();
                conf.set(DetectionOptions.PROVISIONAL_ALERTS, true);
                conf.set(DetectionOptions.PROVISIONAL_TOPIC, "sw-provisional");
                conf.set(DetectionOptions.PROVISIONAL_DELIVERY, guarantees.get(part));
                if (savepoint != null) {
                    conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
                }
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                env.setParallelism(2);
                env.enableCheckpointing(300);
                // Unbounded throughout: a restored Kafka split keeps the stopping offset it was created with (none).
                new KafkaPipeline(kafka.bootstrapServers(), "sw-primitives", "sw-tlog", "sw-alerts",
                        "sw-dead-letters", "sw-late", "sw-metrics", null, null, "sw", false)
                        .build(env, model, conf, null);
                org.apache.flink.core.execution.JobClient job = env.executeAsync("switched-" + part);
                awaitConsumed(kafka, "sw", job, "sw-primitives", "sw-tlog");
                // The last stop drains: end of event time settles every open transaction.
                savepoint = job.stopWithSavepoint(last, savepoints.toUri().toString(),
                        org.apache.flink.core.execution.SavepointFormatType.CANONICAL).get();
            }
        }

        List<ConsumerRecord<byte[], byte[]>> records = readAll("sw-alerts");
        Set<String> alerts = alertIds(records);
        assertThat(records).as("each alert exactly once").hasSize(alerts.size());
        assertThat(alerts).isEqualTo(replay());
        Map<String, List<String>> fates = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("sw-provisional")) {
            io.shrinkwatch.schema.ProvisionalAlert p = Alerts.provisionalFromBytes(r.value());
            fates.computeIfAbsent(p.getLaneId() + "/" + p.getScanTs(), k -> new ArrayList<>())
                    .add(p.getStatus().name());
        }
        assertThat(fates).isNotEmpty();
        assertThat(fates.values()).allSatisfy(f -> assertThat(String.join(",", f))
                .isIn("PROVISIONAL,CONFIRMED", "PROVISIONAL,WITHDRAWN"));
    }

    /** Waits until the consumer group has committed (after a completed checkpoint) every record now in the topics. */
    static void awaitConsumed(KafkaClusterTestKit kafka, String group, String... topics) throws Exception {
        awaitConsumed(kafka, group, null, topics);
    }

    /** The same, failing at once when {@code job} (if given) fails or restarts instead of consuming. */
    static void awaitConsumed(KafkaClusterTestKit kafka, String group, org.apache.flink.core.execution.JobClient job,
            String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            for (String t : topics) {
                admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions().forEach(p -> latest.put(
                        new TopicPartition(t, p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            org.apache.flink.runtime.testutils.CommonTestUtils.waitUntilCondition(() -> {
                var status = job == null ? null : job.getJobStatus().get();
                if (status != null && (status.isGloballyTerminalState()
                        || status == org.apache.flink.api.common.JobStatus.RESTARTING)) {
                    throw new IllegalStateException("the job is " + status + " while its input is awaited");
                }
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
            }, 100L, 3_000);
        }
    }

    static Set<String> replay() throws Exception {
        return replay(day, model);
    }

    /** The alerts (lane/txn/scan time) of the given day through the job from in-memory sources, RocksDB, p = 2. */
    static Set<String> replay(Simulator.StoreOutput day, PatternModel model) throws Exception {
        Configuration conf = conf();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        TypeInformation<LaneEvent> type = TypeInformation.of(LaneEvent.class);
        DataStream<LaneEvent> prims = env.fromData(day.primitives().stream().map(LaneEvent::of).toList(), type)
                .assignTimestampsAndWatermarks(DetectionJob.watermarks(conf));
        DataStream<LaneEvent> tlog = env.fromData(day.tlog().stream().map(LaneEvent::of).toList(), type)
                .assignTimestampsAndWatermarks(DetectionJob.watermarks(conf));
        Set<String> out = new HashSet<>();
        try (CloseableIterator<FakeScanAlert> it = new DetectionJob(model, conf).wire(prims, tlog).alerts()
                .executeAndCollect("replay")) {
            it.forEachRemaining(a -> out.add(a.laneId + "/" + a.txnId + "/" + a.scanTs));
        }
        assertThat(out).isNotEmpty();
        return out;
    }
}
