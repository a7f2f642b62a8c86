package io.shrinkwatch.cli;

import static io.shrinkwatch.detection.KafkaWiring.avroValue;
import static io.shrinkwatch.detection.KafkaWiring.laneKey;

import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.common.FileTrees;
import io.shrinkwatch.detection.DetectionJob;
import io.shrinkwatch.detection.DetectionOptions;
import io.shrinkwatch.detection.KafkaPipeline;
import io.shrinkwatch.detection.Migrations;
import io.shrinkwatch.detection.ResultTables;
import io.shrinkwatch.detection.Archive;
import io.shrinkwatch.remining.ModelStore;
import io.shrinkwatch.remining.RemineJob;
import io.shrinkwatch.remining.RemineOptions;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.LaneSequence;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.simulator.GroundTruthItem;
import io.shrinkwatch.simulator.DeliveryOrder;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: the whole system on one machine (issue #5). Starts a KRaft broker and PostgreSQL from Maven artifacts
 * (or uses external ones), bootstraps a model with the re-mining job on a simulated training day, streams a simulated
 * chain into Kafka faster than real time while the detection job (Flink MiniCluster, RocksDB, Web UI) writes alerts,
 * verdicts, metrics and the archive, then stops the job with a draining savepoint and prints a per-store summary and
 * how the detections compare with the simulator's ground truth.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the whole system locally: simulated chain -> Kafka -> detection job -> PostgreSQL -> summary.")
final class RunCommand implements Callable<Integer> {

    static final String PRIMITIVES = "shrinkwatch.primitives";
    static final String TLOG = "shrinkwatch.tlog";
    static final String ALERTS = "shrinkwatch.alerts";
    static final String INCIDENTS = "shrinkwatch.incidents";
    static final String MODELS = "shrinkwatch.models";
    static final String PROVISIONAL = "shrinkwatch.provisional-alerts";
    static final List<String> TOPICS = List.of(PRIMITIVES, TLOG, ALERTS, "shrinkwatch.dead-letters",
            "shrinkwatch.late-events", "shrinkwatch.metrics", INCIDENTS, PROVISIONAL);
    static final String GROUP = "shrinkwatch-local";

    @Option(names = "--stores", defaultValue = "20", description = "Stores simulated (default ${DEFAULT-VALUE}).")
    int stores;

    @Option(names = "--lanes", defaultValue = "8", description = "Lanes per store (default ${DEFAULT-VALUE}).")
    int lanes;

    @Option(names = "--hours", defaultValue = "16", description = "Opening hours simulated (default ${DEFAULT-VALUE}, a day).")
    double hours;

    @Option(names = "--seed", defaultValue = "7", description = "Simulation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--fraud-share", description = "Share of cashiers prone to unregistered items (default: the "
            + "simulator's, 0.17).")
    Double fraudShare;

    @Option(names = "--fraud-rate", description = "Their per-item rate (default: the simulator's, 0.006).")
    Double fraudRate;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--state-backend", defaultValue = "rocksdb", description = "rocksdb or hashmap (default ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(names = "--web-port", defaultValue = "8081", description = "Flink Web UI port (default ${DEFAULT-VALUE}).")
    int webPort;

    @Option(names = "--metrics-port", description = "Port of Flink's Prometheus reporter while the job runs, "
            + "http://127.0.0.1:PORT/metrics (Flink's reporter listens on every interface); 0 turns it off. Default: "
            + "the first free port of 9249-9260, flink-conf/config.yaml's range, or off with a note when none is.")
    Integer metricsPort;

    @Option(names = "--kafka-bootstrap", description = "Use these Kafka brokers instead of starting one.")
    String kafkaBootstrap;

    @Mixin
    ResultTableOptions jdbc;

    @Option(names = "--work-dir", defaultValue = "shrinkwatch-local", description = "Scratch directory, emptied at "
            + "start: models, archive, PostgreSQL data (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--provisional-alerts", description = "Also raise provisional alerts at each drop (topic "
            + PROVISIONAL + ") and summarise them at the end; costs CPU, so the stream takes longer.")
    boolean provisionalAlerts;

    @Option(names = "--align-scans", description = "Bootstrap the model with scan alignment on (as mine "
            + "--align-scans): on twelve simulated days about half the false alerts for 4 %% fewer found ones.")
    boolean alignScans;

    @Option(names = "--keep-running", description = "After the summary keep Kafka and PostgreSQL up (Ctrl-C stops).")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        if (!stateBackend.equals("rocksdb") && !stateBackend.equals("hashmap")) {
            throw new IllegalArgumentException("--state-backend must be rocksdb or hashmap, got '" + stateBackend + "'");
        }
        LocalServices.requireFreePort(webPort, "Flink Web UI", "--web-port");
        if (metricsPort == null) {
            metricsPort = LocalServices.firstFreePort(9249, 9260);
            if (metricsPort == 0) {
                System.err.println("note: ports 9249-9260 are all taken, so the job's Prometheus metrics are off "
                        + "(--metrics-port picks one)");
            }
        } else if (metricsPort != 0) {
            LocalServices.requireFreePort(metricsPort, "Prometheus metrics", "--metrics-port");
        }
        deleteRecursively(workDir);
        Files.createDirectories(workDir);
        Files.createFile(workDir.resolve(MARKER));
        PrintStream err = System.err;
        AtomicReference<JobClient> job = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        LocalClusterScratch scratch = new LocalClusterScratch();
        err.println("starting services" + (kafkaBootstrap == null ? ": Kafka (KRaft, 127.0.0.1)" : "")
                + (jdbc.jdbcUrl == null ? ", PostgreSQL (embedded)" : ""));
        try (LocalServices services = LocalServices.start(kafkaBootstrap, jdbc.jdbcUrl, jdbc.jdbcUser,
                jdbc.password(), workDir)) {
            Thread hook = new Thread(() -> {
                if (done.getCount() > 0) {
                    err.println("stopping: cancelling the job, stopping Kafka and PostgreSQL (their shutdown may log)");
                }
                JobClient c = job.get();
                if (c != null) {
                    c.cancel();
                }
                done.countDown();
                try {
                    services.close();
                } catch (Exception ignored) {
                    // Exiting anyway: the services' own shutdown hooks remove their data.
                }
            }, "shrinkwatch-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            services.createTopics(TOPICS, MODELS, 2);
            err.printf("Kafka %s, PostgreSQL %s%n", services.bootstrap, services.jdbcUrl);

            PatternModel model = bootstrapModel(err);
            err.printf("simulating %d stores x %d lanes x %.1f h (seed %d)%n", stores, lanes, hours, seed);
            SimulatorConfig cfg = SimulatorConfig.defaults().withSize(stores, lanes, hours, seed);
            if (fraudShare != null || fraudRate != null) {
                cfg = cfg.withFraud(fraudShare != null ? fraudShare : cfg.fraudCashierShare(),
                        fraudRate != null ? fraudRate : cfg.fraudRatePerItem());
            }
            Simulator sim = new Simulator(cfg, PriceCatalog.bundled());
            List<Simulator.StoreOutput> chain = new ArrayList<>();
            for (int s = 0; s < stores; s++) {
                chain.add(sim.simulateStore(s));
            }

            Migrations.apply(services.jdbcUrl, services.jdbcUser, services.jdbcPassword);
            Configuration conf = new Configuration();
            conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
            io.shrinkwatch.detection.RocksDbOptions.applyTo(conf);
            conf.set(RestOptions.PORT, webPort);
            if (metricsPort != 0) {
                conf.setString("metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
                conf.setString("metrics.reporter.prom.port", Integer.toString(metricsPort));
            }
            DetectionJob.checkpointToFiles(conf, workDir.resolve("checkpoints"));
            conf.set(DetectionOptions.ARCHIVE_DIR, workDir.resolve("archive").toAbsolutePath().toUri().toString());
            if (provisionalAlerts) {
                conf.set(DetectionOptions.PROVISIONAL_ALERTS, true);
                conf.set(DetectionOptions.PROVISIONAL_TOPIC, PROVISIONAL);
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(parallelism);
            env.enableCheckpointing(2_000);
            new KafkaPipeline(services.bootstrap, PRIMITIVES, TLOG, ALERTS, "shrinkwatch.dead-letters",
                    "shrinkwatch.late-events", "shrinkwatch.metrics", MODELS, INCIDENTS, GROUP, false)
                    .build(env, model, conf, new ResultTables(services.jdbcUrl, services.jdbcUser,
                            services.jdbcPassword));
            job.set(env.executeAsync("shrinkwatch-local"));
            err.printf("detection job running; Flink Web UI http://127.0.0.1:%d%s%n", webPort, metricsPort == 0 ? ""
                    : "; Prometheus metrics http://127.0.0.1:" + metricsPort + "/metrics");

            Producer producer = new Producer(services.bootstrap, chain);
            Thread feeder = new Thread(producer, "shrinkwatch-feeder");
            feeder.start();
            long t0 = System.nanoTime();
            progress(services, producer, feeder, err, t0);
            job.get().stopWithSavepoint(true, workDir.resolve("savepoints").toAbsolutePath().toUri().toString(),
                    SavepointFormatType.CANONICAL).get();
            job.set(null);
            err.printf("stopped with a draining savepoint after %.0f s%n", (System.nanoTime() - t0) / 1e9);
            scratch.cleanUp(5_000);

            summary(services, chain, System.out);
            if (provisionalAlerts) {
                provisionalSummary(services.bootstrap, chain, System.out);
            }
            System.out.printf("%nPostgreSQL: %s (user %s)%nKafka: %s%nFlink Web UI (while the job ran): "
                    + "http://127.0.0.1:%d%n%sArchive: %s%n", services.jdbcUrl, services.jdbcUser, services.bootstrap,
                    webPort, metricsPort == 0 ? "" : "Prometheus metrics (while the job ran): http://127.0.0.1:"
                    + metricsPort + "/metrics\n", workDir.resolve("archive"));
            if (keepRunning && (services.startedKafka() || services.startedPostgres())) {
                System.out.println("--keep-running: services stay up until Ctrl-C");
                done.await();
            }
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return 0;
    }

    /** Simulates a training day of one 6-lane store and re-mines a model from it (2 evaluation divisions). */
    private PatternModel bootstrapModel(PrintStream err) throws Exception {
        Simulator.StoreOutput train = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, seed + 1_000),
                PriceCatalog.bundled()).simulateStore(0);
        List<LaneSequence> seqs = new ArrayList<>();
        for (TransactionSequence t : new LaneSequenceBuilder().buildEstimatingClocks(train.primitives(), train.tlog(),
                new LaneSequenceBuilder.Stats())) {
            seqs.add(Archive.sequence(t, 0, "bootstrap", List.of()));
        }
        List<ConfirmedIncident> incidents = train.incidents();
        MiningOptions mining = MiningOptions.defaults();
        if (alignScans) {
            mining = mining.withRules(mining.rules().withAlignScans(true), mining.plausibilityQuantile());
        }
        Configuration conf = new Configuration();
        conf.set(RemineOptions.ALL_DIVISIONS_UP_TO, 0);
        conf.set(RemineOptions.RANDOM_DIVISIONS, 2);
        RemineJob.Result r = new RemineJob(new RemineJob.Input() {
            @Override
            public DataStream<LaneSequence> sequences(StreamExecutionEnvironment env) {
                return env.fromData(seqs, TypeInformation.of(LaneSequence.class));
            }

            @Override
            public DataStream<ConfirmedIncident> incidents(StreamExecutionEnvironment env) {
                return RemineCommand.incidentStream(env, incidents);
            }
        }, conf, mining, new RemineJob.Window(Long.MIN_VALUE, Long.MAX_VALUE))
                .run(null, false, m -> { });
        ModelStore store = new ModelStore(workDir.resolve("models"));
        store.keep(r);
        store.promote(r.mined().model());
        err.printf("model %s bootstrapped by the re-mining job on a simulated training day (%d transactions; "
                + "held-out F1 %.2f%s) -> %s%n", r.mined().model().getModelId(), r.transactionsInWindow(),
                r.candidateHeldOut().f1(), r.mined().model().getAlignScans() ? "; scan alignment on" : "",
                store.folder(r.mined().model()));
        return r.mined().model();
    }

    /** Sends the chain to Kafka in event-time order across stores (as a live chain delivers it), then the incidents. */
    static final class Producer implements Runnable {
        private final String bootstrap;
        private final List<Simulator.StoreOutput> chain;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong newestTs = new AtomicLong(Long.MIN_VALUE);
        volatile Exception failure;

        Producer(String bootstrap, List<Simulator.StoreOutput> chain) {
            this.bootstrap = bootstrap;
            this.chain = chain;
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("linger.ms", "20");
            p.put("batch.size", Integer.toString(256 << 10));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                List<List<?>> streams = new ArrayList<>();
                for (Simulator.StoreOutput o : chain) {
                    streams.add(o.primitives());
                    streams.add(o.tlog());
                }
                Iterator<Object> events = DeliveryOrder.interleave(streams,
                        e -> e instanceof PrimitiveEvent pe ? pe.getTs() : ((TLogEvent) e).getTs());
                while (events.hasNext()) {
                    Object e = events.next();
                    if (e instanceof PrimitiveEvent pe) {
                        producer.send(new ProducerRecord<>(PRIMITIVES, laneKey(pe.getStoreId(), pe.getLaneId()),
                                avroValue(pe.toByteBuffer())));
                        newestTs.accumulateAndGet(pe.getTs(), Math::max);
                    } else {
                        TLogEvent te = (TLogEvent) e;
                        producer.send(new ProducerRecord<>(TLOG, laneKey(te.getStoreId(), te.getLaneId()),
                                avroValue(te.toByteBuffer())));
                        newestTs.accumulateAndGet(te.getTs(), Math::max);
                    }
                    sent.incrementAndGet();
                }
                for (Simulator.StoreOutput o : chain) {
                    for (ConfirmedIncident i : o.incidents()) {
                        producer.send(new ProducerRecord<>(INCIDENTS, laneKey(i.getStoreId(), i.getLaneId()),
                                avroValue(i.toByteBuffer())));
                    }
                }
                producer.flush();
            } catch (Exception e) {
                failure = e;
            }
        }

    }

    /**
     * Prints one progress line every 2 s until everything sent has been read by the job and covered by a completed
     * checkpoint (the sources' committed group offsets reach the topics' ends).
     */
    private static void progress(LocalServices services, Producer producer, Thread feeder, PrintStream err, long t0)
            throws Exception {
        long lastConsumed = 0;
        long lastT = System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", services.bootstrap));
                Connection c = DriverManager.getConnection(services.jdbcUrl, services.jdbcUser,
                        services.jdbcPassword)) {
            while (true) {
                Thread.sleep(2_000);
                if (producer.failure != null) {
                    throw new IllegalStateException("sending to Kafka failed: " + producer.failure, producer.failure);
                }
                Map<TopicPartition, Long> end = endOffsets(admin);
                long total = end.values().stream().mapToLong(Long::longValue).sum();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get();
                long consumed = 0;
                for (TopicPartition tp : end.keySet()) {
                    OffsetAndMetadata o = committed.get(tp);
                    consumed += o == null ? 0 : o.offset();
                }
                long now = System.nanoTime();
                double rate = (consumed - lastConsumed) / ((now - lastT) / 1e9);
                lastConsumed = consumed;
                lastT = now;
                long alerts = count(c, "SELECT count(*) FROM fake_scan_alerts");
                long settled = count(c, "SELECT coalesce(extract(epoch FROM max(end_ts)) * 1000, 0)::bigint "
                        + "FROM transaction_verdicts");
                long newest = producer.newestTs.get();
                String lag = settled == 0 || newest == Long.MIN_VALUE ? "-"
                        : String.format("%.0f s", (newest - settled) / 1000.0);
                err.printf("[%4.0f s] sent %,d  read+checkpointed %,d  %,.0f events/s  alerts %,d  detection behind "
                        + "newest event %s (event time)%n", (now - t0) / 1e9, producer.sent.get(), consumed, rate,
                        alerts, lag);
                if (!feeder.isAlive() && consumed >= total && total > 0) {
                    return;
                }
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String t : List.of(PRIMITIVES, TLOG)) {
            admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions()
                    .forEach(p -> latest.put(new TopicPartition(t, p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The manager's summary, read from the result tables, and the comparison with ground truth. */
    static void summary(LocalServices services, List<Simulator.StoreOutput> chain, PrintStream out) throws Exception {
        try (Connection c = DriverManager.getConnection(services.jdbcUrl, services.jdbcUser, services.jdbcPassword);
                Statement st = c.createStatement()) {
            Map<String, Long> loss = new HashMap<>();
            try (ResultSet r = st.executeQuery("SELECT scope_id, sum(estimated_loss_cents) FROM shrink_metrics "
                    + "WHERE scope = 'store' AND window_end - window_start = interval '1 hour' GROUP BY scope_id")) {
                while (r.next()) {
                    loss.put(r.getString(1), r.getLong(2));
                }
            }
            out.println("Per store (from PostgreSQL):");
            out.println("store  transactions   items  fake scans  per 1,000 items  est. loss   worst lane (fake/1k)   "
                    + "worst cashier (fake/1k)");
            try (ResultSet r = st.executeQuery("SELECT store_id, count(*), sum(items_registered), sum(fake_scans) "
                    + "FROM transaction_verdicts GROUP BY store_id ORDER BY store_id")) {
                List<String[]> rows = new ArrayList<>();
                while (r.next()) {
                    rows.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4)});
                }
                for (String[] row : rows) {
                    long items = Long.parseLong(row[2]);
                    long fakes = Long.parseLong(row[3]);
                    out.printf("%-5s  %12s  %6d  %10d  %15.2f  %9s   %-21s  %s%n", row[0], row[1], items, fakes,
                            items == 0 ? 0 : fakes * 1000.0 / items, money(loss.getOrDefault(row[0], 0L)),
                            worst(c, row[0], "lane_id"), worst(c, row[0], "cashier_id"));
                }
            }
            List<GroundTruthMatcher.Detection> found = new ArrayList<>();
            try (ResultSet r = st.executeQuery("SELECT store_id, lane_id, (extract(epoch FROM scan_ts) * 1000)::bigint "
                    + "FROM fake_scan_alerts")) {
                while (r.next()) {
                    found.add(new GroundTruthMatcher.Detection(r.getString(1), r.getString(2), r.getLong(3)));
                }
            }
            List<GroundTruthItem> truth = new ArrayList<>();
            chain.forEach(o -> truth.addAll(o.truth()));
            GroundTruthMatcher.Score s = GroundTruthMatcher.score(truth, found, GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
            out.printf("%nAgainst the simulator's ground truth: %d alerts, %d correct, %d false (precision %.2f); "
                    + "%d unregistered items, found %d of %d scanned without a barcode (recall %.2f) and %d of %d "
                    + "passed around the scanner (as unscanned items, an extension); value found %s of %s%n",
                    found.size(), s.truePositives(), s.falsePositives(), s.precision(), truth.size(),
                    s.found(GroundTruthItem.SCAN_NO_BARCODE),
                    s.truth(GroundTruthItem.SCAN_NO_BARCODE),
                    s.recall(GroundTruthItem.SCAN_NO_BARCODE),
                    s.found(GroundTruthItem.PASS_AROUND),
                    s.truth(GroundTruthItem.PASS_AROUND), money(s.foundValueCents()),
                    money(s.foundValueCents() + s.missedValueCents()));
            out.println("An alert marks an unregistered item: an honest mistake as often as sweethearting, never proof "
                    + "of theft.");
        }
    }

    /**
     * Provisional alerts read back from their topic (committed records only): how many, their fate, how they score
     * against ground truth, and how much earlier in event time than the settle the confirmed ones were raised.
     */
    static void provisionalSummary(String bootstrap, List<Simulator.StoreOutput> chain, PrintStream out) {
        Map<String, io.shrinkwatch.schema.ProvisionalAlert> raised = new HashMap<>();
        List<Long> lead = new ArrayList<>();
        int confirmed = 0;
        int withdrawn = 0;
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers",
                bootstrap, "isolation.level", "read_committed", "enable.auto.commit", "false"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(PROVISIONAL).stream()
                    .map(i -> new TopicPartition(PROVISIONAL, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (var r : c.poll(java.time.Duration.ofMillis(200))) {
                    var a = io.shrinkwatch.detection.Alerts.provisionalFromBytes(r.value());
                    String id = a.getStoreId() + "/" + a.getLaneId() + "@" + a.getScanTs();
                    switch (a.getStatus()) {
                        case PROVISIONAL -> raised.put(id, a);
                        case CONFIRMED -> {
                            confirmed++;
                            var p = raised.get(id);
                            if (p != null) {
                                lead.add(a.getDecidedTs() - p.getDecidedTs());
                            }
                        }
                        default -> withdrawn++;
                    }
                }
            }
        }
        List<GroundTruthMatcher.Detection> found = new ArrayList<>();
        raised.values().forEach(a -> found.add(new GroundTruthMatcher.Detection(a.getStoreId(), a.getLaneId(),
                a.getScanTs())));
        List<GroundTruthItem> truth = new ArrayList<>();
        chain.forEach(o -> truth.addAll(o.truth()));
        GroundTruthMatcher.Score s = GroundTruthMatcher.score(truth, found, GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
        lead.sort(null);
        out.printf("%nProvisional alerts (topic %s): %d raised, %d correct, %d false (precision %.2f); later %d "
                + "confirmed, %d withdrawn; the confirmed ones came %.1f s of event time before their settled alert "
                + "(median)%n", PROVISIONAL, found.size(), s.truePositives(), s.falsePositives(), s.precision(),
                confirmed, withdrawn, lead.isEmpty() ? 0.0 : lead.get(lead.size() / 2) / 1000.0);
    }

    private static String worst(Connection c, String store, String column) throws Exception {
        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT " + column + ", sum(fake_scans)"
                + " * 1000.0 / greatest(sum(items_registered), 1) AS rate FROM transaction_verdicts WHERE store_id = '"
                + store.replace("'", "''") + "' AND " + column + " IS NOT NULL GROUP BY " + column
                + " ORDER BY rate DESC, " + column + " LIMIT 1")) {
            return r.next() ? String.format("%s (%.1f)", r.getString(1), r.getDouble(2)) : "-";
        }
    }

    private static String money(long cents) {
        return String.format("$%,.2f", cents / 100.0);
    }

    static final String MARKER = ".shrinkwatch-local";

    /** Empties a work dir of an earlier run; refuses a non-empty directory that is not one. */
    static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var list = Files.list(dir)) {
            if (list.findAny().isPresent() && !Files.exists(dir.resolve(MARKER))) {
                throw new IllegalArgumentException(dir.toAbsolutePath() + " is not empty and not a work dir of an "
                        + "earlier run; pass another --work-dir");
            }
        }
        FileTrees.delete(dir);
    }
}
