package io.shrinkwatch.cli;

import static io.shrinkwatch.detection.KafkaWiring.avroValue;
import static io.shrinkwatch.detection.KafkaWiring.laneKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.detection.Alerts;
import io.shrinkwatch.localkafka.LocalKafka;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code shrinkwatch.jar stream}, each run a JVM of its own against a real KRaft broker, killed with
 * SIGKILL while it reads the middle of a day, then started again with {@code --restore-from} on its checkpoint
 * directory and stopped with a draining savepoint through Flink's REST API: the alerts topic, read committed, holds
 * every alert of an uninterrupted run of the same input exactly once. So the restored job resumes its lanes' state and
 * source offsets from the last completed checkpoint, and the transaction the killed process left open on the alerts
 * topic is aborted, neither committed twice nor left blocking read-committed consumers.
 */
class StreamKillRestoreITCase {

    static KafkaClusterTestKit kafka;
    static List<PrimitiveEvent> primitives;
    static List<TLogEvent> tlog;

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void startKafkaAndSimulate() throws Exception {
        kafka = LocalKafka.start();
        Path train = dir.resolve("train");
        assertThat(CliRun.of("simulate", "--out", train.toString(), "--stores", "1", "--lanes", "6", "--hours", "16",
                "--seed", "41").exitCode()).isZero();
        model = dir.resolve("model.avro");
        CliRun mine = ShrinkWatchCliTest.mineSmall(train, model);
        assertThat(mine.exitCode()).as(mine.err()).isZero();
        Simulator.StoreOutput day = new Simulator(SimulatorConfig.defaults().withSize(1, 4, 8, 42),
                PriceCatalog.bundled()).simulateStore(0);
        primitives = day.primitives();
        tlog = day.tlog();
        List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic("in-primitives", 2, (short) 1),
                new NewTopic("in-tlog", 2, (short) 1)));
        for (String run : List.of("ref", "kill")) {
            for (String t : List.of("alerts", "dead-letters", "late", "metrics")) {
                topics.add(new NewTopic(run + "-" + t, 1, (short) 1));
            }
        }
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get();
        }
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aStreamKilledWithoutWarningAndRestoredFromItsCheckpointsCommitsEveryAlertOnce() throws Exception {
        long first = primitives.get(0).getTs();
        long span = primitives.get(primitives.size() - 1).getTs() - first;
        // Cut in event time where the day's alerts fall (seed 42: 35-65 % of the day): some are committed before the
        // kill, one may be in the transaction the kill leaves open, four come only from the restored run.
        long[] cut = {first + span * 45 / 100, first + span * 52 / 100, first + span * 58 / 100};
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, ts -> ts < cut[0]);
        }
        Path checkpoints = dir.resolve("kill-checkpoints");
        Stream killed = Stream.start("kill", checkpoints);
        awaitCommitted("kill", endOffsets(), killed);

        // The next part is checkpointed; the one after it is being read when the process is killed; the rest goes
        // in while it is down.
        long total = primitives.size() + tlog.size();
        long committedAtKill;
        int alertsAtKill;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, ts -> ts >= cut[0] && ts < cut[1]);
            long checkpointed = endOffsets();
            awaitCommitted("kill", checkpointed, killed);
            send(producer, ts -> ts >= cut[1] && ts < cut[2]);
            // Killed as soon as a checkpoint holds some of this part, while the rest of it is being read.
            awaitCommitted("kill", checkpointed + 1, killed);
            killed.process.destroyForcibly().waitFor();
            committedAtKill = committed("kill");
            alertsAtKill = alerts("kill-alerts").size();
            send(producer, ts -> ts >= cut[2]);
            System.out.printf("stream kill/restore: killed after %,d of %,d input records were checkpointed, with %d "
                    + "alerts committed%n", committedAtKill, total, alertsAtKill);
        }
        assertThat(committedAtKill).as("killed mid-stream").isLessThan(total);

        Stream restored = Stream.start("kill", checkpoints, "--restore-from", checkpoints.toString());
        awaitCommitted("kill", total, restored);
        restored.stopDraining();
        assertThat(restored.err()).contains("resuming from " + checkpoints.toUri());

        Stream reference = Stream.start("ref", dir.resolve("ref-checkpoints"));
        awaitCommitted("ref", total, reference);
        reference.stopDraining();

        List<String> expected = alerts("ref-alerts");
        List<String> got = alerts("kill-alerts");
        assertThat(expected).as("the uninterrupted run raised alerts").isNotEmpty();
        assertThat(alertsAtKill).as("alerts still to come after the kill").isLessThan(expected.size());
        assertThat(got).as("each alert exactly once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(got)).isEqualTo(new HashSet<>(expected));
        System.out.printf("stream kill/restore: %d alerts, as the uninterrupted run%n", got.size());
    }

    /** One {@code java -jar shrinkwatch.jar stream} process with its own checkpoint directory and REST port. */
    record Stream(Process process, Path errFile, int restPort, Path savepoints) {

        static Stream start(String run, Path checkpoints, String... more) throws Exception {
            Path jar = Path.of("target", "shrinkwatch.jar");
            assertThat(jar).as("built by the package phase before the integration tests").isRegularFile();
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path work = Files.createDirectories(dir.resolve(run + "-" + System.nanoTime()));
            Path conf = Files.createDirectories(work.resolve("conf"));
            Path savepoints = work.resolve("savepoints");
            Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                    "state.backend.type: rocksdb",
                    "execution.checkpointing.interval: 300 ms",
                    "execution.checkpointing.mode: EXACTLY_ONCE",
                    "execution.checkpointing.incremental: true",
                    "execution.checkpointing.dir: " + checkpoints.toUri(),
                    "execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION",
                    "parallelism.default: 2",
                    "taskmanager.numberOfTaskSlots: 2",
                    "rest.port: " + port,
                    "shrinkwatch.out-of-orderness: 2 s",
                    // As flink-conf/config.yaml, longer than any pause here: a partition marked idle lets the
                    // others carry the watermark on, and its records are late when it resumes with a backlog.
                    "shrinkwatch.source-idleness: 30 s", ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g",
                    // A killed JVM cannot remove its MiniCluster scratch: keep it in the test's directory.
                    "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")),
                    "-jar", jar.toAbsolutePath().toString(), "stream", "--bootstrap", kafka.bootstrapServers(),
                    "--model", model.toString(), "--flink-conf", conf.toString(), "--group-id", run,
                    "--primitives-topic", "in-primitives", "--tlog-topic", "in-tlog", "--alerts-topic", run + "-alerts",
                    "--dead-letter-topic", run + "-dead-letters", "--late-topic", run + "-late", "--metrics-topic",
                    run + "-metrics"));
            cmd.addAll(List.of(more));
            Path err = work.resolve("err.txt");
            Process p = new ProcessBuilder(cmd).directory(new File(".")).redirectOutput(work.resolve("out.txt")
                    .toFile()).redirectError(err.toFile()).start();
            return new Stream(p, err, port, savepoints);
        }

        String err() throws IOException {
            return Files.readString(errFile);
        }

        /** Stops the job with a draining savepoint through Flink's REST API, as an operator would; waits for the exit. */
        void stopDraining() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            String jobs = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/jobs"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f]{32})\"").matcher(jobs);
            assertThat(m.find()).as("a job in %s", jobs).isTrue();
            String body = "{\"drain\": true, \"targetDirectory\": \"" + savepoints.toUri() + "\"}";
            HttpResponse<String> stop = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort
                    + "/jobs/" + m.group(1) + "/stop")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
            boolean ended = process.waitFor(2, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            assertThat(ended).as("ended after the stop; stderr:%n%s", err()).isTrue();
            assertThat(process.exitValue()).as(err()).isZero();
        }
    }

    static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void send(KafkaProducer<byte[], byte[]> producer, java.util.function.LongPredicate when)
            throws IOException {
        for (ProducerRecord<byte[], byte[]> r : records(when)) {
            producer.send(r);
        }
        producer.flush();
    }

    /** The day's records whose event time passes {@code when}, primitives and TLog interleaved in event time. */
    static List<ProducerRecord<byte[], byte[]>> records(java.util.function.LongPredicate when) throws IOException {
        List<Map.Entry<Long, ProducerRecord<byte[], byte[]>>> out = new ArrayList<>();
        for (PrimitiveEvent e : primitives) {
            if (when.test(e.getTs())) {
                out.add(Map.entry(e.getTs(), new ProducerRecord<>("in-primitives", laneKey(e.getStoreId(),
                        e.getLaneId()), avroValue(e.toByteBuffer()))));
            }
        }
        for (TLogEvent e : tlog) {
            if (when.test(e.getTs())) {
                out.add(Map.entry(e.getTs(), new ProducerRecord<>("in-tlog", laneKey(e.getStoreId(), e.getLaneId()),
                        avroValue(e.toByteBuffer()))));
            }
        }
        out.sort(Map.Entry.comparingByKey());
        return out.stream().map(Map.Entry::getValue).toList();
    }

    /** Records now in the input topics. */
    static long endOffsets() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String t : List.of("in-primitives", "in-tlog")) {
                for (int p = 0; p < 2; p++) {
                    latest.put(new TopicPartition(t, p), OffsetSpec.latest());
                }
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    /** Input records the group has committed, which its sources do when a checkpoint completes. */
    static long committed(String group) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return c.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    static void awaitCommitted(String group, long records, Stream stream) throws Exception {
        await(() -> {
            assertThat(stream.process.isAlive()).as("the job runs; stderr:%n%s", uncheckedErr(stream)).isTrue();
            try {
                return committed(group) >= records;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofMinutes(3), "group " + group + " to commit " + records + " records");
    }

    static String uncheckedErr(Stream s) {
        try {
            return s.err();
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void await(BooleanSupplier done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for %s", timeout, what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The topic's alerts a read-committed consumer sees, as lane / transaction / scan time. */
    static List<String> alerts(String topic) {
        return alerts(topic, "read_committed");
    }

    static List<String> alerts(String topic, String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("isolation.level", isolation);
        p.put("enable.auto.commit", "false");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0));
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = c.endOffsets(parts).get(parts.get(0));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (c.position(parts.get(0)) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    io.shrinkwatch.schema.FakeScanAlert a = Alerts.fromBytes(r.value());
                    out.add(a.getLaneId() + "/" + a.getTxnId() + "/" + a.getScanTs());
                }
            }
            assertThat(c.position(parts.get(0))).as("%s read to its last stable offset", topic).isEqualTo(end);
        }
        return out;
    }
}
