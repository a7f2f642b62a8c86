package io.shrinkwatch.algorithm.lane;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-lane camera-minus-POS clock offsets, piecewise constant in POS time: {@code camera = pos + offset(lane, pos)}.
 * A lane with no entry has offset 0.
 */
public final class ClockOffsets {

    private final Map<LaneKey, TreeMap<Long, Long>> byLane = new HashMap<>();
    private final Set<LaneKey> untrusted = new HashSet<>();

    public static ClockOffsets none() {
        return new ClockOffsets();
    }

    /** Sets the offset that applies from POS time {@code fromPosTs} on (use {@link Long#MIN_VALUE} for always). */
    public ClockOffsets put(LaneKey lane, long fromPosTs, long offsetMs) {
        byLane.computeIfAbsent(lane, k -> new TreeMap<>()).put(fromPosTs, offsetMs);
        return this;
    }

    public long offset(LaneKey lane, long posTs) {
        TreeMap<Long, Long> pieces = byLane.get(lane);
        if (pieces == null) {
            return 0;
        }
        Map.Entry<Long, Long> e = pieces.floorEntry(posTs);
        return e != null ? e.getValue() : pieces.firstEntry().getValue();
    }

    public long toCamera(LaneKey lane, long posTs) {
        return posTs + offset(lane, posTs);
    }

    /** One lane's pieces as they are now (later puts do not change it). */
    public LaneOffsets of(LaneKey lane) {
        TreeMap<Long, Long> pieces = byLane.get(lane);
        if (pieces == null) {
            return LaneOffsets.constant(0);
        }
        long[] from = new long[pieces.size()];
        long[] offset = new long[pieces.size()];
        int i = 0;
        for (Map.Entry<Long, Long> e : pieces.entrySet()) {
            from[i] = e.getKey();
            offset[i++] = e.getValue();
        }
        return new LaneOffsets(from, offset);
    }

    /**
     * One lane's offsets in two sorted arrays: a lane's barcodes are placed with no map lookup or boxing per line (a
     * JFR profile of the streaming job, session 19: the per-line lookup 1-5.5 % of the keyed thread, building a
     * one-lane {@code ClockOffsets} per settle another 2.6 %).
     */
    public static final class LaneOffsets {
        private final long[] from;
        private final long[] offset;

        private LaneOffsets(long[] from, long[] offset) {
            this.from = from;
            this.offset = offset;
        }

        /** One offset for all time, as the streaming job settles a transaction with. */
        public static LaneOffsets constant(long offsetMs) {
            return new LaneOffsets(new long[] {Long.MIN_VALUE}, new long[] {offsetMs});
        }

        /** The offset of the last piece starting at or before {@code posTs}, or of the first piece before them all. */
        public long offset(long posTs) {
            if (from.length == 1 || posTs < from[1]) {
                return offset[0];
            }
            int lo = 1;
            int hi = from.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (from[mid] <= posTs) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return offset[lo];
        }

        public long toCamera(long posTs) {
            return posTs + offset(posTs);
        }
    }

    /**
     * Marks a lane whose offsets were estimated without enough support ({@link ClockOffsetEstimator.Estimate#trusted()}
     * false, or nothing to estimate from): its barcodes may sit seconds from where they belong.
     */
    public ClockOffsets markUntrusted(LaneKey lane) {
        untrusted.add(lane);
        return this;
    }

    /** False for a lane {@link #markUntrusted marked}; offsets put by hand are trusted. */
    public boolean trusted(LaneKey lane) {
        return !untrusted.contains(lane);
    }

    /** All pieces, for reports: lane to (from POS time to offset). */
    public Map<LaneKey, TreeMap<Long, Long>> pieces() {
        return byLane;
    }
}
