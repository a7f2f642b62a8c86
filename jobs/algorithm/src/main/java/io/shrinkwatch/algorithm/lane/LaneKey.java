package io.shrinkwatch.algorithm.lane;

/** A checkout lane: the unit of alignment, keyed by store and lane id. */
public record LaneKey(String storeId, String laneId) implements Comparable<LaneKey> {

    @Override
    public int compareTo(LaneKey o) {
        int c = storeId.compareTo(o.storeId);
        return c != 0 ? c : laneId.compareTo(o.laneId);
    }

    @Override
    public String toString() {
        return storeId + "/" + laneId;
    }
}
