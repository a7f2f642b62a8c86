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
        var node = Json.MAPPER.createObjectNode();
        node.put("scope", scope);
        node.put("scope_id", scopeId);
        node.put("store_id", storeId);
        node.put("window_start", windowStart);
        node.put("window_end", windowEnd);
        node.put("transactions", transactions);
        node.put("registered_items", registeredItems);
        node.put("registered_value_cents", registeredValueCents);
        node.put("true_scans", trueScans);
        node.put("fake_scans", fakeScans);
        node.put("unclassified_primitives", unclassifiedPrimitives);
        node.put("fake_scans_per_1000_items", Math.round(fakeScansPerThousandItems() * 1000) / 1000.0);
        node.put("estimated_loss_cents", estimatedLossCents());
        return node.toString();
    }

    @Override
    public String toString() {
        return scope + " " + scopeId + " [" + windowStart + "," + windowEnd + ") txns=" + transactions + " items="
                + registeredItems + " fake=" + fakeScans + " loss=" + estimatedLossCents();
    }
}
