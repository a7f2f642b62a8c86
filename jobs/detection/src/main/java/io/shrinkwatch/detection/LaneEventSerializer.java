package io.shrinkwatch.detection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A hand-written serializer for {@link LaneEvent}: a null mask, then the fields in declaration order.
 *
 * <p>Every event crosses the network once and, on RocksDB, lands in the lane's buffer once; Flink's POJO serializer
 * reaches each field by reflection and showed as the largest Flink cost in the detection job's profile (about a fifth
 * of the samples, with its reflective instantiation and field copies). Strings are UTF-8 behind a varint length, so a
 * dead letter's payload may exceed 64 KB; not {@code StringValue}, whose thread-local buffer lookup was 6 % of the
 * samples on the heap backend. (An unpaired UTF-16 surrogate, not valid text, would come back as '?'.)
 */
public final class LaneEventSerializer extends TypeSerializerSingleton<LaneEvent> {

    private static final long serialVersionUID = 1L;

    public static final LaneEventSerializer INSTANCE = new LaneEventSerializer();

    private static final int STORE = 1;
    private static final int LANE = 1 << 1;
    private static final int KIND = 1 << 2;
    private static final int TXN = 1 << 3;
    private static final int CASHIER = 1 << 4;
    private static final int BARCODE = 1 << 5;
    private static final int PRICE = 1 << 6;
    private static final int QTY = 1 << 7;
    private static final int TOTAL = 1 << 8;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public LaneEvent createInstance() {
        return new LaneEvent();
    }

    @Override
    public LaneEvent copy(LaneEvent from) {
        LaneEvent e = new LaneEvent();
        e.storeId = from.storeId;
        e.laneId = from.laneId;
        e.ts = from.ts;
        e.source = from.source;
        e.kind = from.kind;
        e.txnId = from.txnId;
        e.cashierId = from.cashierId;
        e.barcode = from.barcode;
        e.priceCents = from.priceCents;
        e.qty = from.qty;
        e.totalCents = from.totalCents;
        return e;
    }

    @Override
    public LaneEvent copy(LaneEvent from, LaneEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(LaneEvent e, DataOutputView out) throws IOException {
        int mask = (e.storeId != null ? STORE : 0) | (e.laneId != null ? LANE : 0) | (e.kind != null ? KIND : 0)
                | (e.txnId != null ? TXN : 0) | (e.cashierId != null ? CASHIER : 0) | (e.barcode != null ? BARCODE : 0)
                | (e.priceCents != null ? PRICE : 0) | (e.qty != null ? QTY : 0) | (e.totalCents != null ? TOTAL : 0);
        out.writeShort(mask);
        out.writeByte(e.source);
        out.writeLong(e.ts);
        writeIf(mask, STORE, e.storeId, out);
        writeIf(mask, LANE, e.laneId, out);
        writeIf(mask, KIND, e.kind, out);
        writeIf(mask, TXN, e.txnId, out);
        writeIf(mask, CASHIER, e.cashierId, out);
        writeIf(mask, BARCODE, e.barcode, out);
        if ((mask & PRICE) != 0) {
            out.writeLong(e.priceCents);
        }
        if ((mask & QTY) != 0) {
            out.writeInt(e.qty);
        }
        if ((mask & TOTAL) != 0) {
            out.writeLong(e.totalCents);
        }
    }

    @Override
    public LaneEvent deserialize(DataInputView in) throws IOException {
        LaneEvent e = new LaneEvent();
        int mask = in.readUnsignedShort();
        e.source = in.readByte();
        e.ts = in.readLong();
        e.storeId = readIf(mask, STORE, in);
        e.laneId = readIf(mask, LANE, in);
        e.kind = canonical(readIf(mask, KIND, in));
        e.txnId = readIf(mask, TXN, in);
        e.cashierId = readIf(mask, CASHIER, in);
        e.barcode = readIf(mask, BARCODE, in);
        e.priceCents = (mask & PRICE) != 0 ? in.readLong() : null;
        e.qty = (mask & QTY) != 0 ? in.readInt() : null;
        e.totalCents = (mask & TOTAL) != 0 ? in.readLong() : null;
        return e;
    }

    @Override
    public LaneEvent deserialize(LaneEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<LaneEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeIf(int mask, int bit, String value, DataOutputView out) throws IOException {
        if ((mask & bit) != 0) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            int n = bytes.length;
            while (n >= 0x80) {
                out.writeByte((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            out.writeByte(n);
            out.write(bytes);
        }
    }

    private static String readIf(int mask, int bit, DataInputView in) throws IOException {
        if ((mask & bit) == 0) {
            return null;
        }
        int n = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            n |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Every kind name of the schemas' enums, so a deserialized kind is one shared, already hashed string. */
    private static final java.util.Map<String, String> KINDS = new java.util.HashMap<>();

    static {
        for (Enum<?>[] values : java.util.List.<Enum<?>[]>of(io.shrinkwatch.schema.PrimitiveKind.values(),
                io.shrinkwatch.schema.TLogType.values(), io.shrinkwatch.schema.IncidentKind.values())) {
            for (Enum<?> v : values) {
                KINDS.put(v.name(), v.name());
            }
        }
    }

    private static String canonical(String kind) {
        return kind == null ? null : KINDS.getOrDefault(kind, kind);
    }

    /** Snapshot of the one format this serializer writes. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LaneEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
