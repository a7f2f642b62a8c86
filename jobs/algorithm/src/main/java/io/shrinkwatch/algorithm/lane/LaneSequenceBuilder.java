package io.shrinkwatch.algorithm.lane;

import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges one lane's camera primitives and POS barcodes into per-transaction symbol strings (KDD'11 section 3.1).
 *
 * <p>Rules, chosen where the paper is silent:
 * <ul>
 *   <li>Barcodes are moved to the camera clock with {@link ClockOffsets}; primitives keep their own time.</li>
 *   <li>A transaction is every TLog line with one txn_id; it spans from its TXN_START (or first line) to its TXN_END
 *       (or last line), widened by {@code marginBeforeMs} and {@code marginAfterMs} to catch the first pickup and
 *       the last drop. A primitive inside two widened spans goes to the one whose unwidened span is nearer (the
 *       earlier on a tie); a primitive in none belongs to no transaction and is counted in {@link Stats}.</li>
 *   <li>Each ITEM is one B whatever its quantity (one scan registers a quantity). A VOID cancels the latest
 *       unvoided ITEM of the transaction with the same barcode, or the latest ITEM when it has no barcode; the B
 *       stays in the string, because the scan motion did register a barcode, but its value drops to 0.</li>
 *   <li>Equal times order as P, S, B, D (the canonical checkout order), then by input order.</li>
 * </ul>
 */
public final class LaneSequenceBuilder {

    /** Default: the first pickup may come up to 3 s before TXN_START is logged. */
    public static final long DEFAULT_MARGIN_BEFORE_MS = 3_000;
    /** Default: the last drop may come up to 3 s after TXN_END is logged. */
    public static final long DEFAULT_MARGIN_AFTER_MS = 3_000;

    private final long marginBeforeMs;
    private final long marginAfterMs;

    public LaneSequenceBuilder() {
        this(DEFAULT_MARGIN_BEFORE_MS, DEFAULT_MARGIN_AFTER_MS);
    }

    public LaneSequenceBuilder(long marginBeforeMs, long marginAfterMs) {
        if (marginBeforeMs < 0 || marginAfterMs < 0) {
            throw new IllegalArgumentException("margins must be >= 0");
        }
        this.marginBeforeMs = marginBeforeMs;
        this.marginAfterMs = marginAfterMs;
    }

    /** Counts of input that did not become part of a transaction. */
    public static final class Stats {
        public long primitivesOutsideTransactions;
        public long voidsWithoutItem;
        public long unknownTLogTypes;
        public int transactions;
        /** Transactions left out by {@link #buildEstimatingClocks} because their lane's clock estimate is not trusted. */
        public int untrustedClockTransactions;
        /** Lanes whose clock estimate is not trusted. */
        public int untrustedClockLanes;
    }

    /** Builds all transactions of all lanes, ordered by lane then start time. */
    public List<TransactionSequence> build(List<PrimitiveEvent> primitives, List<TLogEvent> tlog, ClockOffsets offsets,
            Stats stats) {
        Map<LaneKey, List<PrimitiveEvent>> primByLane = new TreeMap<>();
        for (PrimitiveEvent p : primitives) {
            primByLane.computeIfAbsent(new LaneKey(p.getStoreId(), p.getLaneId()), k -> new ArrayList<>()).add(p);
        }
        Map<LaneKey, List<TLogEvent>> tlogByLane = new TreeMap<>();
        for (TLogEvent t : tlog) {
            tlogByLane.computeIfAbsent(new LaneKey(t.getStoreId(), t.getLaneId()), k -> new ArrayList<>()).add(t);
        }
        List<TransactionSequence> out = new ArrayList<>();
        for (Map.Entry<LaneKey, List<TLogEvent>> e : tlogByLane.entrySet()) {
            List<PrimitiveEvent> prims = primByLane.getOrDefault(e.getKey(), List.of());
            out.addAll(buildLane(e.getKey(), prims, e.getValue(), offsets, stats, null));
        }
        for (Map.Entry<LaneKey, List<PrimitiveEvent>> e : primByLane.entrySet()) {
            if (!tlogByLane.containsKey(e.getKey())) {
                stats.primitivesOutsideTransactions += e.getValue().size();
            }
        }
        stats.transactions += out.size();
        return out;
    }

