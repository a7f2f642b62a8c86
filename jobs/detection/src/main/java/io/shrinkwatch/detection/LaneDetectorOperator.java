package io.shrinkwatch.detection;

import io.shrinkwatch.schema.PatternModel;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs {@link LaneDetectorFunction} as Flink's keyed-broadcast operator does, and moves the function's heap-buffered
 * events into keyed state before every checkpoint barrier (so the snapshot holds them) and whenever more than
 * {@code maxHeapEvents} are waiting (so the heap stays bounded between checkpoints).
 */
public final class LaneDetectorOperator extends CoBroadcastWithKeyedOperator<String, LaneEvent, byte[], FakeScanAlert> {

    private static final long serialVersionUID = 1L;
    private final int maxHeapEvents;

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
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    private void flush() throws Exception {
        function().flush(this::setCurrentKey);
    }
}
