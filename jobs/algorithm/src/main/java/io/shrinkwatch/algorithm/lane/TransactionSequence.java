package io.shrinkwatch.algorithm.lane;

/**
 * One transaction of one lane as a time-ordered symbol string over {P,S,D,B} (KDD'11 section 3.1).
 *
 * @param storeId store
 * @param laneId lane
 * @param txnId POS transaction id
 * @param cashierId cashier logged in, or null
 * @param symbols one character per event: P, S, D from the camera, B for a registered item
 * @param times camera-clock time of each symbol, epoch ms (barcodes already shifted by the lane's clock offset)
 * @param valueCents for B: price times quantity, 0 when the item was voided; 0 for primitives
 */
public record TransactionSequence(String storeId, String laneId, String txnId, String cashierId, String symbols,
        long[] times, long[] valueCents) {

    public TransactionSequence {
        if (times.length != symbols.length() || valueCents.length != symbols.length()) {
            throw new IllegalArgumentException("symbols, times and values differ in length for " + txnId);
        }
    }

    public int length() {
        return symbols.length();
    }

    public char symbol(int i) {
        return symbols.charAt(i);
    }

    public long time(int i) {
        return times[i];
    }

    public long startTs() {
        return times.length == 0 ? 0 : times[0];
    }

    public long endTs() {
        return times.length == 0 ? 0 : times[times.length - 1];
    }

    /** Registered items (B symbols). */
    public int barcodeCount() {
        int n = 0;
        for (int i = 0; i < symbols.length(); i++) {
            if (symbols.charAt(i) == 'B') {
                n++;
            }
        }
        return n;
    }
}
