package io.shrinkwatch.detection;

import io.shrinkwatch.schema.PatternModel;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Wires the detection pipeline: event-time watermarks on both input streams, key by lane, the per-lane
 * {@link LaneDetectorFunction}. Callers attach the sources and sinks (bounded files for replay and tests; Kafka in
 * production, unfinished), so tests swap them freely.
 */
public final class DetectionJob {

    /** Stable operator ids: changing one breaks restores from savepoints. */
    public static final String LANE_DETECTOR_UID = "lane-detector";

    private final PatternModel model;
    private final ReadableConfig config;

    public DetectionJob(PatternModel model, ReadableConfig config) {
        this.model = model;
        this.config = config;
    }

    /** Result streams of the pipeline. */
    public record Outputs(DataStream<FakeScanAlert> alerts, DataStream<TransactionVerdict> verdicts,
            DataStream<String> late) {
    }

    public Outputs wire(DataStream<LaneEvent> primitives, DataStream<LaneEvent> tlog) {
        Duration ooo = config.get(DetectionOptions.OUT_OF_ORDERNESS);
        Duration idle = config.get(DetectionOptions.SOURCE_IDLENESS);
        WatermarkStrategy<LaneEvent> wm = WatermarkStrategy.<LaneEvent>forBoundedOutOfOrderness(ooo)
                .withTimestampAssigner((e, previous) -> e.ts).withIdleness(idle);
        DataStream<LaneEvent> p = primitives.assignTimestampsAndWatermarks(wm).name("primitive-watermarks")
                .uid("primitive-watermarks");
        DataStream<LaneEvent> t = tlog.assignTimestampsAndWatermarks(wm).name("tlog-watermarks").uid("tlog-watermarks");
        SingleOutputStreamOperator<FakeScanAlert> alerts = p.union(t)
                .keyBy(LaneEvent::laneKey)
                .process(new LaneDetectorFunction(model, LaneSettings.from(config)))
                .name("lane-detector").uid(LANE_DETECTOR_UID);
        return new Outputs(alerts, alerts.getSideOutput(LaneDetectorFunction.VERDICTS),
                alerts.getSideOutput(LaneDetectorFunction.LATE));
    }
}
