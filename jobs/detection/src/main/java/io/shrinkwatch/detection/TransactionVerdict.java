package io.shrinkwatch.detection;

/** What the job concluded about one transaction (issue #3's per-transaction verdict). A Flink POJO. */
public class TransactionVerdict {

    public String storeId;
    public String laneId;
    public String txnId;
    public String cashierId;
    /** Camera time of the transaction's first symbol. */
    public long startTs;
    /** Camera time of its last symbol. */
    public long endTs;
    /** Barcodes registered (B symbols, voided ones included). */
    public int itemsRegistered;
    /** Registered value in cents, voided items excluded. */
    public long registeredValueCents;
    public int trueScans;
    public int fakeScans;
    /** Primitives (P, S, D) that neither posterior labelled. */
    public int unclassifiedPrimitives;
    public String modelId;

    public TransactionVerdict() {
    }

    @Override
    public String toString() {
        return storeId + "/" + laneId + " " + txnId + " items=" + itemsRegistered + " true=" + trueScans + " fake="
                + fakeScans + " unclassified=" + unclassifiedPrimitives;
    }
}
