package io.shrinkwatch.detection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Shrink metrics per store, lane and cashier over tumbling event-time windows of each configured size, from the
 * per-transaction verdicts. A transaction counts in the window holding its end. Verdicts leave the lane operator in
 * the order their transactions settle, which is not strictly the order of their ends, so they are re-timestamped with
 * a bounded disorder of {@link #VERDICT_DISORDER} (more than the settle delay of any transaction).
 */
public final class MetricsJob {

    /** Disorder allowed between verdicts of one subtask; windows close this much after their end. */
    public static final Duration VERDICT_DISORDER = Duration.ofMinutes(2);

    private MetricsJob() {
    }

    /** @param sizes window sizes (issue #3 defaults: 1 min and 1 h) */
    public static DataStream<ShrinkMetrics> wire(DataStream<TransactionVerdict> verdicts, List<Duration> sizes) {
        DataStream<TransactionVerdict> timed = verdicts.assignTimestampsAndWatermarks(
                WatermarkStrategy.<TransactionVerdict>forBoundedOutOfOrderness(VERDICT_DISORDER)
                        .withTimestampAssigner((v, p) -> v.endTs))
                .name("verdict-timestamps").uid("verdict-timestamps");
        List<DataStream<ShrinkMetrics>> all = new ArrayList<>();
        for (Duration size : sizes) {
            for (String scope : List.of("store", "lane", "cashier")) {
                String id = "metrics-" + scope + "-" + size.toSeconds() + "s";
                all.add(timed.keyBy(v -> scopeId(scope, v))
                        .window(TumblingEventTimeWindows.of(size))
                        .aggregate(new Sum(), new Label(scope))
                        .name(id).uid(id));
            }
        }
        DataStream<ShrinkMetrics> out = all.get(0);
        for (int i = 1; i < all.size(); i++) {
            out = out.union(all.get(i));
        }
        return out;
    }

    static String scopeId(String scope, TransactionVerdict v) {
        return switch (scope) {
            case "store" -> v.storeId;
            case "lane" -> v.storeId + "/" + v.laneId;
            default -> v.cashierId == null ? v.storeId + "-unknown" : v.cashierId;
        };
    }

    /** Adds verdicts up. */
    static final class Sum implements AggregateFunction<TransactionVerdict, ShrinkMetrics, ShrinkMetrics> {
        private static final long serialVersionUID = 1L;

        @Override
        public ShrinkMetrics createAccumulator() {
            return new ShrinkMetrics();
        }

        @Override
        public ShrinkMetrics add(TransactionVerdict v, ShrinkMetrics acc) {
            if (acc.storeId == null) {
                acc.storeId = v.storeId;
            }
            acc.add(v);
            return acc;
        }

        @Override
        public ShrinkMetrics getResult(ShrinkMetrics acc) {
            return acc;
        }

        @Override
        public ShrinkMetrics merge(ShrinkMetrics a, ShrinkMetrics b) {
            a.merge(b);
            return a;
        }
    }

    /** Names the window's scope and bounds. */
    static final class Label extends ProcessWindowFunction<ShrinkMetrics, ShrinkMetrics, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final String scope;

        Label(String scope) {
            this.scope = scope;
        }

        @Override
        public void process(String key, Context ctx, Iterable<ShrinkMetrics> in, Collector<ShrinkMetrics> out) {
            for (ShrinkMetrics m : in) {
                m.scope = scope;
                m.scopeId = key;
                m.windowStart = ctx.window().getStart();
                m.windowEnd = ctx.window().getEnd();
                out.collect(m);
            }
        }
    }
}
