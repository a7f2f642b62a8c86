package io.shrinkwatch.detection;

import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Options of the streaming detection job. */
public final class DetectionOptions {

    private DetectionOptions() {
    }

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = ConfigOptions.key("shrinkwatch.out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(2))
            .withDescription("How late an event may arrive behind the newest event of its source (watermark bound).");

    public static final ConfigOption<Duration> WATERMARK_STEP = ConfigOptions.key("shrinkwatch.watermark-step")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("A source also emits a watermark whenever its event time has moved this far past the "
                    + "last one, besides Flink's periodic ones (pipeline.auto-watermark-interval): reading a backlog, "
                    + "transactions then settle as the input is read instead of hours of them at once. Live it "
                    + "changes nothing. 0 emits only the periodic watermarks.");

    public static final ConfigOption<Duration> SOURCE_IDLENESS = ConfigOptions.key("shrinkwatch.source-idleness")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("A source split silent this long stops holding back the watermark.");

    public static final ConfigOption<Duration> MAX_CLOCK_LEAD = ConfigOptions.key("shrinkwatch.max-clock-lead")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("Primitives and TLog lines read from Kafka whose time is further ahead of the job's clock "
                    + "go to the dead letters: one such record would carry its partition's watermark into the future, "
                    + "after which that partition no longer holds event time back and its records can come late.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOptions.key("shrinkwatch.allowed-lateness")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Events this far behind the watermark go to the late side output with a reason.");

    public static final ConfigOption<Duration> MARGIN_BEFORE = ConfigOptions.key("shrinkwatch.margin-before")
            .durationType().defaultValue(Duration.ofMillis(LaneSequenceBuilder.DEFAULT_MARGIN_BEFORE_MS))
            .withDescription("Primitives this long before TXN_START belong to the transaction.");

    public static final ConfigOption<Duration> MARGIN_AFTER = ConfigOptions.key("shrinkwatch.margin-after")
            .durationType().defaultValue(Duration.ofMillis(LaneSequenceBuilder.DEFAULT_MARGIN_AFTER_MS))
            .withDescription("Primitives this long after TXN_END belong to the transaction.");

    public static final ConfigOption<Duration> MAX_CLOCK_OFFSET = ConfigOptions.key("shrinkwatch.max-clock-offset")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("Largest camera-minus-POS clock offset searched for; a transaction is classified this "
                    + "much later so its last primitives are in whatever the offset.");

    public static final ConfigOption<Duration> CLOCK_WINDOW = ConfigOptions.key("shrinkwatch.clock-window")
            .durationType().defaultValue(Duration.ofMinutes(30))
            .withDescription("A transaction's clock offset is estimated from the lane's scans and barcodes of this "
                    + "much event time before its end (so replays and live runs agree, and drift is followed).");

    public static final ConfigOption<Duration> CLOCK_REFRESH = ConfigOptions.key("shrinkwatch.clock-refresh")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("A lane's trusted clock offset serves its transactions ending less than this much event "
                    + "time after the one it was estimated for, without a new estimate (clocks drift by "
                    + "milliseconds an hour; estimating costs a pass over the clock window's scans and barcodes). "
                    + "0 estimates every transaction, as before session 18.");

    public static final ConfigOption<Boolean> TRUSTED_CLOCKS_ONLY = ConfigOptions.key("shrinkwatch.clock-trusted-only")
            .booleanType().defaultValue(true)
            .withDescription("Raise a lane's fake scans only once its clock offset estimate is trusted (enough scan "
                    + "and barcode pairs, no rival peak; until then its last trusted offset serves, and a lane with "
                    + "none withholds them). false trusts every estimate, as before session 11: for benchmarks whose "
                    + "lanes are all new by construction.");

    public static final ConfigOption<Duration> LANE_TTL = ConfigOptions.key("shrinkwatch.lane-ttl")
            .durationType().defaultValue(Duration.ofMinutes(30))
            .withDescription("A lane silent this long (event time) has all its state dropped.");

    public static final ConfigOption<Duration> EVIDENCE_MARGIN = ConfigOptions.key("shrinkwatch.evidence-margin")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("An alert's evidence clip runs from its pickup minus this to its drop plus this.");

    public static final ConfigOption<java.util.List<Duration>> METRIC_WINDOWS = ConfigOptions
            .key("shrinkwatch.metric-windows").durationType().asList()
            .defaultValues(Duration.ofMinutes(1), Duration.ofHours(1))
            .withDescription("Tumbling event-time windows of the shrink metrics per store, lane and cashier.");

    public static final ConfigOption<String> STATE_BACKEND = ConfigOptions.key("shrinkwatch.local-state-backend")
            .stringType().defaultValue("rocksdb")
            .withDescription("State backend of local runs (rocksdb or hashmap); clusters set it in config.yaml.");

    public static final ConfigOption<java.util.Map<String, String>> CLOCK_OFFSETS = ConfigOptions
            .key("shrinkwatch.clock-offsets").mapType().defaultValue(java.util.Map.of())
            .withDescription("Camera-minus-POS clock offsets in ms for lanes whose clocks are known, as "
                    + "'S001/L03:1500,S001/L04:-200'. Listed lanes use this value; all others are estimated on line.");

    public static final ConfigOption<String> ARCHIVE_DIR = ConfigOptions.key("shrinkwatch.archive.dir").stringType()
            .noDefaultValue()
            .withDescription("Directory (any Flink file system URI) for the archive of aligned lane sequences and "
                    + "confirmed incidents, partitioned by date and store: the re-mining input. Unset: no archive.");

    public static final ConfigOption<Integer> MAX_HEAP_EVENTS = ConfigOptions.key("shrinkwatch.max-heap-events")
            .intType().defaultValue(1_000_000)
            .withDescription("Events the lane operator keeps on the heap per parallel instance between checkpoint "
                    + "barriers: arriving events (no state access on arrival) and the buffers of lanes whose timers "
                    + "ran (read from keyed state once, not per timer). Past this many, or at the next barrier, they are "
                    + "written to keyed state. About 100 bytes of heap per event; with RocksDB a budget below a "
                    + "catch-up's working set makes every timer read and rewrite its lane's buffer again.");

    public static final ConfigOption<Boolean> PROVISIONAL_ALERTS = ConfigOptions
            .key("shrinkwatch.provisional-alerts.enabled").booleanType().defaultValue(false)
            .withDescription("Also raise provisional alerts from the part of a transaction seen so far, as soon as the "
                    + "watermark passes a drop (plus the delay below), each later confirmed or withdrawn when the "
                    + "transaction settles; on their own output (Kafka: the provisional-alerts topic). Costs one "
                    + "timer and one classification of the open transaction per drop.");

    public static final ConfigOption<Duration> PROVISIONAL_DELAY = ConfigOptions
            .key("shrinkwatch.provisional-alerts.delay").durationType().defaultValue(Duration.ofMillis(2_500))
            .withDescription("How much event time after a drop the lane is classified for provisional alerts. The "
                    + "default covers barcode reconciliation (a barcode up to 3 s after the scan motion, which comes "
                    + "0.5 s or more before the drop): on a simulated day at 0 s, 96 % of provisional alerts were "
                    + "false (late barcodes), at 2 s 40 %, from 2.5 s on 30 % (the settled alerts: 26 %).");

    public static final ConfigOption<String> PROVISIONAL_TOPIC = ConfigOptions
            .key("shrinkwatch.provisional-alerts.topic").stringType().defaultValue("shrinkwatch.provisional-alerts")
            .withDescription("Kafka topic of the provisional alerts (Avro ProvisionalAlert), written as the "
                    + "delivery guarantee below says.");

    public static final ConfigOption<DeliveryGuarantee> PROVISIONAL_DELIVERY = ConfigOptions
            .key("shrinkwatch.provisional-alerts.delivery-guarantee").enumType(DeliveryGuarantee.class)
            .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
            .withDescription("exactly-once: in Kafka transactions, so a read_committed consumer sees each provisional "
                    + "record once, but only after the checkpoint that produced it (with 30 s checkpoints, 17 s after "
                    + "the drop at the median instead of 5 s). at-least-once: visible as soon as written; a restore "
                    + "writes the records since the last checkpoint again, the same ones (deduplicate on store, lane, "
                    + "scan_ts and status; the PostgreSQL table does). none is refused: it may lose them.");
}
