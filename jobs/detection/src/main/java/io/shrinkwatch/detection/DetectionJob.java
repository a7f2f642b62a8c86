package io.shrinkwatch.detection;

import io.shrinkwatch.schema.PatternModel;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
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
    public static final String DEAD_LETTER_SPLIT_UID = "dead-letter-split";

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
            DataStream<String> late, DataStream<String> deadLetters) {
    }

    /** Event-time watermarks with the configured out-of-orderness bound and source idleness. */
    public static WatermarkStrategy<LaneEvent> watermarks(ReadableConfig config) {
        Duration ooo = config.get(DetectionOptions.OUT_OF_ORDERNESS);
        Duration idle = config.get(DetectionOptions.SOURCE_IDLENESS);
        return WatermarkStrategy.<LaneEvent>forBoundedOutOfOrderness(ooo)
                .withTimestampAssigner((e, previous) -> e.isDeadLetter() ? Long.MIN_VALUE : e.ts).withIdleness(idle);
    }

    /** @param primitives and tlog: streams that already carry timestamps and watermarks */
    public Outputs wire(DataStream<LaneEvent> primitives, DataStream<LaneEvent> tlog) {
        SingleOutputStreamOperator<LaneEvent> readable = primitives.union(tlog).process(new SplitDeadLetters())
                .name("dead-letter-split").uid(DEAD_LETTER_SPLIT_UID);
        SingleOutputStreamOperator<FakeScanAlert> alerts = readable
                .keyBy(LaneEvent::laneKey)
                .process(new LaneDetectorFunction(model, LaneSettings.from(config)))
                .name("lane-detector").uid(LANE_DETECTOR_UID);
        return new Outputs(alerts, alerts.getSideOutput(LaneDetectorFunction.VERDICTS),
                alerts.getSideOutput(LaneDetectorFunction.LATE), readable.getSideOutput(DEAD_LETTERS));
    }

    /** Sends dead letters to {@link #DEAD_LETTERS}, everything else on. */
    static final class SplitDeadLetters extends ProcessFunction<LaneEvent, LaneEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(LaneEvent e, Context ctx, Collector<LaneEvent> out) {
            if (e.isDeadLetter()) {
                ctx.output(DEAD_LETTERS, e.deadLetterJson());
            } else {
                out.collect(e);
            }
        }
    }
}