    /**
     * The one transaction {@code txnId} of a single lane's input, or null when it has no line there: exactly what
     * {@link #build} returns for it, primitives still going to the nearest of all the given transactions, without
     * grouping by lane or materialising the others (the streaming job settles one transaction at a time).
     */
    public TransactionSequence buildTransaction(LaneKey lane, String txnId, List<PrimitiveEvent> primitives,
            List<TLogEvent> tlog, ClockOffsets offsets, Stats stats) {
        List<TransactionSequence> one = buildLane(lane, primitives, tlog, offsets, stats, txnId);
        stats.transactions += one.size();
        return one.isEmpty() ? null : one.get(0);
    }

    /**
     * {@link #buildTransaction(LaneKey, String, List, List, ClockOffsets, Stats)} for primitives already in time order
     * (ties in input order), given as the kind letters ({@code P}, {@code S}, {@code D}) and times
     * {@code [from, to)} of two parallel arrays: the streaming job keeps its lane buffer indexed so, and converting
     * each primitive to an Avro record only to sort it again cost a settle about as much as building did. The lane's
     * offsets come resolved ({@link ClockOffsets#of}; the streaming job settles with one constant offset).
     */
    public TransactionSequence buildTransaction(LaneKey lane, String txnId, char[] primKinds, long[] primTimes,
            int from, int to, List<TLogEvent> tlog, ClockOffsets.LaneOffsets offsets, Stats stats) {
        List<TransactionSequence> one = buildLane(lane, primKinds, primTimes, from, to, tlog, offsets, stats, txnId);
        stats.transactions += one.size();
        return one.isEmpty() ? null : one.get(0);
    }

    /**
     * {@link #buildLane(LaneKey, List, List, ClockOffsets, Stats)} for primitives given as sorted arrays and the lane's
     * offsets resolved.
     */
    public List<TransactionSequence> buildLane(LaneKey lane, char[] primKinds, long[] primTimes, int from, int to,
            List<TLogEvent> tlog, ClockOffsets.LaneOffsets offsets, Stats stats) {
        List<TransactionSequence> out = buildLane(lane, primKinds, primTimes, from, to, tlog, offsets, stats, null);
        stats.transactions += out.size();
        return out;
    }

    /**
     * Every transaction of a single lane's input, exactly as {@link #build} returns them, without grouping the input by
     * lane (the streaming job's provisional looks classify one lane at a time).
     */
    public List<TransactionSequence> buildLane(LaneKey lane, List<PrimitiveEvent> primitives, List<TLogEvent> tlog,
            ClockOffsets offsets, Stats stats) {
        List<TransactionSequence> out = buildLane(lane, primitives, tlog, offsets, stats, null);
        stats.transactions += out.size();
        return out;
    }

    /**
     * {@link #build} with every lane's clock offsets estimated from the same input by the default estimator, leaving
     * out the transactions of lanes whose estimate is not trusted (counted in {@link Stats}): a wrong offset misplaces
     * every barcode, and misplaced barcodes look like fake scans. On a day of input every lane's estimate is trusted;
     * a short input's may rest on a dozen barcodes (the streaming job withholds such lanes' fake scans the same way).
     */
    public List<TransactionSequence> buildEstimatingClocks(List<PrimitiveEvent> primitives, List<TLogEvent> tlog,
            Stats stats) {
        return buildEstimatingClocks(primitives, tlog, true, stats);
    }

