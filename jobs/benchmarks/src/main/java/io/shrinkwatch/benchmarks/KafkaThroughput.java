package io.shrinkwatch.benchmarks;

import io.shrinkwatch.detection.AvroEventDeserializer;
import io.shrinkwatch.detection.DetectionJob;
import io.shrinkwatch.detection.KafkaWiring;
import io.shrinkwatch.detection.LaneEvent;
import io.shrinkwatch.localkafka.LocalKafka;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * Issue #6, benchmark 1 (Kafka source): the framework's ceiling against ShrinkWatch with the input read as Avro from
 * a real local Kafka broker, as in production. The simulated chain is written once to two topics (primitives and
 * TLog, 2 partitions each, keyed by lane, Avro single-object encoding), then read to the end by (a) the trivial keyed
 * job of {@link DetectionThroughput} and (b) the full detection job, both behind the production Kafka sources and
 * deserializer (a fresh consumer group per run), at parallelism 1 and 2, heap and RocksDB, checkpoints every 10 s
 * ({@code bench.checkpoint-interval-ms}).
 * Events/s are counted from the first record deserialized to the end of the job; medians of {@code runs}. The broker
 * runs in this JVM and shares its two cores. Usage: {@code java -Xmx8g -cp jobs/benchmarks/target/benchmarks.jar
 * io.shrinkwatch.benchmarks.KafkaThroughput [runs] [stores] [hours]}; job options ({@code shrinkwatch.*}) can be
 * given as system properties.
 */
public final class KafkaThroughput {

    static final String PRIMITIVES = "bench.primitives";
    static final String TLOG = "bench.tlog";
    static final AtomicLong FIRST_RECORD = new AtomicLong();
    private static int group;

    private KafkaThroughput() {
    }

    public static void main(String[] args) throws Exception {
        DetectionThroughput.Input input = DetectionThroughput.Input.parse(args);
        int runs = input.runs();
        int stores = input.stores();
        double hours = input.hours();
        PriceCatalog catalog = PriceCatalog.bundled();
        PatternModel model = DetectionThroughput.trainedModel(catalog);
        try (KafkaClusterTestKit kafka = LocalKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            long events = fill(bootstrap, catalog, input);
            System.out.printf("machine: %d cores, java %s, max heap %d MiB; broker in this JVM; input: %d stores x 8 "
                    + "lanes x %.1f h = %,d events in Kafka; %d runs per cell, median%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20, stores, hours, events, runs);
            DetectionThroughput.table(runs, model, events, (backend, p, m) -> run(bootstrap, backend, p, m, events));
        }
    }

    /** Writes the chain in event-time order, as stores deliver it live; returns the number of events. */
    static long fill(String bootstrap, PriceCatalog catalog, DetectionThroughput.Input input) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(PRIMITIVES, 2, (short) 1), new NewTopic(TLOG, 2, (short) 1)))
                    .all().get();
        }
        Simulator sim = input.simulator(catalog);
        List<Object> all = new ArrayList<>();
        for (int s = 0; s < input.stores(); s++) {
            Simulator.StoreOutput o = sim.simulateStore(s);
            all.addAll(o.primitives());
            all.addAll(o.tlog());
        }
        all.sort(java.util.Comparator.comparingLong(e -> e instanceof PrimitiveEvent p ? p.getTs()
                : ((TLogEvent) e).getTs()));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", 20, "batch.size", 262_144, "compression.type", "lz4"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Object e : all) {
                if (e instanceof PrimitiveEvent p) {
                    producer.send(new ProducerRecord<>(PRIMITIVES, KafkaWiring.laneKey(p.getStoreId(), p.getLaneId()),
                            KafkaWiring.avroValue(p.toByteBuffer())));
                } else {
                    TLogEvent t = (TLogEvent) e;
                    producer.send(new ProducerRecord<>(TLOG, KafkaWiring.laneKey(t.getStoreId(), t.getLaneId()),
                            KafkaWiring.avroValue(t.toByteBuffer())));
                }
            }
            producer.flush();
        }
        return all.size();
    }

    /** One run; model null = the trivial job. */
    static DetectionThroughput.Measured run(String bootstrap, String backend, int parallelism, PatternModel model,
            long events)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        io.shrinkwatch.detection.RocksDbOptions.applyTo(conf);
        DetectionThroughput.productionCheckpoints(conf);
        DetectionThroughput.applyJobProperties(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(DetectionThroughput.CHECKPOINT_INTERVAL_MS);
        FIRST_RECORD.set(0);
        String groupId = "bench-" + (++group);
        DataStream<LaneEvent> prims = env.fromSource(KafkaWiring.source(bootstrap, PRIMITIVES, groupId,
                new Timed(AvroEventDeserializer.primitives()), true), DetectionJob.watermarks(conf), "primitives");
        DataStream<LaneEvent> tlog = env.fromSource(KafkaWiring.source(bootstrap, TLOG, groupId,
                new Timed(AvroEventDeserializer.tlog()), true), DetectionJob.watermarks(conf), "tlog");
        if (model == null) {
            DetectionThroughput.discardCountingCheckpoints(prims.union(tlog).keyBy(LaneEvent::laneKey)
                    .process(new DetectionThroughput.CountPerLane()).uid("trivial").name("trivial"));
        } else {
            DetectionThroughput.discardCountingCheckpoints(new DetectionJob(model, conf).wire(prims, tlog).alerts());
        }
        return DetectionThroughput.measure(env, model == null ? "trivial" : "detection", events, FIRST_RECORD);
    }

    /** The production deserializer, noting when the first record of a run arrives. */
    static final class Timed implements KafkaRecordDeserializationSchema<LaneEvent> {
        private static final long serialVersionUID = 1L;
        private final AvroEventDeserializer inner;

        Timed(AvroEventDeserializer inner) {
            this.inner = inner;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<LaneEvent> out)
                throws java.io.IOException {
            if (FIRST_RECORD.get() == 0) {
                FIRST_RECORD.compareAndSet(0, System.nanoTime());
            }
            inner.deserialize(record, out);
        }

        @Override
        public TypeInformation<LaneEvent> getProducedType() {
            return inner.getProducedType();
        }
    }
}
