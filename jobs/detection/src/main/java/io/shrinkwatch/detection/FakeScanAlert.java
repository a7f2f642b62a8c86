package io.shrinkwatch.detection;

import java.util.Objects;

/**
 * An unregistered item found by the job: an honest mistake as much as sweethearting, never called theft. Fields as
 * in the {@code detect} command's JSON lines. A Flink POJO; {@link Alerts} converts it to the Avro record of the
 * alerts topic.
 */
public class FakeScanAlert {

    /** A scan motion without a barcode. */
    public static final String FAKE_SCAN = "FAKE_SCAN";
    /** A pickup and a drop with neither a scan motion nor a barcode between them. */
    public static final String UNSCANNED_ITEM = "UNSCANNED_ITEM";

    public String storeId;
    public String laneId;
    public String txnId;
    public String cashierId;
    /** Camera time of the scan motion. */
    public long scanTs;
    /** Camera time of the pickup. */
    public long startTs;
    /** Camera time of the drop. */
    public long endTs;
    public double confidence;
    public String modelId;
    /** Start of the camera clip to keep as evidence: the pickup minus the evidence margin. */
    public long evidenceStartTs;
    /** End of the clip: the drop plus the evidence margin. */
    public long evidenceEndTs;
    /** {@link #FAKE_SCAN} or {@link #UNSCANNED_ITEM} (then {@link #scanTs} is the midpoint of pickup and drop). */
    public String kind = FAKE_SCAN;

    public FakeScanAlert() {
    }

    /** The kind of alert a segmented fake scan makes. */
    public static String kindOf(io.shrinkwatch.algorithm.classify.ScanEvent f) {
        return f.unscanned() ? UNSCANNED_ITEM : FAKE_SCAN;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeScanAlert a && scanTs == a.scanTs && startTs == a.startTs && endTs == a.endTs
                && Double.compare(confidence, a.confidence) == 0 && Objects.equals(storeId, a.storeId)
                && Objects.equals(laneId, a.laneId) && Objects.equals(txnId, a.txnId)
                && Objects.equals(cashierId, a.cashierId) && Objects.equals(modelId, a.modelId)
                && Objects.equals(kind, a.kind);
    }

    @Override
    public int hashCode() {
        return Objects.hash(storeId, laneId, txnId, scanTs);
    }

    @Override
    public String toString() {
        return storeId + "/" + laneId + " " + txnId + " scan@" + scanTs + " [" + startTs + ".." + endTs + "] conf="
                + confidence + " " + modelId + (FAKE_SCAN.equals(kind) ? "" : " " + kind);
    }
}
