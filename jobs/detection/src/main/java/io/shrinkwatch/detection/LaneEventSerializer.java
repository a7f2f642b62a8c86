package io.shrinkwatch.detection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
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
 *
 * <p>Reading keeps a cache of the store and lane ids it has read (session 14): a lane's events share them, and
 * building two strings, their key and the kind per event cost the detection job's keyed thread about 90 of its 600 ns
 * per event (paired runs of the in-memory benchmark). The ids are read byte by byte into a scratch array and looked
 * up by their bytes; only a miss builds strings. A hit hands out the cached strings and the lane key built from them
 * ({@link LaneEvent#laneKey()} then concatenates nothing); kinds of one byte (P, S, D) come back as the enum names
 * without a string built. The table grows to {@link #MAX_CACHED_LANES} lanes (about 7 MB when full, estimated from
 * the entries' sizes, not measured); when a subtask reads more, the full table is kept as the previous generation and
 * a new one starts, and a lane found only in the previous one moves back into the new one with its strings and key,
 * so at most two tables (about 14 MB) are held. Session 14's version emptied the table instead, so a subtask with
 * more lanes than it holds, each read in turn, missed on every event. A simulation of the two policies (session 17,
 * 36,000 / 48,000 / 56,000 / 64,000 lanes, 1.1-2 times the capacity): lanes read in turn hit 0 % of the time emptying
 * against 90 / 54 / 30 / 5 % with two generations; lanes read at random 61 / 40 / 34 / 29 % against 97 / 81 / 72 /
 * 65 %. A first version with 1,024 direct-mapped slots missed nearly always over 20,000 lanes. The cache makes the
 * serializer stateful, so {@link #duplicate()} gives every user its own; the bytes written are unchanged, as is the
 * snapshot.
 */
public final class LaneEventSerializer extends TypeSerializer<LaneEvent> {

    private static final long serialVersionUID = 1L;

    /** Lanes one generation of the id cache holds at most; a full one becomes the previous (see the class comment). */
    static final int MAX_CACHED_LANES = 32_768;
    /** Store and lane ids longer than this together (UTF-8 bytes) are read as before, not cached. */
    static final int MAX_CACHED_ID_BYTES = 64;

    /** Built at first use: the serializer travels in the job graph, and a cache does not need to. */
    private transient IdCache ids;

    /**
     * The id cache: the current generation, where lookups go first and entries are added, and the previous one, a
     * full current generation set aside, whose entries move back into the current one when they are read again.
     */
    static final class IdCache {
        final byte[] scratch = new byte[MAX_CACHED_ID_BYTES];
        IdTable current;
        IdTable previous;

        IdCache(int slots) {
            current = new IdTable(slots);
        }

        /**
         * Adds the ids in {@code scratch} to the current generation, from the previous one when it has them, and
         * returns their slot there.
         */
        int admit(int h, int storeBytes, int laneBytes) {
            int total = storeBytes + laneBytes;
            IdTable old = previous;
            int at = old == null ? -1 : old.find(scratch, h, storeBytes, total);
            reserve();
            IdTable t = current;
            int slot = t.find(scratch, h, storeBytes, total);
            if (at >= 0 && old.bytes[at] != null) {
                // Read again within two generations: the same strings and key move back into the current one.
                t.put(slot, h, old.bytes[at], old.store[at], old.lane[at], old.key[at]);
            } else {
                // The first byte is where the store id ends, so "S1"+"0L" and "S10"+"L" are two entries.
                byte[] seen = new byte[total + 1];
                seen[0] = (byte) storeBytes;
                System.arraycopy(scratch, 0, seen, 1, total);
                t.put(slot, h, seen, new String(scratch, 0, storeBytes, StandardCharsets.UTF_8),
                        new String(scratch, storeBytes, laneBytes, StandardCharsets.UTF_8), null);
            }
            return slot;
        }

        /** Makes room in the current generation for one more entry: doubles it, or starts a new one when full. */
        void reserve() {
            IdTable c = current;
            if (2 * (c.size + 1) <= c.bytes.length) {
                return;
            }
            if (c.size + 1 > MAX_CACHED_LANES) {
                previous = c;
                current = new IdTable(c.bytes.length);
                return;
            }
            IdTable grown = new IdTable(2 * c.bytes.length);
            for (int i = 0; i < c.bytes.length; i++) {
                if (c.bytes[i] != null) {
                    grown.put(grown.freeSlot(c.hashes[i]), c.hashes[i], c.bytes[i], c.store[i], c.lane[i], c.key[i]);
                }
            }
            current = grown;
        }
    }

    /**
     * One generation: an open-addressing table from the bytes read (where the store id ends, then both ids) to the
     * strings they gave and the lane key, kept at most half full.
     */
    static final class IdTable {
        final int[] hashes;
        final byte[][] bytes;
        final String[] store;
        final String[] lane;
        final String[] key;
        int size;

        IdTable(int slots) {
            hashes = new int[slots];
            bytes = new byte[slots][];
            store = new String[slots];
            lane = new String[slots];
            key = new String[slots];
        }

        /** The slot holding {@code scratch[0, total)} split at {@code storeBytes}, or the free slot for it. */
        int find(byte[] scratch, int h, int storeBytes, int total) {
            int mask = bytes.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                byte[] seen = bytes[i];
                if (seen == null || (hashes[i] == h && seen.length == total + 1 && seen[0] == storeBytes
                        && Arrays.equals(seen, 1, total + 1, scratch, 0, total))) {
                    return i;
                }
            }
        }

        int freeSlot(int h) {
            int mask = bytes.length - 1;
            int i = h & mask;
            while (bytes[i] != null) {
                i = (i + 1) & mask;
            }
            return i;
        }

        void put(int slot, int h, byte[] seen, String storeId, String laneId, String laneKey) {
            hashes[slot] = h;
            bytes[slot] = seen;
            store[slot] = storeId;
            lane[slot] = laneId;
            key[slot] = laneKey;
            size++;
        }
    }

    /** Entries the id cache holds now, over both generations (a lane in both counts twice); for tests. */
    int cachedIdEntries() {
        IdCache c = ids;
        return c == null ? 0 : c.current.size + (c.previous == null ? 0 : c.previous.size);
    }

    @Override
    public TypeSerializer<LaneEvent> duplicate() {
        return new LaneEventSerializer();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LaneEventSerializer;
    }

    @Override
    public int hashCode() {
        return LaneEventSerializer.class.hashCode();
    }

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
        if ((mask & (STORE | LANE)) == (STORE | LANE)) {
            readIds(e, in);
        } else {
            e.storeId = readIf(mask, STORE, in);
            e.laneId = readIf(mask, LANE, in);
        }
        e.kind = (mask & KIND) != 0 ? readKind(in) : null;
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
        return (mask & bit) == 0 ? null : readString(readLength(in), in);
    }

    private static int readLength(DataInputView in) throws IOException {
        int n = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            n |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return n;
    }

    private static String readString(int n, DataInputView in) throws IOException {
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The store and lane ids, from the cache when they are short and were read recently (see the class comment). */
    private void readIds(LaneEvent e, DataInputView in) throws IOException {
        int storeBytes = readLength(in);
        if (storeBytes > MAX_CACHED_ID_BYTES) {
            e.storeId = readString(storeBytes, in);
            e.laneId = readString(readLength(in), in);
            return;
        }
        IdCache c = ids;
        if (c == null) {
            c = new IdCache(1_024);
            ids = c;
        }
        byte[] buf = c.scratch;
        for (int i = 0; i < storeBytes; i++) {
            buf[i] = in.readByte();
        }
        int laneBytes = readLength(in);
        int total = storeBytes + laneBytes;
        if (total > MAX_CACHED_ID_BYTES) {
            e.storeId = new String(buf, 0, storeBytes, StandardCharsets.UTF_8);
            e.laneId = readString(laneBytes, in);
            return;
        }
        int h = storeBytes;
        for (int i = 0; i < storeBytes; i++) {
            h = 31 * h + buf[i];
        }
        for (int i = storeBytes; i < total; i++) {
            buf[i] = in.readByte();
            h = 31 * h + buf[i];
        }
        h ^= h >>> 16;
        IdTable t = c.current;
        int slot = t.find(buf, h, storeBytes, total);
        if (t.bytes[slot] == null) {
            // Kept out of this method, presumably so the JIT inlines the small hit path: with the miss handling
            // written here, six paired JVMs over 160 lanes all ran slower (keyed/source median 1.550 against 1.429),
            // with it in admit() as fast as before (1.449 against 1.443; session 17).
            slot = c.admit(h, storeBytes, laneBytes);
            t = c.current;
        }
        e.storeId = t.store[slot];
        e.laneId = t.lane[slot];
        String key = t.key[slot];
        if (key == null) {
            t.key[slot] = e.laneKey();
        } else {
            e.shareLaneKey(key);
        }
    }

    /** A kind: one of the schemas' enum names when it is one (P, S and D without building a string). */
    private static String readKind(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n == 1) {
            byte b = in.readByte();
            String one = ONE_BYTE_KINDS[b & 0xff];
            return one != null ? one : new String(new byte[] {b}, StandardCharsets.UTF_8);
        }
        return canonical(readString(n, in));
    }

    /** The one-byte kind names (the primitive kinds) by their byte. */
    private static final String[] ONE_BYTE_KINDS = new String[256];

    /** Every kind name of the schemas' enums, so a deserialized kind is one shared, already hashed string. */
    private static final java.util.Map<String, String> KINDS = new java.util.HashMap<>();

    static {
        for (Enum<?>[] values : java.util.List.<Enum<?>[]>of(io.shrinkwatch.schema.PrimitiveKind.values(),
                io.shrinkwatch.schema.TLogType.values(), io.shrinkwatch.schema.IncidentKind.values())) {
            for (Enum<?> v : values) {
                KINDS.put(v.name(), v.name());
                byte[] b = v.name().getBytes(StandardCharsets.UTF_8);
                if (b.length == 1) {
                    ONE_BYTE_KINDS[b[0] & 0xff] = v.name();
                }
            }
        }
    }

    private static String canonical(String kind) {
        return kind == null ? null : KINDS.getOrDefault(kind, kind);
    }

    /** Snapshot of the one format this serializer writes. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LaneEvent> {
        public Snapshot() {
            super(LaneEventSerializer::new);
        }
    }
}
