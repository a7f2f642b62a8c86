package io.shrinkwatch.detection;

import java.util.Objects;

/**
 * An early fake-scan alert raised before its transaction settles, or the later record that confirms or withdraws it
 * (see {@code schemas/README.md}, ProvisionalAlert). A Flink POJO; also the lane's record of what it has raised.
 */
public class ProvisionalAlert {

    public static final String PROVISIONAL = "PROVISIONAL";
    public static final String CONFIRMED = "CONFIRMED";
    public static final String WITHDRAWN = "WITHDRAWN";

    /** {@link #PROVISIONAL}, {@link #CONFIRMED} or {@link #WITHDRAWN}. */
    public String status;
    public String storeId;
    public String laneId;
    public String txnId;
    public String cashierId;
    /** Camera time of the scan motion: with store and lane, the alert's identity across its records. */
    public long scanTs;
    public long startTs;
    public long endTs;
    public double confidence;
    public String modelId;
    public long evidenceStartTs;
    public long evidenceEndTs;
    /** Event time up to which the lane had been seen when this record was decided. */
    public long decidedTs;
    /**
     * {@link FakeScanAlert#FAKE_SCAN} or {@link FakeScanAlert#UNSCANNED_ITEM}; null in a record restored from a
     * snapshot written before alerts had kinds, when there was only the first, so read through {@link #kind()}.
     */
    public String kind;

    public ProvisionalAlert() {
    }

    /** A record with the given status carrying {@code a}'s fields. */
    static ProvisionalAlert of(String status, FakeScanAlert a, long decidedTs) {
        ProvisionalAlert p = new ProvisionalAlert();
        p.status = status;
        p.storeId = a.storeId;
        p.laneId = a.laneId;
        p.txnId = a.txnId;
        p.cashierId = a.cashierId;
        p.scanTs = a.scanTs;
        p.startTs = a.startTs;
        p.endTs = a.endTs;
        p.confidence = a.confidence;
        p.modelId = a.modelId;
        p.evidenceStartTs = a.evidenceStartTs;
        p.evidenceEndTs = a.evidenceEndTs;
        p.decidedTs = decidedTs;
        p.kind = a.kind;
        return p;
    }

    /** The alert's kind. */
    public String kind() {
        return kind == null ? FakeScanAlert.FAKE_SCAN : kind;
    }

    /** The same alert with another status and decision time. */
    ProvisionalAlert as(String newStatus, long newDecidedTs) {
        return of(newStatus, toAlert(), newDecidedTs);
    }

    FakeScanAlert toAlert() {
        FakeScanAlert a = new FakeScanAlert();
        a.storeId = storeId;
        a.laneId = laneId;
        a.txnId = txnId;
        a.cashierId = cashierId;
        a.scanTs = scanTs;
        a.startTs = startTs;
        a.endTs = endTs;
        a.confidence = confidence;
        a.modelId = modelId;
        a.evidenceStartTs = evidenceStartTs;
        a.evidenceEndTs = evidenceEndTs;
        a.kind = kind();
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProvisionalAlert p && Objects.equals(status, p.status) && decidedTs == p.decidedTs
                && toAlert().equals(p.toAlert());
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, storeId, laneId, scanTs);
    }

    @Override
    public String toString() {
        return status + " " + toAlert() + " decided@" + decidedTs;
    }
}
