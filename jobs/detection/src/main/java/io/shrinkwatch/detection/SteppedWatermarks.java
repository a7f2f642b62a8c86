package io.shrinkwatch.detection;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded-out-of-orderness watermarks (the newest timestamp minus the bound, minus 1 ms, as Flink's own) that are
 * also emitted from the event stream whenever event time has moved a step past the last one emitted.
 *
 * <p>Why: Flink emits watermarks every {@code pipeline.auto-watermark-interval} (200 ms) of processing time. Live, that
 * is 200 ms of event time; reading a backlog (a Kafka topic after an outage, a replay, the benchmarks) it can be hours,
 * and every transaction of those hours settles in one burst at the next watermark. Meanwhile the lanes buffer the
 * hours' events, and during the burst the keyed task reads nothing, so the sources wait, then the keyed task waits for
 * them: on two cores the two work in turn instead of together. Measured (session 20, the in-memory benchmark's
 * detection job at heap p = 1): a settle burst of 30-90 ms after the last event of each 0.4 s run with the periodic
 * watermarks alone, 5-9 ms with watermarks every millisecond, and 1.4 against 1.7-1.9M events/s. The default step,
 * a minute ({@link DetectionOptions#WATERMARK_STEP}), settled as smoothly as 10 s there, and a watermark finishes the
 * source's partly filled network buffers (Flink broadcasts it to every channel), so fewer cost the sources less: the
 * benchmark's trivial job, which shares the source, read 3.0M events/s at 10 s against 3.4-3.8M at a minute and off
 * (single runs on a noisy machine). A step of event time, not a count of events, keeps live behaviour as before (the
 * periodic watermark comes first) and bounds how much event time one watermark settles however fast the input is
 * read. Decisions do not depend on it: a lane settles its transactions in timer order whatever the watermark's
 * granularity; only an event later than the bound (plus the allowed lateness) behind the newest one, which the
 * periodic watermark let through in a fast replay, now counts as late in a replay as it does live.
 */
final class SteppedWatermarks implements WatermarkGenerator<LaneEvent> {

    private final long outOfOrdernessMs;
    private final long stepMs;
    private long maxTs;
    private long emitted = Long.MIN_VALUE;

    /** @param stepMs event time between watermarks emitted from the stream; 0 emits only the periodic ones */
    SteppedWatermarks(long outOfOrdernessMs, long stepMs) {
        if (outOfOrdernessMs < 0 || stepMs < 0) {
            throw new IllegalArgumentException("out-of-orderness and step must not be negative: " + outOfOrdernessMs
                    + " ms, " + stepMs + " ms");
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.stepMs = stepMs;
        this.maxTs = Long.MIN_VALUE + outOfOrdernessMs + 1;
    }

    @Override
    public void onEvent(LaneEvent event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTs) {
            maxTs = eventTimestamp;
            long mark = maxTs - outOfOrdernessMs - 1;
            // Written as mark - stepMs, not mark - emitted: the latter overflows while nothing was emitted (MIN_VALUE).
            if (stepMs > 0 && mark - stepMs >= emitted) {
                emit(mark, output);
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        emit(maxTs - outOfOrdernessMs - 1, output);
    }

    private void emit(long mark, WatermarkOutput output) {
        if (mark > emitted) {
            emitted = mark;
            output.emitWatermark(new Watermark(mark));
        }
    }
}
