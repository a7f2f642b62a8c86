package io.shrinkwatch.detection;

/**
 * Shrink figures of one store, lane or cashier over one tumbling event-time window. A Flink POJO.
 *
 * <p>Estimated loss (an estimator, not a count of money): fake scans times the mean registered value per registered
 * item of the same scope and window, in cents. The price of an unregistered item is unknown by definition; the
 * basket it left with is the best local evidence of what it was worth. Windows with no registered item estimate 0.
 */
public class ShrinkMetrics {

    /** {@code store}, {@code lane} or {@code cashier}. */
    public String scope;
    /** {@code S001}, {@code S001/L03} or {@code S001-C009}. */
    public String scopeId;
    public String storeId;
    public long windowStart;
    public long windowEnd;
    public long transactions;
    public long registeredItems;
    public long registeredValueCents;
    public long trueScans;
    public long fakeScans;
    public long unclassifiedPrimitives;

    public ShrinkMetrics() {
    }

    /** Fake scans per 1,000 registered items. */
    public double fakeScansPerThousandItems() {
        return registeredItems == 0 ? 0 : 1000.0 * fakeScans / registeredItems;
    }

    /** See the class comment. */
    public long estimatedLossCents() {
        return registeredItems == 0 ? 0 : Math.round((double) fakeScans * registeredValueCents / registeredItems);
    }

    void add(TransactionVerdict v) {
        transactions++;
        registeredItems += v.itemsRegistered;
        registeredValueCents += v.registeredValueCents;
        trueScans += v.trueScans;
        fakeScans += v.fakeScans;
        unclassifiedPrimitives += v.unclassifiedPrimitives;
    }

    void merge(ShrinkMetrics o) {
        transactions += o.transactions;
        registeredItems += o.registeredItems;
        registeredValueCents += o.registeredValueCents;
        trueScans += o.trueScans;
        fakeScans += o.fakeScans;
        unclassifiedPrimitives += o.unclassifiedPrimitives;
    }

    /** One JSON line for the metrics topic, with the derived figures. */
    public String toJson() {
        return String.format(java.util.Locale.ROOT, "{\"scope\":\"%s\",\"scope_id\":\"%s\",\"store_id\":\"%s\","
                + "\"window_start\":%d,\"window_end\":%d,\"transactions\":%d,\"registered_items\":%d,"
                + "\"registered_value_cents\":%d,\"true_scans\":%d,\"fake_scans\":%d,\"unclassified_primitives\":%d,"
                + "\"fake_scans_per_1000_items\":%.3f,\"estimated_loss_cents\":%d}", scope, scopeId, storeId,
                windowStart, windowEnd, transactions, registeredItems, registeredValueCents, trueScans, fakeScans,
                unclassifiedPrimitives, fakeScansPerThousandItems(), estimatedLossCents());
    }

    @Override
    public String toString() {
        return scope + " " + scopeId + " [" + windowStart + "," + windowEnd + ") txns=" + transactions + " items="
                + registeredItems + " fake=" + fakeScans + " loss=" + estimatedLossCents();
    }
}