    /** {@link #buildEstimatingClocks}; with {@code trustedOnly} false every estimate is taken, however thin. */
    public List<TransactionSequence> buildEstimatingClocks(List<PrimitiveEvent> primitives, List<TLogEvent> tlog,
            boolean trustedOnly, Stats stats) {
        ClockOffsets offsets = estimateOffsets(primitives, tlog, new ClockOffsetEstimator());
        List<TransactionSequence> all = build(primitives, tlog, offsets, stats);
        if (!trustedOnly) {
            return all;
        }
        List<TransactionSequence> kept = new ArrayList<>(all.size());
        java.util.Set<LaneKey> untrustedLanes = new java.util.HashSet<>();
        for (TransactionSequence t : all) {
            LaneKey lane = new LaneKey(t.storeId(), t.laneId());
            if (offsets.trusted(lane)) {
                kept.add(t);
            } else {
                untrustedLanes.add(lane);
            }
        }
        stats.untrustedClockTransactions += all.size() - kept.size();
        stats.untrustedClockLanes += untrustedLanes.size();
        stats.transactions -= all.size() - kept.size();
        return kept;
    }

    /** Estimates every lane's clock offsets from the input with {@link ClockOffsetEstimator}. */
    public static ClockOffsets estimateOffsets(List<PrimitiveEvent> primitives, List<TLogEvent> tlog,
            ClockOffsetEstimator estimator) {
        Map<LaneKey, List<Long>> scans = new HashMap<>();
        for (PrimitiveEvent p : primitives) {
            if (p.getKind() == io.shrinkwatch.schema.PrimitiveKind.S) {
                scans.computeIfAbsent(new LaneKey(p.getStoreId(), p.getLaneId()), k -> new ArrayList<>()).add(p.getTs());
            }
        }
        Map<LaneKey, List<Long>> barcodes = new TreeMap<>();
        for (TLogEvent t : tlog) {
            if (t.getType() == TLogType.ITEM) {
                barcodes.computeIfAbsent(new LaneKey(t.getStoreId(), t.getLaneId()), k -> new ArrayList<>()).add(t.getTs());
            }
        }
        ClockOffsets offsets = new ClockOffsets();
        for (Map.Entry<LaneKey, List<Long>> e : barcodes.entrySet()) {
            long[] s = scans.getOrDefault(e.getKey(), List.of()).stream().mapToLong(Long::longValue).sorted().toArray();
            long[] b = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            estimator.estimate(e.getKey(), s, b, offsets);
        }
        return offsets;
    }

    private static final class Txn {
        final String txnId;
        String cashierId;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long startMark = Long.MIN_VALUE;
        long endMark = Long.MIN_VALUE;
        final List<Sym> syms = new ArrayList<>();

        Txn(String txnId) {
            this.txnId = txnId;
        }

        long coreStart() {
            return startMark != Long.MIN_VALUE ? startMark : start;
        }

        long coreEnd() {
            return endMark != Long.MIN_VALUE ? endMark : end;
        }
    }

    private static final class Sym {
        final char symbol;
        final long ts;
        final long seq;
        long value;
        final String barcode;

        Sym(char symbol, long ts, long seq, long value, String barcode) {
            this.symbol = symbol;
            this.ts = ts;
            this.seq = seq;
            this.value = value;
            this.barcode = barcode;
        }
    }

    private static int rank(char c) {
        return switch (c) {
            case 'P' -> 0;
            case 'S' -> 1;
            case 'B' -> 2;
            default -> 3;
        };
    }

    /** Time, then P, S, B, D, then input order (written out: the composed comparator showed in profiles). */
    private static final Comparator<Sym> ORDER = (a, b) -> {
        int c = Long.compare(a.ts, b.ts);
        if (c == 0) {
            c = Integer.compare(rank(a.symbol), rank(b.symbol));
        }
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    };

    /** @param only the one transaction to return, or null for all */
    private List<TransactionSequence> buildLane(LaneKey lane, List<PrimitiveEvent> prims, List<TLogEvent> tlog,
            ClockOffsets offsets, Stats stats, String only) {
        List<PrimitiveEvent> sortedPrims = new ArrayList<>(prims);
        sortedPrims.sort(Comparator.comparingLong(PrimitiveEvent::getTs));
        char[] kinds = new char[sortedPrims.size()];
        long[] times = new long[sortedPrims.size()];
        for (int i = 0; i < kinds.length; i++) {
            PrimitiveEvent p = sortedPrims.get(i);
            kinds[i] = p.getKind().name().charAt(0);
            times[i] = p.getTs();
        }
        return buildLane(lane, kinds, times, 0, kinds.length, tlog, offsets.of(lane), stats, only);
    }

