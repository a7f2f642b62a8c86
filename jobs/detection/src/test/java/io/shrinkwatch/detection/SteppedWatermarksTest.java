package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/** The stepped watermarks: Flink's bounded out-of-orderness, plus a watermark per step of event time read. */
class SteppedWatermarksTest {

    /** Records the watermarks a generator emits. */
    static final class Recorder implements WatermarkOutput {
        final List<Long> marks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            marks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
        }

        @Override
        public void markActive() {
        }
    }

    @Test
    void aBacklogReadInOneGoGetsAWatermarkForEveryStepOfEventTime() {
        SteppedWatermarks g = new SteppedWatermarks(2_000, 10_000);
        Recorder out = new Recorder();
        for (long ts = 100_000; ts <= 160_000; ts += 1_000) {
            g.onEvent(null, ts, out);
        }
        // The first event emits at once; then one every 10 s of event time, each the newest time minus 2 s minus 1 ms.
        assertThat(out.marks).containsExactly(97_999L, 107_999L, 117_999L, 127_999L, 137_999L, 147_999L, 157_999L);
        g.onPeriodicEmit(out);
        assertThat(out.marks).endsWith(157_999L).hasSize(7);
    }

    @Test
    void eventsOutOfOrderOrWithoutATimeNeverMoveTheWatermarkBack() {
        SteppedWatermarks g = new SteppedWatermarks(2_000, 1_000);
        Recorder out = new Recorder();
        g.onEvent(null, 50_000, out);
        g.onEvent(null, 40_000, out);
        g.onEvent(null, Long.MIN_VALUE, out);
        g.onEvent(null, 50_999, out);
        g.onEvent(null, 51_000, out);
        g.onPeriodicEmit(out);
        assertThat(out.marks).containsExactly(47_999L, 48_999L);
    }

    @Test
    void withAStepOfZeroItEmitsWhatFlinksBoundedOutOfOrdernessEmits() {
        Random rnd = new Random(20);
        SteppedWatermarks ours = new SteppedWatermarks(2_000, 0);
        BoundedOutOfOrdernessWatermarks<LaneEvent> flinks = new BoundedOutOfOrdernessWatermarks<>(
                Duration.ofMillis(2_000));
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        long ts = 1_000_000;
        for (int i = 0; i < 5_000; i++) {
            ts += rnd.nextInt(400);
            long t = ts - rnd.nextInt(3_000);
            ours.onEvent(null, t, a);
            flinks.onEvent(null, t, b);
            if (i % 50 == 0) {
                ours.onPeriodicEmit(a);
                flinks.onPeriodicEmit(b);
            }
        }
        // Flink's repeats a watermark that did not move (its output drops those); ours emits each value once.
        assertThat(a.marks).isNotEmpty().isEqualTo(b.marks.stream().distinct().toList());
    }

    @Test
    void theJobsWatermarkStrategyStepsByTheConfiguredEventTimeAndOffByZero() {
        org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier.Context ctx =
                new org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier.Context() {
                    @Override
                    public org.apache.flink.metrics.MetricGroup getMetricGroup() {
                        return new org.apache.flink.metrics.groups.UnregisteredMetricsGroup();
                    }

                    @Override
                    public org.apache.flink.util.clock.RelativeClock getInputActivityClock() {
                        return org.apache.flink.util.clock.SystemClock.getInstance();
                    }
                };
        for (Duration step : new Duration[] {Duration.ofSeconds(30), Duration.ZERO}) {
            org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
            conf.set(DetectionOptions.WATERMARK_STEP, step);
            var g = DetectionJob.watermarks(conf).createWatermarkGenerator(ctx);
            Recorder out = new Recorder();
            for (long ts = 0; ts <= 120_000; ts += 5_000) {
                g.onEvent(null, ts, out);
            }
            // The default bound, 2 s: marks at 0, 30, 60, 90 and 120 s of event time, each 2,001 ms behind.
            assertThat(out.marks).as("step %s", step).isEqualTo(step.isZero() ? List.of()
                    : List.of(-2_001L, 27_999L, 57_999L, 87_999L, 117_999L));
        }
        assertThat(new org.apache.flink.configuration.Configuration().get(DetectionOptions.WATERMARK_STEP))
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aNegativeBoundOrStepIsRefusedWithBothValues() {
        assertThatThrownBy(() -> new SteppedWatermarks(-1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1 ms, 10 ms");
    }
}
