package io.shrinkwatch.detection;

import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.IncidentKind;
import io.shrinkwatch.common.jsonl.EventJson;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One input event of a lane inside the job, camera primitive, TLog line or confirmed incident, so both streams share
 * one keyed operator; serialized by the hand-written {@link LaneEventSerializer}, not by reflection.
 */
@TypeInfo(LaneEventTypeInfo.Factory.class)
public class LaneEvent implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static final byte PRIMITIVE = 0;
    public static final byte TLOG = 1;
    /** A record that could not be read: {@link #kind} holds the reason, {@link #txnId} where it came from. */
    public static final byte DEAD_LETTER = 2;
    /** An investigator-confirmed incident: {@link #kind} is its kind, {@link #ts} the camera time of its scan motion. */
    public static final byte INCIDENT = 3;

    public String storeId;
    /** Lane within the store. */
    public String laneId;
    /** Event time: camera clock for primitives, POS clock for TLog lines. */
    public long ts;
    public byte source;
    /** P, S or D for a primitive; the TLogType name for a TLog line. */
    public String kind;
    public String txnId;
    public String cashierId;
    public String barcode;
    public Long priceCents;
    public Integer qty;
    public Long totalCents;

    public LaneEvent() {
    }

    public static LaneEvent of(PrimitiveEvent p) {
        LaneEvent e = new LaneEvent();
        e.storeId = p.getStoreId();
        e.laneId = p.getLaneId();
        e.ts = p.getTs();
        e.source = PRIMITIVE;
        e.kind = p.getKind().name();
        return e;
    }

    public static LaneEvent of(TLogEvent t) {
        LaneEvent e = new LaneEvent();
        e.storeId = t.getStoreId();
        e.laneId = t.getLaneId();
        e.ts = t.getTs();
        e.source = TLOG;
        e.kind = t.getType().name();
        e.txnId = t.getTxnId();
        e.cashierId = t.getCashierId();
        e.barcode = t.getBarcode();
        e.priceCents = t.getPriceCents();
        e.qty = t.getQty();
        e.totalCents = t.getTotalCents();
        return e;
    }

    public static LaneEvent of(ConfirmedIncident i) {
        LaneEvent e = new LaneEvent();
        e.storeId = i.getStoreId();
        e.laneId = i.getLaneId();
        e.ts = i.getTs();
        e.source = INCIDENT;
        e.kind = i.getKind().name();
        e.txnId = i.getTxnId();
        return e;
    }

    ConfirmedIncident toIncident() {
        return ConfirmedIncident.newBuilder().setStoreId(storeId).setLaneId(laneId).setTxnId(txnId).setTs(ts)
                .setKind(IncidentKind.valueOf(kind)).build();
    }

    static LaneEvent deadLetter(String reason, String where, byte[] payload) {
        LaneEvent e = new LaneEvent();
        e.storeId = "";
        e.laneId = "";
        e.source = DEAD_LETTER;
        e.kind = reason;
        e.txnId = where;
        e.barcode = java.util.Base64.getEncoder().encodeToString(payload);
        return e;
    }

    public boolean isDeadLetter() {
        return source == DEAD_LETTER;
    }

    /** The dead letter as one JSON line: reason, origin and the record's bytes in base64. */
    public String deadLetterJson() {
        var node = Json.MAPPER.createObjectNode();
        node.put("reason", kind);
        node.put("source", txnId);
        node.put("payload_base64", barcode);
        return node.toString();
    }

    /**
     * The event as one JSON line of the late-events output: {@code reason}, {@code lateness_ms}, {@code stream}
     * ({@code primitives}, {@code tlog} or {@code incidents}) and {@code event}, the record in the JSON Lines
     * interchange format, so a backlog that arrived late can be replayed with {@code detect} (a primitive's optional
     * {@code camera_id} and {@code confidence} do not travel inside the job and are left out).
     */
    public String lateJson(long latenessMs, long allowedMs) {
        java.io.StringWriter event = new java.io.StringWriter();
        String stream;
        try {
            switch (source) {
                case PRIMITIVE -> {
                    stream = "primitives";
                    EventJson.write(new PrimitiveEvent(storeId, laneId, ts, PrimitiveKind.valueOf(kind), null, null),
                            event);
                }
                case TLOG -> {
                    stream = "tlog";
                    EventJson.write(toTLog(), event);
                }
                case INCIDENT -> {
                    stream = "incidents";
                    EventJson.write(toIncident(), event);
                }
                default -> throw new IllegalStateException("a dead letter is never late: " + this);
            }
            java.io.StringWriter out = new java.io.StringWriter();
            try (var g = Json.MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("reason", "late by " + latenessMs + " ms behind the watermark (allowed " + allowedMs
                        + " ms)");
                g.writeNumberField("lateness_ms", latenessMs);
                g.writeStringField("stream", stream);
                // The interchange line as EventJson wrote it, without its newline: not parsed and written again.
                g.writeFieldName("event");
                g.writeRawValue(event.toString().strip());
                g.writeEndObject();
            }
            return out.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public boolean isPrimitive() {
        return source == PRIMITIVE;
    }

    // The lane key last built, and the ids it was built from: compared by identity, so assigning other ids to the
    // public fields builds a new key instead of handing out a stale one.
    private transient String cachedKey;
    private transient String cachedKeyStore;
    private transient String cachedKeyLane;

    /** The key of the lane: store and lane id (built once per event, or shared by the serializer's id cache). */
    public String laneKey() {
        String k = cachedKey;
        if (k != null && cachedKeyStore == storeId && cachedKeyLane == laneId) {
            return k;
        }
        k = storeId + "/" + laneId;
        shareLaneKey(k);
        return k;
    }

    /** Takes {@code key} as the key of the current store and lane ids (the serializer's cache built it from them). */
    void shareLaneKey(String key) {
        cachedKey = key;
        cachedKeyStore = storeId;
        cachedKeyLane = laneId;
    }

    // The all-argument constructor, not the builder: a settle converts every TLog line of its transactions, and the
    // builder's per-field validation and defaults showed in the detection job's profile. (Primitives go to the
    // library's builder as arrays, unconverted.)
    TLogEvent toTLog() {
        return new TLogEvent(storeId, laneId, ts, TLogType.valueOf(kind), txnId, cashierId, barcode, priceCents, qty,
                totalCents);
    }

    @Override
    public String toString() {
        return laneKey() + "@" + ts + ":" + kind + (txnId == null ? "" : "/" + txnId);
    }
}
