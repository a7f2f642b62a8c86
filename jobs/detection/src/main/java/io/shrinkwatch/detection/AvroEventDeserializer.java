package io.shrinkwatch.detection;

import io.shrinkwatch.common.jsonl.EventJson;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka records holding one {@link PrimitiveEvent}, {@link TLogEvent} or {@link ConfirmedIncident} in Avro single-object encoding
 * (2-byte marker {@code C3 01}, the 8-byte CRC-64-AVRO fingerprint of the writer schema, then Avro binary; what the
 * generated classes' {@code toByteBuffer()} writes). A record that cannot be read never fails the job: it becomes a
 * dead-letter event carrying the reason, its topic/partition/offset and its bytes, which {@link DetectionJob} sends to
 * the dead-letter output.
 */
public final class AvroEventDeserializer implements KafkaRecordDeserializationSchema<LaneEvent> {

    private static final long serialVersionUID = 1L;
    private final byte source;
    private final long maxLeadMs;
    /**
     * The job's clock plus {@code maxLeadMs} when last read: a record before it passes without reading the clock again
     * (the clock only moves on, so the true bound is later still), which keeps the clock off the per-record path.
     */
    private transient long leadBound = Long.MIN_VALUE;

    private AvroEventDeserializer(byte source, long maxLeadMs) {
        this.source = source;
        this.maxLeadMs = maxLeadMs;
    }

    private AvroEventDeserializer(byte source) {
        this(source, Long.MAX_VALUE);
    }

    /**
     * The same, also sending primitives and TLog lines whose time is more than {@code maxLead} ahead of this
     * machine's clock to the dead letters ({@link DetectionOptions#MAX_CLOCK_LEAD}).
     */
    public AvroEventDeserializer withMaxLead(java.time.Duration maxLead) {
        return new AvroEventDeserializer(source, maxLead.toMillis());
    }

    public static AvroEventDeserializer primitives() {
        return new AvroEventDeserializer(LaneEvent.PRIMITIVE);
    }

    public static AvroEventDeserializer tlog() {
        return new AvroEventDeserializer(LaneEvent.TLOG);
    }

    public static AvroEventDeserializer incidents() {
        return new AvroEventDeserializer(LaneEvent.INCIDENT);
    }

    private String typeName() {
        return switch (source) {
            case LaneEvent.PRIMITIVE -> "PrimitiveEvent";
            case LaneEvent.TLOG -> "TLogEvent";
            default -> "ConfirmedIncident";
        };
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<LaneEvent> out) {
        String where = record.topic() + "/" + record.partition() + "@" + record.offset();
        byte[] value = record.value();
        if (value == null) {
            out.collect(LaneEvent.deadLetter("empty record (null value)", where, new byte[0]));
            return;
        }
        LaneEvent e;
        try {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(value);
            e = switch (source) {
                case LaneEvent.PRIMITIVE -> LaneEvent.of(PrimitiveEvent.fromByteBuffer(bytes));
                case LaneEvent.TLOG -> LaneEvent.of(TLogEvent.fromByteBuffer(bytes));
                default -> LaneEvent.of(ConfirmedIncident.fromByteBuffer(bytes));
            };
        } catch (Exception | LinkageError ex) {
            out.collect(LaneEvent.deadLetter("not a " + typeName() + " in Avro single-object encoding: " + ex, where,
                    value));
            return;
        }
        String problem = problem(e);
        if (problem == null && source != LaneEvent.INCIDENT && maxLeadMs != Long.MAX_VALUE) {
            if (e.ts > leadBound) {
                leadBound = System.currentTimeMillis() + maxLeadMs;
            }
            if (e.ts > leadBound) {
                long now = leadBound - maxLeadMs;
                problem = "field 'ts': " + e.ts + " is " + (e.ts - now) + " ms ahead of the job's clock ("
                        + DetectionOptions.MAX_CLOCK_LEAD.key() + " allows " + maxLeadMs + " ms): a camera or POS "
                        + "clock set wrong, or local time sent as UTC";
            }
        }
        if (problem != null) {
            out.collect(LaneEvent.deadLetter(problem, where, value));
        } else {
            out.collect(e);
        }
    }

    static String problem(LaneEvent e) {
        // The same plausible range as the JSON Lines contract.
        if (e.ts < EventJson.MIN_TS || e.ts > EventJson.MAX_TS) {
            return "field 'ts': " + e.ts + " is not epoch milliseconds between 2000 and 2100";
        }
        if (e.storeId.isEmpty() || e.laneId.isEmpty()) {
            return "field 'store_id'/'lane_id': must not be empty";
        }
        if (e.source == LaneEvent.INCIDENT && (e.txnId == null || e.txnId.isEmpty())) {
            return "field 'txn_id': an incident must name its transaction";
        }
        if (e.source == LaneEvent.TLOG && "ITEM".equals(e.kind) && (e.barcode == null || e.priceCents == null)) {
            return "field 'barcode'/'price_cents': an ITEM needs both";
        }
        return null;
    }

    @Override
    public TypeInformation<LaneEvent> getProducedType() {
        return TypeInformation.of(LaneEvent.class);
    }
}
