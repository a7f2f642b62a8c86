package io.shrinkwatch.common.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.IncidentKind;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;

/**
 * The JSON Lines interchange format of the input streams (a contract with other tools; see schemas/README.md).
 * Field names are the Avro field names; unknown fields are ignored so producers can add some.
 */
public final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    /** Timestamps outside 2000-01-01 .. 2100-01-01 are taken for a unit or clock error. */
    public static final long MIN_TS = 946_684_800_000L;
    public static final long MAX_TS = 4_102_444_800_000L;

    private EventJson() {
    }

    public static final RecordDecoder<PrimitiveEvent> PRIMITIVE = n -> PrimitiveEvent.newBuilder()
            .setStoreId(text(n, "store_id")).setLaneId(text(n, "lane_id")).setTs(ts(n))
            .setKind(primitiveKind(n)).setCameraId(optText(n, "camera_id")).setConfidence(optConfidence(n)).build();

    public static final RecordDecoder<TLogEvent> TLOG = EventJson::tlog;

    public static final RecordDecoder<ConfirmedIncident> INCIDENT = n -> {
        String kind = text(n, "kind");
        if (!kind.equals("FAKE_SCAN")) {
            throw new FieldException("kind", "unknown incident kind '" + kind + "' (expected FAKE_SCAN)");
        }
        return ConfirmedIncident.newBuilder().setStoreId(text(n, "store_id")).setLaneId(text(n, "lane_id"))
                .setTxnId(text(n, "txn_id")).setTs(ts(n)).setKind(IncidentKind.FAKE_SCAN).build();
    };

    private static TLogEvent tlog(JsonNode n) throws FieldException {
        String typeText = text(n, "type");
        TLogType type;
        try {
            type = TLogType.valueOf(typeText);
        } catch (IllegalArgumentException e) {
            // Newer producers may add line types; they are kept as UNKNOWN and counted downstream, not rejected.
            type = TLogType.UNKNOWN;
        }
        TLogEvent.Builder b = TLogEvent.newBuilder().setStoreId(text(n, "store_id")).setLaneId(text(n, "lane_id"))
                .setTs(ts(n)).setType(type).setTxnId(text(n, "txn_id")).setCashierId(optText(n, "cashier_id"));
        if (type == TLogType.ITEM) {
            b.setBarcode(text(n, "barcode"));
            b.setPriceCents(nonNegativeLong(n, "price_cents", true));
            Long qty = nonNegativeLong(n, "qty", false);
            if (qty != null && (qty < 1 || qty > 10_000)) {
                throw new FieldException("qty", "must be 1..10000, got " + qty);
            }
            b.setQty(qty == null ? 1 : qty.intValue());
        } else if (type == TLogType.VOID) {
            b.setBarcode(optText(n, "barcode"));
            b.setPriceCents(nonNegativeLong(n, "price_cents", false));
            Long qty = nonNegativeLong(n, "qty", false);
            b.setQty(qty == null ? null : qty.intValue());
        } else if (type == TLogType.TXN_END) {
            b.setTotalCents(optLong(n, "total_cents"));
        }
        return b.build();
    }

    private static String text(JsonNode n, String field) throws FieldException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new FieldException(field, "missing");
        }
        if (!v.isTextual()) {
            throw new FieldException(field, "must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        if (v.textValue().isEmpty()) {
            throw new FieldException(field, "must not be empty");
        }
        return v.textValue();
    }

    private static String optText(JsonNode n, String field) throws FieldException {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : text(n, field);
    }

    private static long ts(JsonNode n) throws FieldException {
        JsonNode v = n.get("ts");
        if (v == null || v.isNull()) {
            throw new FieldException("ts", "missing");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new FieldException("ts", "must be an integer (epoch milliseconds), got " + v);
        }
        long ts = v.longValue();
        if (ts < MIN_TS || ts > MAX_TS) {
            throw new FieldException("ts", ts + " is not epoch milliseconds between 2000 and 2100");
        }
        return ts;
    }

    private static Long optLong(JsonNode n, String field) throws FieldException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new FieldException(field, "must be an integer, got " + v);
        }
        return v.longValue();
    }

    private static Long nonNegativeLong(JsonNode n, String field, boolean required) throws FieldException {
        Long v = optLong(n, field);
        if (v == null && required) {
            throw new FieldException(field, "missing");
        }
        if (v != null && v < 0) {
            throw new FieldException(field, "must be >= 0, got " + v);
        }
        return v;
    }

    private static PrimitiveKind primitiveKind(JsonNode n) throws FieldException {
        String k = text(n, "kind");
        return switch (k) {
            case "P" -> PrimitiveKind.P;
            case "S" -> PrimitiveKind.S;
            case "D" -> PrimitiveKind.D;
            default -> throw new FieldException("kind", "unknown primitive kind '" + k + "' (expected P, S or D)");
        };
    }

    private static Double optConfidence(JsonNode n) throws FieldException {
        JsonNode v = n.get("confidence");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 1) {
            throw new FieldException("confidence", "must be a number in [0,1], got " + v);
        }
        return v.doubleValue();
    }

    /** Writes one primitive as one line, fields in contract order. */
    public static void write(PrimitiveEvent e, Writer out) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeStringField("store_id", e.getStoreId());
            g.writeStringField("lane_id", e.getLaneId());
            g.writeNumberField("ts", e.getTs());
            g.writeStringField("kind", e.getKind().name());
            if (e.getCameraId() != null) {
                g.writeStringField("camera_id", e.getCameraId());
            }
            if (e.getConfidence() != null) {
                g.writeNumberField("confidence", e.getConfidence());
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    /** Writes one TLog line, fields in contract order, absent optional fields left out. */
    public static void write(TLogEvent e, Writer out) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeStringField("store_id", e.getStoreId());
            g.writeStringField("lane_id", e.getLaneId());
            g.writeNumberField("ts", e.getTs());
            g.writeStringField("type", e.getType().name());
            g.writeStringField("txn_id", e.getTxnId());
            if (e.getCashierId() != null) {
                g.writeStringField("cashier_id", e.getCashierId());
            }
            if (e.getBarcode() != null) {
                g.writeStringField("barcode", e.getBarcode());
            }
            if (e.getPriceCents() != null) {
                g.writeNumberField("price_cents", e.getPriceCents());
            }
            if (e.getQty() != null) {
                g.writeNumberField("qty", e.getQty());
            }
            if (e.getTotalCents() != null) {
                g.writeNumberField("total_cents", e.getTotalCents());
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    public static void write(ConfirmedIncident e, Writer out) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeStringField("store_id", e.getStoreId());
            g.writeStringField("lane_id", e.getLaneId());
            g.writeStringField("txn_id", e.getTxnId());
            g.writeNumberField("ts", e.getTs());
            g.writeStringField("kind", e.getKind().name());
            g.writeEndObject();
        }
        out.write('\n');
    }

    /** One record as a JSON line without the newline, for tests and logs. */
    public static String toJson(PrimitiveEvent e) {
        StringWriter w = new StringWriter();
        try {
            write(e, w);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return w.toString().strip();
    }

    private static JsonGenerator generator(Writer out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }
}