    /**
     * @param primKinds and {@code primTimes}: the primitives {@code [from, to)} in time order, ties in input order
     * @param only the one transaction to return, or null for all
     */
    private List<TransactionSequence> buildLane(LaneKey lane, char[] primKinds, long[] primTimes, int from, int to,
            List<TLogEvent> tlog, ClockOffsets.LaneOffsets offsets, Stats stats, String only) {
        List<TLogEvent> lines = new ArrayList<>(tlog);
        lines.sort(Comparator.comparingLong(TLogEvent::getTs));
        Map<String, Txn> txns = new LinkedHashMap<>();
        long seq = 0;
        for (TLogEvent t : lines) {
            Txn txn = txns.computeIfAbsent(t.getTxnId(), Txn::new);
            long cam = offsets.toCamera(t.getTs());
            txn.start = Math.min(txn.start, cam);
            txn.end = Math.max(txn.end, cam);
            if (t.getCashierId() != null) {
                txn.cashierId = t.getCashierId();
            }
            switch (t.getType()) {
                case TXN_START -> txn.startMark = cam;
                case TXN_END -> txn.endMark = cam;
                case ITEM -> {
                    long price = t.getPriceCents() == null ? 0 : t.getPriceCents();
                    int qty = t.getQty() == null ? 1 : t.getQty();
                    txn.syms.add(new Sym('B', cam, seq++, price * qty, t.getBarcode()));
                }
                case VOID -> {
                    Sym target = null;
                    for (int i = txn.syms.size() - 1; i >= 0 && target == null; i--) {
                        Sym s = txn.syms.get(i);
                        if (s.symbol == 'B' && s.value != 0
                                && (t.getBarcode() == null || t.getBarcode().equals(s.barcode))) {
                            target = s;
                        }
                    }
                    if (target == null) {
                        stats.voidsWithoutItem++;
                    } else {
                        target.value = 0;
                    }
                }
                default -> stats.unknownTLogTypes++;
            }
        }
        List<Txn> ordered = new ArrayList<>(txns.values());
        ordered.sort(Comparator.comparingLong(Txn::coreStart));
        int first = 0;
        for (int k = from; k < to; k++) {
            long ts = primTimes[k];
            while (first < ordered.size() && ordered.get(first).coreEnd() + marginAfterMs < ts) {
                first++;
            }
            Txn best = null;
            long bestDist = Long.MAX_VALUE;
            for (int i = first; i < ordered.size(); i++) {
                Txn t = ordered.get(i);
                if (t.coreStart() - marginBeforeMs > ts) {
                    break;
                }
                if (t.coreEnd() + marginAfterMs < ts) {
                    continue;
                }
                long dist = ts < t.coreStart() ? t.coreStart() - ts : Math.max(0, ts - t.coreEnd());
                if (dist < bestDist) {
                    best = t;
                    bestDist = dist;
                }
            }
            if (best == null) {
                stats.primitivesOutsideTransactions++;
            } else if (only == null || only.equals(best.txnId)) {
                best.syms.add(new Sym(primKinds[k], ts, seq++, 0, null));
            }
        }
        List<TransactionSequence> out = new ArrayList<>(ordered.size());
        for (Txn t : ordered) {
            if (only != null && !only.equals(t.txnId)) {
                continue;
            }
            t.syms.sort(ORDER);
            StringBuilder sb = new StringBuilder(t.syms.size());
            long[] times = new long[t.syms.size()];
            long[] values = new long[t.syms.size()];
            for (int i = 0; i < times.length; i++) {
                Sym s = t.syms.get(i);
                sb.append(s.symbol);
                times[i] = s.ts;
                values[i] = s.value;
            }
            out.add(new TransactionSequence(lane.storeId(), lane.laneId(), t.txnId, t.cashierId, sb.toString(), times,
                    values));
        }
        return out;
    }
}
