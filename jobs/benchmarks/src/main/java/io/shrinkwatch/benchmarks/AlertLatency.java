package io.shrinkwatch.benchmarks;

import io.shrinkwatch.detection.DetectionJob;
import io.shrinkwatch.detection.DetectionOptions;
import io.shrinkwatch.detection.KafkaPipeline;
import io.shrinkwatch.detection.KafkaWiring;
import io.shrinkwatch.localkafka.LocalKafka;
import io.shrinkwatch.schema.FakeScanAlert;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * Issue #6, benchmark 2: processing-time latency from a D primitive's arrival in Kafka to its alert on the alerts
 * topic, at a given input rate, through the production Kafka pipeline (RocksDB, exactly-once alert sink, checkpoints
 * every {@code checkpointMs}), with a local broker in this JVM.
 *
 * <p>Real-time replay: event time is wall time. A live chain of the needed size cannot be simulated lane by lane in
 * memory, so simulated store days are cut into windows of the run's length and every window becomes its own set of
 * stores ({@code S001~k}), all replayed over the same wall-clock window; the event mix per lane is the simulator's, the
 * number of lanes is what the rate needs. Transactions cut at a window edge lose their start or end (a few per lane).
 * Each alert is matched to the send time of its D (the drop at its {@code end_ts} on its lane). Reported per rate:
 * p50/p99 from the D's send to the alert being written by the sink (read uncommitted: the record's timestamp is the
 * time of writing) and to its being visible to a read-committed consumer (after the checkpoint that commits it), and
 * the parts of the first: the configured out-of-orderness (the watermark's lag), and the wait for the transaction to
 * settle (its TXN_END's send time plus the largest clock offset and both margins, minus the D's send). Only D's sent
 * in the measured window (after a 15 s ramp, before the 45 s tail that lets late transactions settle) count.
 *
 * <p>With a provisional delay (ms), provisional alerts are on ({@code shrinkwatch.provisional-alerts.*}) and a second
 * line per rate gives the same latencies for them (D's send to the PROVISIONAL record), with how many were later
 * confirmed or withdrawn; the fifth argument is their delivery guarantee ({@code exactly-once}, the default, or
 * {@code at-least-once}). Usage: {@code java -Xmx12g -cp jobs/benchmarks/target/benchmarks.jar
 * io.shrinkwatch.benchmarks.AlertLatency RATE[,RATE...] [seconds] [checkpointMs] [provisionalDelayMs]
 * [provisionalDelivery]}. Job options ({@code shrinkwatch.*}, see {@code DetectionOptions}) can be given as system
 * properties, e.g. {@code -Dshrinkwatch.max-heap-events=4000000}.
 */
public final class AlertLatency {

    static final long RAMP_MS = 15_000;
    static final long TAIL_MS = 45_000;

    private AlertLatency() {
    }

    /** An input record due at {@code dueMs} of wall time. */
    record Due(long dueMs, boolean primitive, byte[] key, byte[] value, String dKey, String txnEnd) {
    }

    public static void main(String[] args) throws Exception {
        long[] rates = Arrays.stream(args[0].split(",")).mapToLong(Long::parseLong).toArray();
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 60;
        long checkpointMs = args.length > 2 ? Long.parseLong(args[2]) : 1_000;
        long provisionalMs = args.length > 3 ? Long.parseLong(args[3]) : -1;
        DeliveryGuarantee delivery = args.length > 4
                ? DeliveryGuarantee.valueOf(args[4].toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
                : DeliveryGuarantee.EXACTLY_ONCE;
        PriceCatalog catalog = PriceCatalog.bundled();
        PatternModel model = DetectionThroughput.trainedModel(catalog);
        Configuration defaults = new Configuration();
        long settleMs = defaults.get(DetectionOptions.MAX_CLOCK_OFFSET).toMillis()
                + defaults.get(DetectionOptions.MARGIN_BEFORE).toMillis()
                + defaults.get(DetectionOptions.MARGIN_AFTER).toMillis();
        long oooMs = defaults.get(DetectionOptions.OUT_OF_ORDERNESS).toMillis();
        System.out.printf("machine: %d cores, java %s; broker in this JVM; checkpoints every %d ms; out-of-orderness "
                + "%d ms; settle rule TXN_END + %d ms%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), checkpointMs, oooMs, settleMs);
        System.out.println("rate_ev/s  achieved  alerts  written_p50_ms  written_p99_ms  visible_p50_ms  "
                + "visible_p99_ms  settle_wait_p50_ms  settle_wait_p99_ms");
        try (KafkaClusterTestKit kafka = LocalKafka.start()) {
            int run = 0;
            for (long rate : rates) {
                run++;
                runOnce(kafka.bootstrapServers(), run, rate, seconds * 1000, checkpointMs, model, catalog, oooMs,
                        settleMs, provisionalMs, delivery);
            }
        }
    }

    static void runOnce(String bootstrap, int run, long rate, long measureMs, long checkpointMs, PatternModel model,
            PriceCatalog catalog, long oooMs, long settleMs, long provisionalMs, DeliveryGuarantee delivery)
            throws Exception {
        long windowMs = RAMP_MS + measureMs + TAIL_MS;
        String prims = "lat" + run + ".primitives";
        String tlog = "lat" + run + ".tlog";
        String alerts = "lat" + run + ".alerts";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : List.of(prims, tlog, alerts, "lat" + run + ".dead", "lat" + run + ".late",
                    "lat" + run + ".metrics", "lat" + run + ".provisional")) {
                topics.add(new NewTopic(t, 2, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
        // Event times start now; sending starts once the job runs, shifted by a constant (event time only has to
        // advance as fast as wall time).
        List<Due> due = input(rate, windowMs, catalog, System.currentTimeMillis());
        long start = System.currentTimeMillis() + 20_000;
        long shift = start - due.get(0).dueMs();

        Path checkpoints = Files.createTempDirectory("shrinkwatch-latency");
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        io.shrinkwatch.detection.RocksDbOptions.applyTo(conf);
        // Until session 11 this benchmark took full snapshots, every state byte each time.
        DetectionJob.checkpointToFiles(conf, checkpoints);
        // Every lane here is new (days cut into windows of the run's length), the case the trusted-clock rule
        // withholds alerts for; trusting every estimate keeps the alerts whose latency this measures.
        conf.set(io.shrinkwatch.detection.DetectionOptions.TRUSTED_CLOCKS_ONLY, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(checkpointMs);
        if (provisionalMs >= 0) {
            conf.set(DetectionOptions.PROVISIONAL_ALERTS, true);
            conf.set(DetectionOptions.PROVISIONAL_DELAY, Duration.ofMillis(provisionalMs));
            conf.set(DetectionOptions.PROVISIONAL_TOPIC, "lat" + run + ".provisional");
            conf.set(DetectionOptions.PROVISIONAL_DELIVERY, delivery);
        }
        // Last, so a system property overrides what the arguments set.
        DetectionThroughput.applyJobProperties(conf);
        new KafkaPipeline(bootstrap, prims, tlog, alerts, "lat" + run + ".dead", "lat" + run + ".late",
                "lat" + run + ".metrics", null, null, "lat" + run, false).build(env, model, conf, null);
        JobClient job = env.executeAsync("latency-" + rate);

        Map<String, Long> dSent = new ConcurrentHashMap<>();
        Map<String, Long> endSent = new ConcurrentHashMap<>();
        Map<String, long[]> alertTimes = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> readAlerts(bootstrap, alerts, alertTimes, stop), "alerts-reader");
        reader.start();
        Map<String, long[]> provisionalTimes = new ConcurrentHashMap<>();
        Map<String, String> fates = new ConcurrentHashMap<>();
        Thread provisionalReader = new Thread(() -> readProvisional(bootstrap, "lat" + run + ".provisional",
                provisionalTimes, fates, stop), "provisional-reader");
        if (provisionalMs >= 0) {
            provisionalReader.start();
        }
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", 5, "batch.size", 65_536, "compression.type", "lz4"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Due d : due) {
                long at = d.dueMs() + shift;
                long wait = at - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                long now = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(d.primitive() ? prims : tlog, null, now, d.key(), d.value()));
                sent++;
                if (d.dKey() != null && at >= start + RAMP_MS && at < start + RAMP_MS + measureMs) {
                    dSent.put(d.dKey(), now);
                }
                if (d.txnEnd() != null) {
                    endSent.put(d.txnEnd(), now);
                }
            }
            producer.flush();
        }
        double achieved = sent / ((System.currentTimeMillis() - start) / 1000.0);
        // A job that keeps up has written the window's alerts by now; one that fell behind gets up to two minutes more
        // (waiting until no alert has arrived for 10 s longer than a checkpoint interval: committed alerts arrive in
        // bursts, one per checkpoint), so the table shows how far behind it was.
        long quietSince = System.currentTimeMillis();
        int seen = alertTimes.size();
        long quietMs = checkpointMs + 10_000;
        long deadline = System.currentTimeMillis() + 120_000 + checkpointMs;
        while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - quietSince < quietMs) {
            Thread.sleep(500);
            if (alertTimes.size() != seen) {
                seen = alertTimes.size();
                quietSince = System.currentTimeMillis();
            }
        }
        stop.set(true);
        reader.join();
        if (provisionalMs >= 0) {
            provisionalReader.join();
        }
        job.cancel().get();
        io.shrinkwatch.common.FileTrees.delete(checkpoints);
        List<Long> written = new ArrayList<>();
        List<Long> visible = new ArrayList<>();
        List<Long> settleWait = new ArrayList<>();
        for (Map.Entry<String, long[]> a : alertTimes.entrySet()) {
            String[] parts = a.getKey().split("\\|", 2);
            Long d = dSent.get(parts[0]);
            if (d == null) {
                continue;
            }
            written.add(a.getValue()[0] - d);
            visible.add(a.getValue()[1] - d);
            Long end = endSent.get(parts[1]);
            if (end != null) {
                settleWait.add(end + settleMs - d);
            }
        }
        System.out.printf("%9d  %8.0f  %6d  %14d  %14d  %14d  %14d  %18d  %18d%n", rate, achieved, written.size(),
                pct(written, 50), pct(written, 99), pct(visible, 50), pct(visible, 99), pct(settleWait, 50),
                pct(settleWait, 99));
        if (provisionalMs >= 0) {
            List<Long> pWritten = new ArrayList<>();
            List<Long> pVisible = new ArrayList<>();
            int confirmed = 0;
            int withdrawn = 0;
            for (Map.Entry<String, long[]> a : provisionalTimes.entrySet()) {
                Long d = dSent.get(a.getKey());
                if (d == null) {
                    continue;
                }
                pWritten.add(a.getValue()[0] - d);
                pVisible.add(a.getValue()[1] - d);
                String fate = fates.getOrDefault(a.getKey(), "");
                confirmed += fate.equals("CONFIRMED") ? 1 : 0;
                withdrawn += fate.equals("WITHDRAWN") ? 1 : 0;
            }
            System.out.printf("  provisional (delay %d ms, %s): %d raised, written p50/p99 %d / %d ms, visible p50/p99 "
                    + "%d / %d ms; later %d confirmed, %d withdrawn%n", provisionalMs,
                    conf.get(DetectionOptions.PROVISIONAL_DELIVERY), pWritten.size(),
                    pct(pWritten, 50), pct(pWritten, 99), pct(pVisible, 50), pct(pVisible, 99), confirmed, withdrawn);
        }
    }

    /** PROVISIONAL records' write and read times by their drop ({@code store/lane@endTs}), and each one's fate. */
    static void readProvisional(String bootstrap, String topic, Map<String, long[]> out, Map<String, String> fates,
            AtomicBoolean stop) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", topic + "-reader", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            Map<String, String> byScan = new java.util.HashMap<>();
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    var a = io.shrinkwatch.detection.Alerts.provisionalFromBytes(r.value());
                    String lane = a.getStoreId() + "/" + a.getLaneId();
                    if (a.getStatus() == io.shrinkwatch.schema.ProvisionalStatus.PROVISIONAL) {
                        String key = lane + "@" + a.getEndTs();
                        out.put(key, new long[] {r.timestamp(), now});
                        byScan.put(lane + "#" + a.getScanTs(), key);
                    } else {
                        String key = byScan.get(lane + "#" + a.getScanTs());
                        if (key != null) {
                            fates.put(key, a.getStatus().name());
                        }
                    }
                }
            }
        }
    }

    static long pct(List<Long> xs, int p) {
        if (xs.isEmpty()) {
            return -1;
        }
        long[] s = xs.stream().mapToLong(Long::longValue).sorted().toArray();
        return s[(int) Math.min(s.length - 1, Math.ceil(p / 100.0 * s.length) - 1)];
    }

    static void readAlerts(String bootstrap, String topic, Map<String, long[]> out, AtomicBoolean stop) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", topic + "-reader", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    try {
                        FakeScanAlert a = FakeScanAlert.fromByteBuffer(ByteBuffer.wrap(r.value()));
                        out.put(a.getStoreId() + "/" + a.getLaneId() + "@" + a.getEndTs() + "|" + a.getStoreId() + "/"
                                + a.getLaneId() + "/" + a.getTxnId(), new long[] {r.timestamp(), now});
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("unreadable alert at " + r.offset(), e);
                    }
                }
            }
        }
    }

    /**
     * Simulated store days cut into windows of {@code windowMs}, each window a store set of its own, re-timed to
     * start at {@code start}, in send order, until the window holds {@code rate x windowMs} events.
     */
    static List<Due> input(long rate, long windowMs, PriceCatalog catalog, long start) throws java.io.IOException {
        long needed = rate * windowMs / 1000;
        List<Due> out = new ArrayList<>();
        for (int s = 0; out.size() < needed; s++) {
            Simulator.StoreOutput o = new Simulator(SimulatorConfig.defaults().withSize(s + 1, 8, 16, 77), catalog)
                    .simulateStore(s);
            long t0 = Math.min(o.primitives().get(0).getTs(), o.tlog().get(0).getTs());
            for (PrimitiveEvent p : o.primitives()) {
                long rel = p.getTs() - t0;
                String store = p.getStoreId() + "~" + rel / windowMs;
                long ts = start + rel % windowMs;
                PrimitiveEvent q = new PrimitiveEvent(store, p.getLaneId(), ts, p.getKind(), null, null);
                String dKey = p.getKind() == PrimitiveKind.D ? store + "/" + p.getLaneId() + "@" + ts : null;
                out.add(new Due(ts, true, KafkaWiring.laneKey(store, p.getLaneId()),
                        KafkaWiring.avroValue(q.toByteBuffer()), dKey, null));
            }
            for (TLogEvent t : o.tlog()) {
                long rel = t.getTs() - t0;
                String store = t.getStoreId() + "~" + rel / windowMs;
                long ts = start + rel % windowMs;
                String txn = t.getTxnId() + "~" + rel / windowMs;
                TLogEvent q = new TLogEvent(store, t.getLaneId(), ts, t.getType(), txn, t.getCashierId(),
                        t.getBarcode(), t.getPriceCents(), t.getQty(), t.getTotalCents());
                String end = t.getType() == TLogType.TXN_END ? store + "/" + t.getLaneId() + "/" + txn : null;
                out.add(new Due(ts, false, KafkaWiring.laneKey(store, t.getLaneId()),
                        KafkaWiring.avroValue(q.toByteBuffer()), null, end));
            }
        }
        out.sort(java.util.Comparator.comparingLong(Due::dueMs));
        return out;
    }
}
