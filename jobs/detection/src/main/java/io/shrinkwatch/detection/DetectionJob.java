package io.shrinkwatch.detection;

import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.LaneSequence;
import io.shrinkwatch.schema.PatternModel;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Wires the detection pipeline: dead letters split off, key by lane, the per-lane {@link LaneDetectorFunction}.
 * Callers attach sources (with {@link #watermarks}, per Kafka partition at the source where they can) and sinks:
 * Kafka in production ({@link KafkaWiring}), bounded files for replay and tests.
 */
public final class DetectionJob {

    /** Stable operator ids: changing one breaks restores from savepoints. */
    public static final String LANE_DETECTOR_UID = "lane-detector";
    public static final String PRIMITIVE_SPLIT_UID = "primitive-dead-letter-split";
    public static final String TLOG_SPLIT_UID = "tlog-dead-letter-split";

    /** Records that could not be read, as JSON lines with the reason. */
    public static final OutputTag<String> DEAD_LETTERS = new OutputTag<>("dead-letters", Types.STRING);

    private final PatternModel model;
    private final ReadableConfig config;

    public DetectionJob(PatternModel model, ReadableConfig config) {
        this.model = model;
        this.config = config;
    }

    /** Result streams of the pipeline. */
    public record Outputs(DataStream<FakeScanAlert> alerts, DataStream<TransactionVerdict> verdicts,
            DataStream<String> late, DataStream<String> deadLetters, DataStream<String> modelErrors,
            DataStream<LaneSequence> sequences, DataStream<ProvisionalAlert> provisional) {

        /** The same outputs with more dead letters (from another input) merged in. */
        public Outputs withDeadLetters(DataStream<String> more) {
            return new Outputs(alerts, verdicts, late, deadLetters.union(more), modelErrors, sequences, provisional);
        }
    }

    public static final String INCIDENT_SPLIT_UID = "incident-dead-letter-split";

    /**
     * Archives the settled sequences and the confirmed incidents under {@code dir} ({@link Archive}). Incidents carry
     * no watermark into the lanes: they arrive days after their transaction and only need storing.
     *
     * @param incidents incident events (and dead letters of the incident input), or null when there is no such input
     * @return the outputs, with unreadable incidents added to the dead letters
     */
    public static Outputs archive(Outputs outs, DataStream<LaneEvent> incidents, String dir) {
        outs.sequences().sinkTo(Archive.sequenceSink(dir)).name("sequence-archive").uid("sequence-archive");
        if (incidents == null) {
            return outs;
        }
        SingleOutputStreamOperator<LaneEvent> readable = incidents.process(new SplitDeadLetters())
                .name("incident-dead-letter-split").uid(INCIDENT_SPLIT_UID);
        readable.map(LaneEvent::toIncident).returns(ConfirmedIncident.class).name("incidents").uid("incidents")
                .sinkTo(Archive.incidentSink(dir)).name("incident-archive").uid("incident-archive");
        return outs.withDeadLetters(readable.getSideOutput(DEAD_LETTERS));
    }

    /**
     * Checkpoints as {@code flink-conf/config.yaml} takes them, incremental and to files under {@code dir}, for the
     * embedded clusters of the CLI and the benchmarks: Flink's default keeps full snapshots in the JobManager's
     * memory and refuses a state over 5 MB, which a chain of some thousand lanes exceeds.
     */
    public static void checkpointToFiles(Configuration conf, java.nio.file.Path dir) {
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toAbsolutePath().toUri().toString());
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    }

    /**
     * Event-time watermarks with the configured out-of-orderness bound, emitted periodically and every watermark step
     * of event time ({@link SteppedWatermarks}), and source idleness.
     */
    public static WatermarkStrategy<LaneEvent> watermarks(ReadableConfig config) {
        long ooo = config.get(DetectionOptions.OUT_OF_ORDERNESS).toMillis();
        long step = config.get(DetectionOptions.WATERMARK_STEP).toMillis();
        Duration idle = config.get(DetectionOptions.SOURCE_IDLENESS);
        return WatermarkStrategy.<LaneEvent>forGenerator(ctx -> new SteppedWatermarks(ooo, step))
                .withTimestampAssigner((e, previous) -> e.isDeadLetter() ? Long.MIN_VALUE : e.ts).withIdleness(idle);
    }

    /**
     * Runs the job over events held in memory on {@code env} (its backend, parallelism and checkpointing as the caller
     * set them) and returns the settled alerts: for the evaluations and tests that hold the job against the library on
     * simulated days. The sources have no uids, so such a run is not meant to be restored.
     */
    public static java.util.List<FakeScanAlert> alertsOf(StreamExecutionEnvironment env, PatternModel model,
            Configuration conf, java.util.List<LaneEvent> primitives, java.util.List<LaneEvent> tlog, String jobName)
            throws Exception {
        TypeInformation<LaneEvent> type = TypeInformation.of(LaneEvent.class);
        DataStream<LaneEvent> prims = env.fromData(primitives, type).name("primitives")
                .assignTimestampsAndWatermarks(watermarks(conf));
        DataStream<LaneEvent> lines = env.fromData(tlog, type).name("tlog").assignTimestampsAndWatermarks(watermarks(conf));
        java.util.List<FakeScanAlert> alerts = new java.util.ArrayList<>();
        try (CloseableIterator<FakeScanAlert> it = new DetectionJob(model, conf).wire(prims, lines).alerts()
                .executeAndCollect(jobName)) {
            it.forEachRemaining(alerts::add);
        }
        return alerts;
    }

    /** @param primitives and tlog: streams that already carry timestamps and watermarks */
    public Outputs wire(DataStream<LaneEvent> primitives, DataStream<LaneEvent> tlog) {
        return wire(primitives, tlog, null);
    }

    /**
     * @param models model updates (Avro container bytes), or null to keep the constructor's model. They carry no event
     *     time: the model input holds the lanes back only until its first update arrives, or until it has been idle
     *     for {@link #MODEL_IDLENESS} (an empty topic), then steps aside for good ({@link LaneDetectorOperator}). So a
     *     model already on the topic when the job starts classifies the first transaction, and later updates swap in
     *     as they come.
     */
    public Outputs wire(DataStream<LaneEvent> primitives, DataStream<LaneEvent> tlog, DataStream<byte[]> models) {
        if (models == null) {
            // fromData over an empty list fails in Flink 2.2.1 ("Reached the end of the collection"); one element
            // filtered away gives the empty, finishing stream the broadcast input needs.
            models = primitives.getExecutionEnvironment()
                    .fromData(java.util.List.of(new byte[0]),
                            org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                    .setParallelism(1).name("no-model-updates").uid("no-model-updates").filter(b -> b.length > 0)
                    .setParallelism(1).name("no-model-updates-filter").uid("no-model-updates-filter");
        }
        DataStream<byte[]> timelessModels = models.assignTimestampsAndWatermarks(WatermarkStrategy
                .<byte[]>noWatermarks().withTimestampAssigner((m, t) -> Long.MIN_VALUE).withIdleness(MODEL_IDLENESS))
                .name("model-updates").uid("model-updates");
        // One split per input, at its parallelism, so each chains to its source; a split after the union would have
        // two inputs and run as a task of its own, a network hop and a thread more per event (measured: a seventh of
        // the benchmark job's CPU samples).
        SingleOutputStreamOperator<LaneEvent> primitivesOk = primitives.process(new SplitDeadLetters())
                .setParallelism(primitives.getParallelism()).name("primitive-dead-letter-split")
                .uid(PRIMITIVE_SPLIT_UID);
        SingleOutputStreamOperator<LaneEvent> tlogOk = tlog.process(new SplitDeadLetters())
                .setParallelism(tlog.getParallelism()).name("tlog-dead-letter-split").uid(TLOG_SPLIT_UID);
        DataStream<LaneEvent> readable = primitivesOk.union(tlogOk);
        // A keyed stream connected to a broadcast one, run by Flink's keyed-broadcast operator subclassed to flush the
        // function's heap buffer at checkpoint barriers (BroadcastConnectedStream accepts no custom operator).
        SingleOutputStreamOperator<FakeScanAlert> alerts = readable
                .keyBy(LaneEvent::laneKey)
                .connect(timelessModels.broadcast())
                .transform("lane-detector", TypeInformation.of(FakeScanAlert.class), new LaneDetectorOperator(model,
                        LaneSettings.from(config), config.get(DetectionOptions.MAX_HEAP_EVENTS)))
                .uid(LANE_DETECTOR_UID);
        return new Outputs(alerts, alerts.getSideOutput(LaneDetectorFunction.VERDICTS),
                alerts.getSideOutput(LaneDetectorFunction.LATE),
                primitivesOk.getSideOutput(DEAD_LETTERS).union(tlogOk.getSideOutput(DEAD_LETTERS)),
                alerts.getSideOutput(LaneDetectorFunction.MODEL_ERRORS),
                alerts.getSideOutput(LaneDetectorFunction.ARCHIVE),
                alerts.getSideOutput(LaneDetectorFunction.PROVISIONAL));
    }

    /** How long an empty model input may hold the lanes back before it is taken as idle. */
    public static final Duration MODEL_IDLENESS = Duration.ofSeconds(5);

    /** Sends dead letters to {@link #DEAD_LETTERS}, everything else on. */
    static final class SplitDeadLetters extends ProcessFunction<LaneEvent, LaneEvent> {
        private static final long serialVersionUID = 1L;
        private transient org.apache.flink.metrics.Counter deadLetters;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        }

        @Override
        public void processElement(LaneEvent e, Context ctx, Collector<LaneEvent> out) {
            if (e.isDeadLetter()) {
                deadLetters.inc();
                ctx.output(DEAD_LETTERS, e.deadLetterJson());
            } else {
                out.collect(e);
            }
        }
    }
}
