package io.shrinkwatch.detection;

import io.shrinkwatch.schema.PatternModel;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Runs {@link LaneDetectorFunction} as Flink's keyed-broadcast operator does, and moves the function's heap-buffered
 * events into keyed state before every checkpoint barrier (so the snapshot holds them) and whenever more than
 * {@code maxHeapEvents} are waiting (so the heap stays bounded between checkpoints).
 *
 * <p>The model input (the second) carries no event time: it holds the lanes back from the start (its watermark stays
 * at the minimum) until it steps aside for good, at its first model update, its first watermark (the end of a
 * bounded input sends one) or its first idle status (an empty model topic, after {@link DetectionJob#MODEL_IDLENESS}),
 * and from then on counts as idle, so event time comes from the lanes' inputs alone. It used to step aside with a
 * maximum watermark instead; then whenever the lanes' inputs were idle too (no events for the source idleness: a
 * quiet night, or a restore slower than it), the operator's watermark jumped to the end of time, every open
 * transaction settled at once and every later event was late, until the job was restarted (found in session 13 by
 * {@code StreamKillRestoreITCase}: after the restore, 10,400 events were late).
 */
public final class LaneDetectorOperator extends CoBroadcastWithKeyedOperator<String, LaneEvent, byte[], FakeScanAlert> {

    private static final long serialVersionUID = 1L;
    private final int maxHeapEvents;
    /** Whether the model input has stepped aside (see the class comment); not state: each (re)start holds back anew. */
    private transient boolean modelInputAside;

    public LaneDetectorOperator(PatternModel model, LaneSettings settings, int maxHeapEvents) {
        super(new LaneDetectorFunction(model, settings), List.of(LaneDetectorFunction.MODEL_STATE));
        if (maxHeapEvents < 1) {
            throw new IllegalArgumentException("max heap events must be >= 1, got " + maxHeapEvents);
        }
        this.maxHeapEvents = maxHeapEvents;
    }

    private LaneDetectorFunction function() {
        return (LaneDetectorFunction) userFunction;
    }

    @Override
    public void processElement1(StreamRecord<LaneEvent> element) throws Exception {
        super.processElement1(element);
        if (function().pendingEvents() >= maxHeapEvents) {
            flush();
        }
    }

    @Override
    public void processElement2(StreamRecord<byte[]> element) throws Exception {
        super.processElement2(element);
        modelInputAside();
    }

    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        modelInputAside();
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == 0) {
            super.processWatermarkStatus(status, index);
        } else if (status.isIdle()) {
            modelInputAside();
        }
    }

    private void modelInputAside() throws Exception {
        if (!modelInputAside) {
            modelInputAside = true;
            super.processWatermarkStatus(WatermarkStatus.IDLE, 1);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    private void flush() throws Exception {
        function().flush(this::setCurrentKey);
    }
}
