package io.shrinkwatch.detection;

import io.shrinkwatch.algorithm.classify.Label;
import io.shrinkwatch.algorithm.classify.ScanEvent;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.ClockOffsetEstimator;
import io.shrinkwatch.algorithm.lane.ClockOffsets;
import io.shrinkwatch.algorithm.lane.LaneKey;
import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.schema.LaneSequence;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.TLogEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import io.shrinkwatch.algorithm.model.ModelIo;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per-lane alignment and classification (issue #3), keyed by {@code store/lane}.
 *
 * <p>Both streams are buffered per lane in arrival order: on the heap as they arrive, and in one keyed
 * {@code ListState} from the next checkpoint barrier on ({@link LaneDetectorOperator} flushes). Designed for RocksDB:
 * an arriving event costs no state access (once a minute per lane, a TTL write); a lane's buffer is read and
 * rewritten once per settle timer, and its clock history only then. Run it in {@link LaneDetectorOperator}, which
 * flushes; in a plain operator heap events would miss checkpoints. When TXN_END arrives a timer is set at its POS time plus {@link LaneSettings#settleDelayMs()}: by then,
 * whatever the clock offset, every primitive the transaction can own has passed the watermark and no later
 * transaction can claim it. The timer hands the buffered events to the library's {@link LaneSequenceBuilder} (with
 * the clock offset estimated from the lane's scans and barcodes in the {@link LaneSettings#clockWindowMs()} of event
 * time before the transaction's end, {@link ClockOffsetEstimator}; by event time, not arrival, so a replay that
 * buffers a whole day settles every transaction exactly as a live run does) and the
 * sequence to the library's {@link Detector}: the job has no second implementation of alignment, voting or
 * segmentation. Then the transaction's lines and every primitive up to the boundary with the next transaction
 * (the builder's nearest-transaction rule) leave state. A lane silent for {@link LaneSettings#laneTtlMs()} (rounded up
 * to the next minute) loses all state, including transactions that never ended; in a lane that stays busy, every
 * tenth minute a sweep drops the same from the buffer one by one (a transaction without TXN_END or lines that came
 * after it settled, silent for the TTL; primitives that old no transaction can claim), counted in
 * {@code abandonedEvents}.
 *
 * <p>Models: the one given at construction serves until a model arrives on the broadcast input (Avro container
 * bytes, as {@code mine} writes them). A valid one replaces it in broadcast state for every lane, with no restart and
 * no lost events; transactions settled afterwards use it and name it in their outputs. An unreadable one goes to the
 * {@link #MODEL_ERRORS} output with the reason and the current model stays.
 *
 * <p>Clock offsets: a lane listed in {@link LaneSettings#pinnedOffsetsMs()} uses its configured offset; every other
 * lane's is estimated per transaction as above, except that a trusted estimate serves the lane's transactions ending
 * within {@link LaneSettings#clockRefreshMs()} after the one it was made for. An estimate the estimator does not
 * trust (too few scans and barcodes behind it, or a rival peak: {@link ClockOffsetEstimator.Estimate#trusted()}) gives
 * way to the lane's last trusted one; a lane with none yet (its first transactions, after a fresh start) settles with the untrusted estimate but
 * raises no fake scans, neither settled nor provisional, counted in {@code untrustedClockTransactions} and
 * {@code withheldFakeScans}. The estimator's
 * history is kept for pinned lanes too, so unpinning one in a later deployment has data at once.
 *
 * <p>Each settled transaction also goes, as aligned, to the {@link #ARCHIVE} output ({@link LaneSequence}): the input
 * of re-mining.
 */
public class LaneDetectorFunction extends KeyedBroadcastProcessFunction<String, LaneEvent, byte[], FakeScanAlert> {

    private static final long serialVersionUID = 1L;

    /** Events too far behind the watermark: JSON lines with the reason and the event ({@link LaneEvent#lateJson}). */
    public static final OutputTag<String> LATE = new OutputTag<>("late-events", Types.STRING);

    /** Broadcast state holding one entry: the current model's id and its Avro bytes. */
    public static final MapStateDescriptor<String, byte[]> MODEL_STATE = new MapStateDescriptor<>("model",
            Types.STRING, org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Model updates that could not be read, with the reason. */
    public static final OutputTag<String> MODEL_ERRORS = new OutputTag<>("model-errors", Types.STRING);

    /** One verdict per classified transaction. */
    public static final OutputTag<TransactionVerdict> VERDICTS = new OutputTag<>("verdicts",
            TypeInformation.of(TransactionVerdict.class));

    /**
     * Provisional alerts and their confirmations and withdrawals, when {@link LaneSettings#provisionalAlerts()}.
     */
    public static final OutputTag<ProvisionalAlert> PROVISIONAL = new OutputTag<>("provisional-alerts",
            TypeInformation.of(ProvisionalAlert.class));

    /** Every settled transaction as aligned, for the re-mining archive. */
    public static final OutputTag<LaneSequence> ARCHIVE = new OutputTag<>("archive",
            TypeInformation.of(LaneSequence.class));

    private final PatternModel model;
    private final LaneSettings settings;

    private transient Detector detector;
    /** The model {@link #detector} was built from; its id and training end are the model gauges. */
    private transient PatternModel detectorModel;
    private transient Counter modelSwaps;
    private transient LaneSequenceBuilder builder;
    private transient ClockOffsetEstimator estimator;
    private transient ListState<LaneEvent> buffer;
    /**
     * Transactions waiting to settle, in one value per lane. (A {@code MapState} iterated per timer cost a RocksDB
     * iterator seek over the tombstones of every settled transaction until compaction: a fifth of the job's samples
     * after 12 hours of input, and the reason its rate fell with the run's length.)
     */
    private transient ValueState<SettleQueue> settleQueue;
    private transient ValueState<ClockHistory> clock;
    private transient ValueState<Long> activeUntil;
    /** Provisional alerts raised and not yet confirmed or withdrawn (only with provisional alerts on). */
    private transient ListState<ProvisionalAlert> raised;
    /** Event time up to which the lane's drops were looked at, so a restore does not look at them again. */
    private transient ValueState<Long> lookedUpTo;
    /** Each active lane's heap side, one map lookup per event. */
    private transient Map<String, LaneHeap> lanes;
    /** Events held in {@link LaneHeap#pending} and {@link LaneHeap#buffer} over all lanes. */
    private transient int pendingCount;
    private transient Counter eventsIn;
    private transient Counter lateEvents;
    private transient Counter alerts;
    private transient Counter transactions;
    private transient Counter abandoned;
    private transient Counter provisionalRaised;
    private transient Counter provisionalConfirmed;
    private transient Counter provisionalWithdrawn;
    private transient Counter provisionalLooks;
    /** Transactions settled before their lane had a trusted clock offset (see {@link ClockOffsetEstimator}). */
    private transient Counter untrustedClockTransactions;
    /** Fake scans of those transactions, not raised. */
    private transient Counter withheldFakeScans;
    private transient org.apache.flink.metrics.Histogram bufferedEvents;

    public LaneDetectorFunction(PatternModel model, LaneSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        detector = Detector.of(model);
        detectorModel = model;
        builder = new LaneSequenceBuilder(settings.marginBeforeMs(), settings.marginAfterMs());
        estimator = new ClockOffsetEstimator(settings.maxClockOffsetMs(), ClockOffsetEstimator.DEFAULT_BUCKET_MS);
        buffer = getRuntimeContext().getListState(new ListStateDescriptor<>("buffer",
                TypeInformation.of(LaneEvent.class)));
        settleQueue = getRuntimeContext().getState(new ValueStateDescriptor<>("settle-queue",
                TypeInformation.of(SettleQueue.class)));
        clock = getRuntimeContext().getState(new ValueStateDescriptor<>("clock",
                TypeInformation.of(new TypeHint<ClockHistory>() { })));
        activeUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("active-until", Types.LONG));
        raised = getRuntimeContext().getListState(new ListStateDescriptor<>("provisional-raised",
                TypeInformation.of(ProvisionalAlert.class)));
        lookedUpTo = getRuntimeContext().getState(new ValueStateDescriptor<>("provisional-looked-up-to", Types.LONG));
        lanes = new java.util.HashMap<>();
        pendingCount = 0;
        var metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("eventsIn");
        lateEvents = metrics.counter("lateEvents");
        alerts = metrics.counter("alerts");
        transactions = metrics.counter("transactions");
        abandoned = metrics.counter("abandonedEvents");
        provisionalRaised = metrics.counter("provisionalAlerts");
        provisionalConfirmed = metrics.counter("provisionalConfirmed");
        provisionalWithdrawn = metrics.counter("provisionalWithdrawn");
        provisionalLooks = metrics.counter("provisionalLooks");
        untrustedClockTransactions = metrics.counter("untrustedClockTransactions");
        withheldFakeScans = metrics.counter("withheldFakeScans");
        modelSwaps = metrics.counter("modelSwaps");
        metrics.gauge("currentModelId", () -> detectorModel.getModelId());
        // A number, so it reaches Prometheus, which takes no string gauge (it reports the id as 0).
        metrics.gauge("currentModelTrainingEndMs", () -> detectorModel.getTrainingEndMs());
        // Sampled when a lane settles (a gauge per lane would not scale to a chain's lanes).
        bufferedEvents = metrics.histogram("bufferedEventsPerLane",
                new org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram(1_000));
    }

    @Override
    public void processBroadcastElement(byte[] modelBytes, Context ctx, Collector<FakeScanAlert> out) throws Exception {
        PatternModel candidate;
        Detector built;
        try {
            candidate = ModelIo.fromBytes(modelBytes);
            built = Detector.of(candidate);
        } catch (Exception | LinkageError e) {
            ctx.output(MODEL_ERRORS, "model update ignored, the current model stays: " + e);
            return;
        }
        BroadcastState<String, byte[]> state = ctx.getBroadcastState(MODEL_STATE);
        state.clear();
        state.put(candidate.getModelId(), modelBytes);
        detector = built;
        detectorModel = candidate;
        modelSwaps.inc();
    }

    /**
     * Brings the detector in line with the broadcast model. It is normally current already (updates set it); after a
     * restore, broadcast state holds the model and the detector is rebuilt once. Only the id is compared, so settling
     * a transaction never parses a model.
     */
    private void syncDetector(ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
        for (Map.Entry<String, byte[]> e : state.immutableEntries()) {
            if (!e.getKey().equals(detectorModel.getModelId())) {
                PatternModel restored = ModelIo.fromBytes(e.getValue());
                detector = Detector.of(restored);
                detectorModel = restored;
            }
        }
    }

    @Override
    public void processElement(LaneEvent e, ReadOnlyContext ctx, Collector<FakeScanAlert> out) throws Exception {
        eventsIn.inc();
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && e.ts < watermark - settings.allowedLatenessMs()) {
            lateEvents.inc();
            ctx.output(LATE, e.lateJson(watermark - e.ts, settings.allowedLatenessMs()));
            return;
        }
        LaneHeap lane = heapOf(ctx.getCurrentKey());
        lane.share(e);
        if (lane.index != null) {
            lane.index.add(e);
        } else {
            if (lane.pending == null) {
                lane.pending = new ArrayList<>();
            }
            lane.pending.add(e);
        }
        pendingCount++;
        if (settings.provisionalAlerts() && e.isPrimitive() && "D".equals(e.kind)) {
            // A drop may end a fake scan: look at the lane once the watermark has passed it (plus the delay).
            ctx.timerService().registerEventTimeTimer(e.ts + settings.provisionalDelayMs());
            lane.newestDrop = lane.newestDrop == UNKNOWN ? e.ts : Math.max(lane.newestDrop, e.ts);
        }
        if (!e.isPrimitive() && "TXN_END".equals(e.kind)) {
            long when = e.ts + settings.settleDelayMs();
            SettleQueue queue = settleQueue.value();
            settleQueue.update((queue == null ? new SettleQueue() : queue).put(e.txnId, when));
            ctx.timerService().registerEventTimeTimer(when);
        }
        // The lane's activity is kept per minute of event time, so the TTL costs a state write once a minute per
        // lane, not per event; a lane is dropped between TTL and TTL + 1 min after its last event (+ 1 min more for a
        // TTL that is not whole minutes, as its expiry timer is rounded up to one). Only a lane new to this instance
        // (new, or first seen since a restore) registers its housekeeping timer here; from then on the timer
        // registers its successor.
        long minute = Math.floorDiv(e.ts, TTL_RESOLUTION_MS) * TTL_RESOLUTION_MS + TTL_RESOLUTION_MS;
        if (!lane.housekeeping) {
            long until = lane.activeUntil == null ? minute : Math.max(minute, lane.activeUntil);
            ctx.timerService().registerEventTimeTimer(nextHousekeeping(minute, until));
            lane.housekeeping = true;
        }
        if (lane.activeUntil == null || minute > lane.activeUntil) {
            activeUntil.update(minute);
            lane.activeUntil = minute;
        }
    }

    /**
     * When a lane's housekeeping timer fires next, after {@code after}, for a lane active until {@code until}: at the
     * next sweep minute or when the TTL drops the lane (rounded up to a whole minute, so every housekeeping timer is
     * on a minute and {@link #onTimer} can tell it from a settle), whichever is first. Until session 19 every minute
     * of activity registered a timer for its own TTL, so a busy lane held 30 pending timers and paid a registration,
     * a firing and two state reads a minute; one pending timer per lane keeps the expiry and the sweeps (per-minute
     * timers restored from an older snapshot fire as before and expire or sweep the lane as before).
     */
    private long nextHousekeeping(long after, long until) {
        long sweepEvery = SWEEP_EVERY_MINUTES * TTL_RESOLUTION_MS;
        long expiry = Math.floorDiv(until + settings.laneTtlMs() + TTL_RESOLUTION_MS - 1, TTL_RESOLUTION_MS)
                * TTL_RESOLUTION_MS;
        return Math.min(expiry, (Math.floorDiv(after, sweepEvery) + 1) * sweepEvery);
    }

    /** The current lane's heap side, created on first use with its activity minute from keyed state. */
    private LaneHeap heapOf(String key) throws java.io.IOException {
        LaneHeap lane = lanes.get(key);
        if (lane == null) {
            lane = new LaneHeap();
            lane.activeUntil = activeUntil.value();
            lanes.put(key, lane);
        }
        return lane;
    }

    /**
     * A lane's heap side. {@code pending}: events that arrived since the last flush while the lane had no
     * {@code index}; {@link LaneDetectorOperator} appends them (or the index's) to {@link #buffer} before every
     * checkpoint barrier and when {@link #pendingCount} passes its limit, so a checkpoint always holds every event and
     * an event costs no state access on arrival (Flink SQL's mini-batch idea). {@code activeUntil}: a cache of the state of that name (null until the state has a value), so most events
     * need no state read for the TTL.
     */
    private static final class LaneHeap {
        List<LaneEvent> pending;
        /**
         * The lane's whole buffer, indexed, when a timer ran since the last flush; then it, not keyed state, is the
         * buffer until the next flush writes it back, and arriving events go to it instead of {@code pending}. A
         * catch-up fires a lane's timers many times between checkpoints, and reading and rewriting the list in
         * RocksDB each time was half of the lane thread in the first command's job.
         */
        Batch index;
        Long activeUntil;
        /** This instance registered the lane's housekeeping timer, whose firing registers the next one. */
        boolean housekeeping;
        /**
         * Provisional alerts raised and unresolved, loaded from keyed state on first use and written back at the
         * flush when {@code raisedChanged}; null until loaded.
         */
        List<ProvisionalAlert> raised;
        boolean raisedChanged;
        /** Newest drop seen, {@link #UNKNOWN} after a restore (the heap side starts empty) until the next look. */
        long newestDrop = UNKNOWN;
        /**
         * Event time up to which the lane's drops were looked at; loaded from keyed state with {@link #raised} and
         * written back at the flush when {@code provisionalUpToChanged}.
         */
        long provisionalUpTo = Long.MIN_VALUE;
        boolean provisionalUpToChanged;
        private String storeId;
        private String laneId;
        private String lastTxnId;
        private String lastCashierId;

        /**
         * Points the event's ids (store, lane, transaction, cashier) at the lane's copies of them (equal text), so the
         * lane's buffered events share one string per id instead of one per event: less heap per buffered event, and
         * a settle that looks lines up by transaction touches one warm string instead of a cold one per line (cache
         * misses on those were a tenth of the lane thread in a replay).
         */
        void share(LaneEvent e) {
            if (storeId == null) {
                storeId = e.storeId;
                laneId = e.laneId;
            } else {
                if (storeId.equals(e.storeId)) {
                    e.storeId = storeId;
                }
                if (laneId.equals(e.laneId)) {
                    e.laneId = laneId;
                }
            }
            if (e.txnId != null) {
                e.txnId = lastTxnId = sameOr(lastTxnId, e.txnId);
            }
            if (e.cashierId != null) {
                e.cashierId = lastCashierId = sameOr(lastCashierId, e.cashierId);
            }
        }

        /** {@code kept} when it has the same text as {@code id}, else {@code id} (which becomes the one kept). */
        private static String sameOr(String kept, String id) {
            return id.equals(kept) ? kept : id;
        }
    }

    /** Provisional looks since the function opened (the {@code provisionalLooks} metric). */
    long looks() {
        return provisionalLooks.getCount();
    }

    long withheldFakeScans() {
        return withheldFakeScans.getCount();
    }

    /** {@link LaneHeap#newestDrop} before the lane has been looked at since the operator (re)started. */
    static final long UNKNOWN = Long.MAX_VALUE;

    /** Events held on the heap (arrived, or a lane's buffer since its last timer), not yet in keyed state. */
    int pendingEvents() {
        return pendingCount;
    }

    /**
     * Appends every lane's heap events to its keyed buffer. {@code setKey} switches the keyed-state context (only the
     * operator can); called before each checkpoint barrier and when the heap holds too many events.
     */
    void flush(java.util.function.Consumer<String> setKey) throws Exception {
        // Every lane is visited even when no event waits: a buffer its timer emptied must still be written back.
        for (Map.Entry<String, LaneHeap> lane : lanes.entrySet()) {
            LaneHeap heap = lane.getValue();
            if (heap.raisedChanged) {
                setKey.accept(lane.getKey());
                raised.update(heap.raised);
                heap.raisedChanged = false;
            }
            if (heap.provisionalUpToChanged) {
                setKey.accept(lane.getKey());
                lookedUpTo.update(heap.provisionalUpTo);
                heap.provisionalUpToChanged = false;
            }
            if (heap.index != null) {
                setKey.accept(lane.getKey());
                List<LaneEvent> appended = heap.index.appended();
                if (appended == null) {
                    buffer.update(heap.index.toList());
                } else if (!appended.isEmpty()) {
                    buffer.addAll(appended);
                }
                heap.index = null;
            } else if (heap.pending != null) {
                setKey.accept(lane.getKey());
                buffer.addAll(heap.pending);
                heap.pending = null;
            }
        }
        pendingCount = 0;
    }

    /** Granularity of the lane TTL's activity clock. */
    static final long TTL_RESOLUTION_MS = 60_000;

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FakeScanAlert> out) throws Exception {
        // Everything due by the current watermark settles now, in the order its own timers would fire (time, then
        // transaction id): one read and one write of the lane's buffer per watermark advance, not per transaction.
        // The later timers then find nothing due.
        long upTo = Math.max(timestamp, ctx.timerService().currentWatermark());
        SettleQueue queue = settleQueue.value();
        long[] dueWhen = queue == null ? new long[0] : queue.dueTimes(upTo);
        List<String> due = queue == null ? List.of() : queue.pollDue(upTo);
        if (!due.isEmpty()) {
            if (queue.isEmpty()) {
                settleQueue.clear();
            } else {
                settleQueue.update(queue);
            }
        }
        Long until = activeUntil.value();
        boolean sweep = until != null && timestamp < until + settings.laneTtlMs()
                && timestamp % TTL_RESOLUTION_MS == 0
                && Math.floorMod(timestamp / TTL_RESOLUTION_MS, SWEEP_EVERY_MINUTES) == 0;
        LaneHeap lane = settings.provisionalAlerts() || !due.isEmpty() || sweep ? heapOf(ctx.getCurrentKey()) : null;
        if (settings.provisionalAlerts()) {
            loadProvisional(lane);
        }
        // Drops the watermark has passed (by the delay) and no look has covered call for a look; a lane whose
        // drops were all looked at skips.
        long lookTo = upTo - settings.provisionalDelayMs();
        boolean look = settings.provisionalAlerts() && lane.newestDrop > lane.provisionalUpTo
                && lookTo > lane.provisionalUpTo;
        if (!due.isEmpty() || sweep || look) {
            // The lane's buffer is read from keyed state at most once between flushes, however many transactions
            // settle and however many timers fire; the flush before the next checkpoint barrier writes it back.
            Batch batch = lane.index;
            if (batch == null) {
                batch = Batch.of(buffer.get(), lane.pending);
                if (lane.pending != null) {
                    pendingCount -= lane.pending.size();
                    lane.pending = null;
                }
            } else {
                pendingCount -= batch.size();
            }
            if (!due.isEmpty() || look) {
                syncDetector(ctx.getBroadcastState(MODEL_STATE));
                ClockHistory history = clock.value();
                if (history == null) {
                    history = new ClockHistory();
                }
                if (!due.isEmpty()) {
                    bufferedEvents.update(batch.size());
                }
                long[] drops = look ? batch.dropsIn(lane.provisionalUpTo, lookTo) : new long[0];
                // Settles and looks in the order of their own timers (a look after a settle due at the same time),
                // so a watermark that jumps minutes (a replay, a backlog, a restore) decides as a live one does.
                int i = 0;
                int j = 0;
                while (i < due.size() || j < drops.length) {
                    if (j == drops.length || (i < due.size() && dueWhen[i] <= drops[j] + settings.provisionalDelayMs())) {
                        settle(due.get(i), dueWhen[i], batch, history, lane, ctx, out);
                        i++;
                    } else {
                        lookAt(drops[j], batch, history, lane, ctx);
                        j++;
                    }
                }
                if (!due.isEmpty()) {
                    clock.update(history);
                }
                if (look) {
                    if (lane.newestDrop == UNKNOWN) {
                        lane.newestDrop = batch.newestDrop();
                    }
                    lane.provisionalUpTo = lookTo;
                    lane.provisionalUpToChanged = true;
                }
                if (!due.isEmpty()) {
                    // Only settles consume events; after looks alone the buffer is unchanged.
                    batch.compact();
                }
            }
            if (!due.isEmpty() || sweep) {
                batch.changed();
            }
            if (sweep) {
                long horizon = ctx.timerService().currentWatermark() - settings.laneTtlMs();
                batch = Batch.rewritten(sweepAbandoned(batch.toList(), horizon, queue));
                if (settings.provisionalAlerts()) {
                    withdrawRaised(lane, a -> a.decidedTs < horizon, upTo, ctx);
                }
            }
            lane.index = batch;
            pendingCount += batch.size();
        }
        if (until != null && timestamp < until + settings.laneTtlMs() && timestamp % TTL_RESOLUTION_MS == 0) {
            ctx.timerService().registerEventTimeTimer(nextHousekeeping(timestamp, until));
        }
        if (until != null && timestamp >= until + settings.laneTtlMs()) {
            if (settings.provisionalAlerts()) {
                withdrawRaised(lane, a -> true, upTo, ctx);
                raised.clear();
                lookedUpTo.clear();
            }
            buffer.clear();
            settleQueue.clear();
            clock.clear();
            activeUntil.clear();
            LaneHeap dropped = lanes.remove(ctx.getCurrentKey());
            if (dropped != null && dropped.pending != null) {
                pendingCount -= dropped.pending.size();
            }
            if (dropped != null && dropped.index != null) {
                pendingCount -= dropped.index.size();
            }
        }
    }

    /** A busy lane's buffer is swept for abandoned events on every this many minutes' TTL timer. */
    static final long SWEEP_EVERY_MINUTES = 10;

    /**
     * Drops from a lane that stays busy what its TTL would drop if it went quiet: TLog lines of a transaction that is
     * not waiting to settle and has had no line since {@code horizon} (it never ended, or the lines arrived after it
     * settled), and primitives older than {@code horizon} that precede every remaining TLog line by more than the
     * margin and clock range, so no transaction can claim them (a camera firing at a closed POS). Without this they
     * stayed as long as the lane had traffic.
     */
    private List<LaneEvent> sweepAbandoned(List<LaneEvent> events, long horizon, SettleQueue queue) {
        java.util.Set<String> waiting = new java.util.HashSet<>();
        if (queue != null) {
            waiting.addAll(Arrays.asList(queue.txn));
        }
        Map<String, Long> newestLine = new java.util.HashMap<>();
        for (LaneEvent e : events) {
            if (!e.isPrimitive()) {
                newestLine.merge(e.txnId, e.ts, Math::max);
            }
        }
        long oldestKeptLine = Long.MAX_VALUE;
        for (LaneEvent e : events) {
            if (!e.isPrimitive() && (waiting.contains(e.txnId) || newestLine.get(e.txnId) >= horizon)) {
                oldestKeptLine = Math.min(oldestKeptLine, e.ts);
            }
        }
        long claimable = oldestKeptLine == Long.MAX_VALUE ? Long.MAX_VALUE
                : oldestKeptLine - settings.marginBeforeMs() - settings.maxClockOffsetMs();
        List<LaneEvent> kept = new ArrayList<>(events.size());
        for (LaneEvent e : events) {
            boolean gone = e.isPrimitive() ? e.ts < horizon && e.ts < claimable
                    : !waiting.contains(e.txnId) && newestLine.get(e.txnId) < horizon;
            if (!gone) {
                kept.add(e);
            }
        }
        abandoned.inc(events.size() - kept.size());
        return kept;
    }

    /**
     * Classifies one transaction from the lane's buffered events, then consumes from the batch its TLog lines and
     * every primitive up to the boundary with the next transaction, and moves their scan and barcode times to the
     * clock history (which keeps them for the clock window).
     */
    private void settle(String txnId, long when, Batch batch, ClockHistory history, LaneHeap heap, OnTimerContext ctx,
            Collector<FakeScanAlert> out) {
        Batch.Txn ownTxn = batch.txns.get(txnId);
        if (ownTxn == null || ownTxn.settled) {
            return;
        }
        List<LaneEvent> own = ownTxn.lines;
        LaneKey lane = new LaneKey(own.get(0).storeId, own.get(0).laneId);
        long ownEndPos = Long.MIN_VALUE;
        for (LaneEvent l : own) {
            ownEndPos = Math.max(ownEndPos, l.ts);
        }
        long from = ownEndPos - settings.clockWindowMs();
        Long pinned = pinnedOffset(lane.storeId(), lane.laneId());
        long offset;
        boolean trusted = true;
        if (pinned != null) {
            offset = pinned;
        } else if (history.offsetKnown && history.estimatedAt > ownEndPos - settings.clockRefreshMs()
                && history.estimatedAt <= ownEndPos) {
            // Recently estimated: a fresh estimate over nearly the same window would differ by the window's noise,
            // not by drift, and it was the largest single cost of a settle (a JFR profile, session 18: 12 % of the
            // keyed thread).
            offset = history.lastOffset;
        } else {
            ClockOffsetEstimator.Estimate e = estimate(from, ownEndPos, ownEndPos + settings.maxClockOffsetMs(), batch,
                    history);
            if (e != null && trusts(e)) {
                offset = e.offsetMs();
                history.estimatedAt = ownEndPos;
            } else if (history.offsetKnown) {
                // Clocks drift by milliseconds an hour: a thin window is better served by the last trusted estimate.
                offset = history.lastOffset;
            } else {
                offset = e == null ? 0 : e.offsetMs();
                trusted = false;
            }
        }
        if (trusted) {
            history.lastOffset = offset;
            history.offsetKnown = true;
        }
        ClockOffsets.LaneOffsets offsets = ClockOffsets.LaneOffsets.constant(offset);

        long ownStart = Long.MAX_VALUE;
        long ownEnd = Long.MIN_VALUE;
        List<TLogEvent> lines = new ArrayList<>();
        for (LaneEvent l : own) {
            ownStart = Math.min(ownStart, l.ts + offset);
            ownEnd = Math.max(ownEnd, l.ts + offset);
            lines.add(l.toTLog());
        }
        // Overlapping transactions join in id order (the builder breaks ties by input order).
        long nextStart = Long.MAX_VALUE;
        List<String> overlapping = new ArrayList<>();
        for (Map.Entry<String, Batch.Txn> other : batch.txns.entrySet()) {
            if (other.getValue() == ownTxn || other.getValue().settled) {
                continue;
            }
            long start = other.getValue().firstLine + offset;
            if (start > ownStart && start - settings.marginBeforeMs() <= ownEnd + settings.marginAfterMs()) {
                nextStart = Math.min(nextStart, start);
                overlapping.add(other.getKey());
            }
        }
        java.util.Collections.sort(overlapping);
        for (String id : overlapping) {
            for (LaneEvent l : batch.txns.get(id).lines) {
                lines.add(l.toTLog());
            }
        }
        long cutoff = ownEnd + settings.marginAfterMs();
        if (nextStart != Long.MAX_VALUE) {
            cutoff = Math.min(cutoff, Math.floorDiv(ownEnd + nextStart, 2));
        }
        // The unconsumed primitives up to the transaction's end, in time order (stable, so ties keep arrival order:
        // the order the builder's own stable sort would give them).
        int primsTo = Math.max(batch.primsFrom, batch.firstPrimAtOrAfter(ownEnd + settings.marginAfterMs() + 1));
        TransactionSequence t = builder.buildTransaction(lane, txnId, batch.primKinds, batch.primTimes,
                batch.primsFrom, primsTo, lines, offsets, new LaneSequenceBuilder.Stats());
        List<FakeScanAlert> finals = new ArrayList<>();
        if (t != null) {
            transactions.inc();
            Detector.Result result = detector.detect(t);
            if (!trusted) {
                // A wrong offset misplaces every barcode, and misplaced barcodes look like fake scans: the lane's
                // clock is not known yet, so its fake scans are withheld (verdict and archive say none, as the
                // alerts do), and counted.
                withheldFakeScans.inc(result.fakeScans().size());
                untrustedClockTransactions.inc();
                List<ScanEvent> trueScans = new ArrayList<>(result.scans());
                trueScans.removeIf(ScanEvent::fake);
                result = new Detector.Result(t, result.classification(), trueScans);
            }
            ctx.output(VERDICTS, verdict(t, result));
            List<ScanEvent> fakeScans = result.fakeScans();
            List<Long> fakes = new ArrayList<>(fakeScans.size());
            fakeScans.forEach(f -> fakes.add(f.sTs()));
            ctx.output(ARCHIVE, Archive.sequence(t, offset, detector.modelId(), fakes, trusted));
            for (ScanEvent f : fakeScans) {
                FakeScanAlert a = alert(t, f);
                alerts.inc();
                out.collect(a);
                finals.add(a);
            }
        }
        if (heap.raised != null && !heap.raised.isEmpty()) {
            resolveRaised(txnId, finals, when, heap, ctx);
        }
        int scansBefore = batch.scansFrom;
        batch.consumePrimitivesUpTo(cutoff);
        long[] settledBarcodes = new long[own.size()];
        int n = 0;
        for (LaneEvent l : own) {
            if ("ITEM".equals(l.kind)) {
                settledBarcodes[n++] = l.ts;
            }
        }
        history.add(batch.scanTs, scansBefore, batch.scansFrom, settledBarcodes, n,
                from - settings.maxClockOffsetMs());
        ownTxn.settled = true;
    }

    /** The lane's configured clock offset, or null; no key is built when none is configured (the usual case). */
    private Long pinnedOffset(String storeId, String laneId) {
        return settings.pinnedOffsetsMs().isEmpty() ? null : settings.pinnedOffsetsMs().get(storeId + "/" + laneId);
    }

    private FakeScanAlert alert(TransactionSequence t, ScanEvent f) {
        FakeScanAlert a = new FakeScanAlert();
        a.storeId = t.storeId();
        a.laneId = t.laneId();
        a.txnId = t.txnId();
        a.cashierId = t.cashierId();
        a.scanTs = f.sTs();
        a.startTs = f.pTs();
        a.endTs = f.dTs();
        a.confidence = Math.round(f.confidence() * 1000) / 1000.0;
        a.modelId = detector.modelId();
        a.evidenceStartTs = a.startTs - settings.evidenceMarginMs();
        a.evidenceEndTs = a.endTs + settings.evidenceMarginMs();
        a.kind = FakeScanAlert.kindOf(f);
        return a;
    }

    /**
     * Looks for provisional alerts as the lane stood when the watermark passed {@code drop} plus the delay: the
     * transactions not yet settled, with their TLog lines and the primitives up to then, are built and classified as
     * if the open one (the latest begun, no TXN_END yet) ended then; every fake scan whose drop is at or before
     * {@code drop} and that was not raised before is raised. Only what had arrived by then is used (events up to that
     * event time), so a replay or a restore raises what a live run raises.
     *
     * <p>Choices (the paper classifies whole transactions only): barcodes are placed with the clock offset of the
     * lane's last settled transaction (the settle estimates its own), or, before the lane's first settle, one estimated
     * from what was seen up to then; only the {@link #LOOK_WINDOW_MS} before the drop is classified (with the
     * transactions' start and end marks), so a look costs the same late in a long basket as early; of several
     * unsettled transactions without TXN_END only the latest begun is taken as open (the others never ended, or
     * overlap it, and are left out).
     */
    private void lookAt(long drop, Batch batch, ClockHistory history, LaneHeap heap, OnTimerContext ctx) {
        provisionalLooks.inc();
        long until = drop + settings.provisionalDelayMs();
        long since = drop - LOOK_WINDOW_MS;
        Batch.Txn open = null;
        String openId = null;
        LaneEvent any = null;
        List<TLogEvent> lines = new ArrayList<>();
        long offset = 0;
        boolean offsetKnown = false;
        for (Map.Entry<String, Batch.Txn> e : batch.txns.entrySet()) {
            Batch.Txn t = e.getValue();
            if (t.settled) {
                continue;
            }
            if (!offsetKnown) {
                any = t.lines.get(0);
                Long pinned = pinnedOffset(any.storeId, any.laneId);
                Long known = pinned != null ? pinned : history.offsetKnown ? Long.valueOf(history.lastOffset)
                        : trustedUpTo(until, batch, history);
                if (known == null) {
                    // No trusted clock yet: what a look raised the settle would withhold.
                    return;
                }
                offset = known;
                offsetKnown = true;
            }
            if (t.firstLine + offset > until) {
                continue;
            }
            if (t.endLine == Long.MIN_VALUE || t.endLine + offset > until) {
                if (open == null || t.firstLine > open.firstLine
                        || (t.firstLine == open.firstLine && e.getKey().compareTo(openId) > 0)) {
                    open = t;
                    openId = e.getKey();
                }
                continue;
            }
            for (LaneEvent l : t.lines) {
                if (inLook(l, offset, since, until)) {
                    lines.add(l.toTLog());
                }
            }
        }
        if (open == null && lines.isEmpty()) {
            return;
        }
        if (open != null) {
            long last = Long.MIN_VALUE;
            for (LaneEvent l : open.lines) {
                if (inLook(l, offset, since, until)) {
                    lines.add(l.toTLog());
                    last = Math.max(last, l.ts);
                }
            }
            // Ends where the lane has been seen up to, so the open transaction owns the primitives up to then.
            lines.add(new TLogEvent(any.storeId, any.laneId, Math.max(last, until - offset),
                    io.shrinkwatch.schema.TLogType.TXN_END, openId, null, null, null, null, null));
        }
        lines.sort(java.util.Comparator.comparing(TLogEvent::getTxnId));
        int primsFrom = Math.max(batch.primsFrom, batch.firstPrimAtOrAfter(since));
        int primsTo = Math.max(primsFrom, batch.firstPrimAtOrAfter(until + 1));
        LaneKey lane = new LaneKey(any.storeId, any.laneId);
        for (TransactionSequence t : builder.buildLane(lane, batch.primKinds, batch.primTimes, primsFrom, primsTo,
                lines, ClockOffsets.LaneOffsets.constant(offset), new LaneSequenceBuilder.Stats())) {
            for (ScanEvent f : detector.detect(t).fakeScans()) {
                // Near the window's start an item lacks its left context; earlier looks had it.
                if (f.dTs() > drop || f.pTs() < since + LOOK_EDGE_MS || isRaised(heap, f.sTs())) {
                    continue;
                }
                ProvisionalAlert p = ProvisionalAlert.of(ProvisionalAlert.PROVISIONAL, alert(t, f), until);
                heap.raised.add(p);
                heap.raisedChanged = true;
                provisionalRaised.inc();
                ctx.output(PROVISIONAL, p);
            }
        }
    }

    /**
     * A lane's clock offset from its scans and barcodes of the clock window up to {@code until} only (so a replay
     * agrees with a live run), for a lane with no trusted offset yet; null when the estimate is not trusted.
     */
    private Long trustedUpTo(long until, Batch batch, ClockHistory history) {
        ClockOffsetEstimator.Estimate e = estimate(until - settings.clockWindowMs(), until, until, batch, history);
        return e != null && trusts(e) ? e.offsetMs() : null;
    }

    private boolean trusts(ClockOffsetEstimator.Estimate e) {
        return e.trusted() || !settings.trustedClocksOnly();
    }

    /**
     * The clock offset from the barcodes in [{@code from}, {@code to}] (POS time) and the scans from the clock range
     * before {@code from} up to {@code scansTo}, settled (history) and buffered; null when they do not suffice.
     */
    private ClockOffsetEstimator.Estimate estimate(long from, long to, long scansTo, Batch batch,
            ClockHistory history) {
        long scansFrom = from - settings.maxClockOffsetMs();
        int lo = batch.firstScanAtOrAfter(scansFrom);
        int hi = Math.max(lo, batch.firstScanAtOrAfter(scansTo + 1));
        return estimator.estimateWithSupport(history.scans(scansFrom, scansTo, batch.scanTs, lo, hi),
                history.barcodes(from, to, batch.barcodes(from, to)));
    }

    /**
     * Event time before a drop that a provisional look classifies: five items at the paper's ~2.9 s per item, where a
     * vote reaches at most W = 10 symbols (about three items) and reconciliation 3 s, so the drop's own item keeps the
     * left context that labels it. Fake scans in its first {@link #LOOK_EDGE_MS} are not raised (they lack their left
     * context there; the looks at their own drops saw it). Chosen by measurement (2.5 s delay, two simulated days of 6
     * stores x 8 lanes x 16 h, seeds 21 and 22): 30 s raised 260 / 113 and 230 / 116 correct / false provisional
     * alerts, 15 s 260 / 111 and 230 / 109 at about half the building and classifying per look, 10 s 260 / 101 and
     * 227 / 97 (it loses correct ones).
     */
    static final long LOOK_WINDOW_MS = 15_000;

    /** Fake scans whose pickup is this close to a look's window start are not raised by that look. */
    static final long LOOK_EDGE_MS = 5_000;

    /** A TLog line a look uses: seen by {@code until} (camera time), in the window or a start or end mark. */
    private static boolean inLook(LaneEvent l, long offset, long since, long until) {
        long cam = l.ts + offset;
        return cam <= until && (cam >= since || "TXN_START".equals(l.kind) || "TXN_END".equals(l.kind));
    }

    private static boolean isRaised(LaneHeap heap, long scanTs) {
        for (ProvisionalAlert a : heap.raised) {
            if (a.scanTs == scanTs) {
                return true;
            }
        }
        return false;
    }

    /** Loads the lane's unresolved provisional alerts and how far it was looked at, once per lane heap side. */
    private void loadProvisional(LaneHeap heap) throws Exception {
        if (heap.raised == null) {
            heap.raised = new ArrayList<>();
            Iterable<ProvisionalAlert> stored = raised.get();
            if (stored != null) {
                stored.forEach(heap.raised::add);
            }
            Long upTo = lookedUpTo.value();
            heap.provisionalUpTo = upTo == null ? Long.MIN_VALUE : upTo;
        }
    }

    /**
     * Confirms (with the final alert's fields) or withdraws each provisional alert of the settled transaction, by
     * whether the settle found a fake scan at the same scan time.
     */
    private void resolveRaised(String txnId, List<FakeScanAlert> finals, long when, LaneHeap heap, OnTimerContext ctx) {
        for (java.util.Iterator<ProvisionalAlert> it = heap.raised.iterator(); it.hasNext(); ) {
            ProvisionalAlert p = it.next();
            if (!p.txnId.equals(txnId)) {
                continue;
            }
            FakeScanAlert confirmed = null;
            for (FakeScanAlert f : finals) {
                if (f.scanTs == p.scanTs) {
                    confirmed = f;
                }
            }
            if (confirmed != null) {
                provisionalConfirmed.inc();
                ctx.output(PROVISIONAL, ProvisionalAlert.of(ProvisionalAlert.CONFIRMED, confirmed, when));
            } else {
                provisionalWithdrawn.inc();
                ctx.output(PROVISIONAL, p.as(ProvisionalAlert.WITHDRAWN, when));
            }
            it.remove();
            heap.raisedChanged = true;
        }
    }

    /** Withdraws the lane's unresolved provisional alerts that {@code which} selects (their transaction never settled). */
    private void withdrawRaised(LaneHeap heap, java.util.function.Predicate<ProvisionalAlert> which, long now,
            OnTimerContext ctx) {
        if (heap.raised == null) {
            return;
        }
        for (java.util.Iterator<ProvisionalAlert> it = heap.raised.iterator(); it.hasNext(); ) {
            ProvisionalAlert p = it.next();
            if (which.test(p)) {
                provisionalWithdrawn.inc();
                ctx.output(PROVISIONAL, p.as(ProvisionalAlert.WITHDRAWN, now));
                it.remove();
                heap.raisedChanged = true;
            }
        }
    }

    /**
     * A lane's buffered events indexed for settles and looks. It is built once from keyed state when a lane's timer
     * first needs it, then kept on the heap until the next flush, and every event that arrives meanwhile is added to
     * it in {@code processElement}, while the event is still in the processor's cache: before, each timer indexed the
     * whole buffer again (a replay fires a lane's timers every watermark step, so each event was indexed about twice,
     * each time a cache miss per event; a fifth of the lane thread). Consumed primitives are always a prefix in time
     * order (everything up to some cutoff), so a pointer marks them until {@link #compact()}.
     */
    static final class Batch {
        /**
         * The primitives' kind letters, times and events, in time order, ties in arrival order (the form the library's
         * builder takes; an arrival goes after every primitive of its time); {@code [0, primsFrom)} consumed.
         */
        char[] primKinds = new char[16];
        long[] primTimes = new long[16];
        private LaneEvent[] primEvents = new LaneEvent[16];
        int primCount;
        int primsFrom;
        /** Scan-motion times in order; {@code [0, scansFrom)} consumed. */
        long[] scanTs = new long[16];
        int scanCount;
        int scansFrom;
        /** Every buffered transaction's lines, in the order of their first line's arrival. */
        final Map<String, Txn> txns = new java.util.LinkedHashMap<>();
        private int lineCount;
        /** Barcode (ITEM) times in order, with their transactions. */
        private long[] itemTs = new long[16];
        private Txn[] itemTxn = new Txn[16];
        private int itemCount;
        /**
         * Events added since the batch was built from keyed state's list, which the flush appends to it; null once a
         * settle or sweep changed what is buffered, when the flush rewrites the list.
         */
        private List<LaneEvent> appended;

        /** A batch of keyed state's list {@code stored} plus {@code pending} (not in keyed state yet; may be null). */
        static Batch of(Iterable<LaneEvent> stored, List<LaneEvent> pending) {
            Batch b = new Batch();
            if (stored != null) {
                stored.forEach(b::add);
            }
            b.appended = new ArrayList<>();
            if (pending != null) {
                pending.forEach(b::add);
            }
            return b;
        }

        /** A batch of {@code events} that keyed state does not hold as they are (the flush rewrites the list). */
        static Batch rewritten(List<LaneEvent> events) {
            Batch b = new Batch();
            events.forEach(b::add);
            return b;
        }

        void add(LaneEvent e) {
            if (appended != null) {
                appended.add(e);
            }
            if (e.isPrimitive()) {
                addPrimitive(e);
                return;
            }
            Txn t = txns.computeIfAbsent(e.txnId, id -> new Txn());
            t.lines.add(e);
            lineCount++;
            t.firstLine = Math.min(t.firstLine, e.ts);
            if ("TXN_END".equals(e.kind)) {
                t.endLine = Math.max(t.endLine, e.ts);
            }
            if ("ITEM".equals(e.kind)) {
                int at = upperBound(itemTs, itemCount, e.ts);
                if (itemCount == itemTs.length) {
                    itemTs = Arrays.copyOf(itemTs, 2 * itemCount);
                    itemTxn = Arrays.copyOf(itemTxn, 2 * itemCount);
                }
                System.arraycopy(itemTs, at, itemTs, at + 1, itemCount - at);
                System.arraycopy(itemTxn, at, itemTxn, at + 1, itemCount - at);
                itemTs[at] = e.ts;
                itemTxn[at] = t;
                itemCount++;
            }
        }

        private void addPrimitive(LaneEvent e) {
            int at = upperBound(primTimes, primCount, e.ts);
            if (primCount == primTimes.length) {
                primKinds = Arrays.copyOf(primKinds, 2 * primCount);
                primTimes = Arrays.copyOf(primTimes, 2 * primCount);
                primEvents = Arrays.copyOf(primEvents, 2 * primCount);
            }
            System.arraycopy(primKinds, at, primKinds, at + 1, primCount - at);
            System.arraycopy(primTimes, at, primTimes, at + 1, primCount - at);
            System.arraycopy(primEvents, at, primEvents, at + 1, primCount - at);
            char kind = e.kind.charAt(0);
            primKinds[at] = kind;
            primTimes[at] = e.ts;
            primEvents[at] = e;
            primCount++;
            if (kind == 'S') {
                int s = upperBound(scanTs, scanCount, e.ts);
                if (scanCount == scanTs.length) {
                    scanTs = Arrays.copyOf(scanTs, 2 * scanCount);
                }
                System.arraycopy(scanTs, s, scanTs, s + 1, scanCount - s);
                scanTs[s] = e.ts;
                scanCount++;
            }
        }

        /** One buffered transaction: its lines in arrival order, its earliest line (POS time), whether it settled. */
        static final class Txn {
            final List<LaneEvent> lines = new ArrayList<>();
            long firstLine = Long.MAX_VALUE;
            /** Its TXN_END's POS time, or {@code Long.MIN_VALUE} before one arrived. */
            long endLine = Long.MIN_VALUE;
            boolean settled;
        }

        /** Events buffered (consumed primitives and settled lines still count until {@link #compact()}). */
        int size() {
            return primCount - primsFrom + lineCount;
        }

        void consumePrimitivesUpTo(long cutoff) {
            while (primsFrom < primCount && primTimes[primsFrom] <= cutoff) {
                primsFrom++;
            }
            while (scansFrom < scanCount && scanTs[scansFrom] <= cutoff) {
                scansFrom++;
            }
        }

        /** The flush must rewrite keyed state's list: what is buffered changed. */
        void changed() {
            appended = null;
        }

        /** Drops what settles consumed: the primitives before the pointers and the settled transactions. */
        void compact() {
            int n = primCount - primsFrom;
            System.arraycopy(primKinds, primsFrom, primKinds, 0, n);
            System.arraycopy(primTimes, primsFrom, primTimes, 0, n);
            System.arraycopy(primEvents, primsFrom, primEvents, 0, n);
            Arrays.fill(primEvents, n, primCount, null);
            primCount = n;
            primsFrom = 0;
            System.arraycopy(scanTs, scansFrom, scanTs, 0, scanCount - scansFrom);
            scanCount -= scansFrom;
            scansFrom = 0;
            int k = 0;
            for (int i = 0; i < itemCount; i++) {
                if (!itemTxn[i].settled) {
                    itemTs[k] = itemTs[i];
                    itemTxn[k++] = itemTxn[i];
                }
            }
            Arrays.fill(itemTxn, k, itemCount, null);
            itemCount = k;
            // A line that arrives for a settled transaction then starts a new one, as in a batch built afresh.
            for (java.util.Iterator<Txn> it = txns.values().iterator(); it.hasNext(); ) {
                Txn t = it.next();
                if (t.settled) {
                    lineCount -= t.lines.size();
                    it.remove();
                }
            }
        }

        /**
         * What is buffered, as keyed state's list: the primitives in time order, then each transaction's lines. A batch
         * built from it again is this one (the order encodes the ties' arrival order).
         */
        List<LaneEvent> toList() {
            List<LaneEvent> out = new ArrayList<>(size());
            for (int i = primsFrom; i < primCount; i++) {
                out.add(primEvents[i]);
            }
            for (Txn t : txns.values()) {
                if (!t.settled) {
                    out.addAll(t.lines);
                }
            }
            return out;
        }

        /** Events keyed state does not hold yet (null: the whole list must be rewritten). */
        List<LaneEvent> appended() {
            return appended;
        }

        /** Times of the drops in ({@code after}, {@code upTo}], in order (duplicate times once). */
        long[] dropsIn(long after, long upTo) {
            long[] out = new long[8];
            int n = 0;
            for (int i = after == Long.MIN_VALUE ? 0 : firstPrimAtOrAfter(after + 1); i < primCount
                    && primTimes[i] <= upTo; i++) {
                if (primKinds[i] == 'D' && (n == 0 || out[n - 1] != primTimes[i])) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, 2 * n);
                    }
                    out[n++] = primTimes[i];
                }
            }
            return Arrays.copyOf(out, n);
        }

        /** Index of the first primitive at or after {@code t}. */
        int firstPrimAtOrAfter(long t) {
            return lowerBound(primTimes, primCount, t);
        }

        /** Index of the first unconsumed scan motion at or after {@code t}. */
        int firstScanAtOrAfter(long t) {
            return Math.max(scansFrom, lowerBound(scanTs, scanCount, t));
        }

        /** The newest drop buffered, or {@code Long.MIN_VALUE}. */
        long newestDrop() {
            for (int i = primCount - 1; i >= 0; i--) {
                if (primKinds[i] == 'D') {
                    return primTimes[i];
                }
            }
            return Long.MIN_VALUE;
        }

        /** Barcode times in [from, to] of transactions not yet settled, sorted. */
        long[] barcodes(long from, long to) {
            int lo = lowerBound(itemTs, itemCount, from);
            int hi = lowerBound(itemTs, itemCount, to + 1);
            long[] out = new long[hi - lo];
            int n = 0;
            for (int i = lo; i < hi; i++) {
                if (!itemTxn[i].settled) {
                    out[n++] = itemTs[i];
                }
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        }
    }

    /** First index whose time is >= {@code t} in a sorted array. */
    static int lowerBound(long[] sorted, long t) {
        return lowerBound(sorted, sorted.length, t);
    }

    /** First index whose time is >= {@code t} in the sorted {@code [0, n)} of an array. */
    static int lowerBound(long[] sorted, int n, long t) {
        return lowerBound(sorted, 0, n, t);
    }

    /** First index whose time is >= {@code t} in the sorted {@code [lo, hi)} of an array, or {@code hi}. */
    static int lowerBound(long[] sorted, int lo, int hi, long t) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index whose time is > {@code t} in the sorted {@code [0, n)} of an array; the newest end first. */
    static int upperBound(long[] sorted, int n, long t) {
        if (n == 0 || sorted[n - 1] <= t) {
            return n;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private TransactionVerdict verdict(TransactionSequence t, Detector.Result r) {
        TransactionVerdict v = new TransactionVerdict();
        v.storeId = t.storeId();
        v.laneId = t.laneId();
        v.txnId = t.txnId();
        v.cashierId = t.cashierId();
        v.startTs = t.startTs();
        v.endTs = t.endTs();
        v.itemsRegistered = t.barcodeCount();
        for (long cents : t.valueCents()) {
            v.registeredValueCents += cents;
        }
        v.trueScans = (int) r.trueScanCount();
        v.fakeScans = r.fakeScans().size();
        for (int i = 0; i < t.length(); i++) {
            if (t.symbol(i) != 'B' && r.classification().labels()[i] == Label.UNCLASSIFIED) {
                v.unclassifiedPrimitives++;
            }
        }
        v.modelId = detector.modelId();
        return v;
    }

    /** A lane's transactions that saw their TXN_END and wait to settle, in settle order. */
    public static final class SettleQueue {
        /** Settle times, ascending; ties in transaction id order (the order their own timers would fire). */
        public long[] when = new long[0];
        /** Transaction ids, index-aligned with {@link #when}. */
        public String[] txn = new String[0];

        /** Adds or moves a transaction (a repeated TXN_END replaces the earlier time, as a map entry would). */
        SettleQueue put(String id, long at) {
            int n = 0;
            long[] ws = new long[when.length + 1];
            String[] ts = new String[txn.length + 1];
            boolean placed = false;
            for (int i = 0; i < txn.length; i++) {
                if (txn[i].equals(id)) {
                    continue;
                }
                if (!placed && (when[i] > at || (when[i] == at && txn[i].compareTo(id) > 0))) {
                    ws[n] = at;
                    ts[n++] = id;
                    placed = true;
                }
                ws[n] = when[i];
                ts[n++] = txn[i];
            }
            if (!placed) {
                ws[n] = at;
                ts[n++] = id;
            }
            when = Arrays.copyOf(ws, n);
            txn = Arrays.copyOf(ts, n);
            return this;
        }

        /** The settle times of the transactions {@link #pollDue} would return, in order. */
        long[] dueTimes(long upTo) {
            int n = 0;
            while (n < when.length && when[n] <= upTo) {
                n++;
            }
            return Arrays.copyOf(when, n);
        }

        /** Removes and returns, in order, the transactions due by {@code upTo}. */
        List<String> pollDue(long upTo) {
            int n = 0;
            while (n < when.length && when[n] <= upTo) {
                n++;
            }
            List<String> due = List.of(java.util.Arrays.copyOf(txn, n));
            when = java.util.Arrays.copyOfRange(when, n, when.length);
            txn = java.util.Arrays.copyOfRange(txn, n, txn.length);
            return due;
        }

        boolean isEmpty() {
            return txn.length == 0;
        }
    }

    /**
     * Scan-motion (camera clock) and barcode (POS clock) times of a lane's settled transactions for clock-offset
     * estimation (the buffered ones are added at estimation time), pruned at each settle to the clock window. Both
     * arrays are kept sorted, so a settle merges instead of sorting the whole window.
     */
    public static final class ClockHistory {
        public long[] scanTimes = new long[0];
        public long[] barcodeTimes = new long[0];
        /** The lane's last trusted clock offset (settles with a thin window and provisional looks use it). */
        public long lastOffset;
        /**
         * Whether {@link #lastOffset} is set: a transaction settled with a trusted or pinned offset (before session
         * 11, any settled transaction, whose offset snapshots of that time carry).
         */
        public boolean offsetKnown;
        /**
         * End (POS time) of the transaction whose estimate set {@link #lastOffset}, or {@code Long.MIN_VALUE}; state
         * from before session 18 has no such field and restores as 0, which also means long ago.
         */
        public long estimatedAt = Long.MIN_VALUE;

        public ClockHistory() {
        }

        /**
         * Adds the scans {@code sorted[lo, hi)} and the first {@code n} of {@code barcodes} (any order; sorted in
         * place), and drops every time before {@code keepFrom}: what adding, then pruning, gave, in one copy of each
         * array instead of two, and a plain copy when the new times all follow the old (the usual case): session 20's
         * profiles of the heap job, 7.8 % of the keyed thread in adding and pruning before, 5.3 % after.
         */
        void add(long[] sorted, int lo, int hi, long[] barcodes, int n, long keepFrom) {
            scanTimes = merge(scanTimes, lowerBound(scanTimes, keepFrom), scanTimes.length, sorted,
                    lowerBound(sorted, lo, hi, keepFrom), hi);
            Arrays.sort(barcodes, 0, n);
            barcodeTimes = merge(barcodeTimes, lowerBound(barcodeTimes, keepFrom), barcodeTimes.length, barcodes,
                    lowerBound(barcodes, 0, n, keepFrom), n);
        }

        /** Scan times in [from, to] of settled transactions and the buffered {@code sorted[lo, hi)}, sorted. */
        long[] scans(long from, long to, long[] sorted, int lo, int hi) {
            return merge(scanTimes, lowerBound(scanTimes, from), lowerBound(scanTimes, to + 1), sorted, lo, hi);
        }

        /** Barcode times in [from, to] of settled transactions and the buffered {@code sorted} ones, sorted. */
        long[] barcodes(long from, long to, long[] sorted) {
            return merge(barcodeTimes, lowerBound(barcodeTimes, from), lowerBound(barcodeTimes, to + 1), sorted, 0,
                    sorted.length);
        }

        /** {@code a[aLo, aHi)} merged with {@code b[bLo, bHi)}, both sorted. */
        private static long[] merge(long[] a, int aLo, int aHi, long[] b, int bLo, int bHi) {
            long[] out = new long[aHi - aLo + bHi - bLo];
            if (aLo == aHi || bLo == bHi || a[aHi - 1] <= b[bLo]) {
                // The usual case: a settled transaction's times all follow the history's (ties: a's first, as below).
                System.arraycopy(a, aLo, out, 0, aHi - aLo);
                System.arraycopy(b, bLo, out, aHi - aLo, bHi - bLo);
                return out;
            }
            int i = aLo;
            int j = bLo;
            int k = 0;
            while (i < aHi && j < bHi) {
                out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
            }
            while (i < aHi) {
                out[k++] = a[i++];
            }
            while (j < bHi) {
                out[k++] = b[j++];
            }
            return out;
        }
    }
}
