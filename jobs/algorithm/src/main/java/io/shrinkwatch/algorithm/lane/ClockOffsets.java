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
