package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.IncidentKind;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Tests of the hand-written lane event serializer: round trips, shared ids, copies and its snapshot. */
class LaneEventSerializerTest {

    /** The lane key LaneEvent keeps for itself: not part of the event. */
    private static final String CACHED = "cachedKey.*";

    static List<LaneEvent> samples() {
        LaneEvent empty = new LaneEvent();
        return List.of(
                LaneEvent.of(new PrimitiveEvent("S001", "L03", 1_767_261_601_394L, PrimitiveKind.P, null, null)),
                LaneEvent.of(new TLogEvent("S001", "L03", 1_767_261_601_779L, TLogType.ITEM, "S001-L03-00001",
                        "S001-C009", "7678446616181", 459L, 1, null)),
                LaneEvent.of(new TLogEvent("S001", "L03", 1_767_261_602_000L, TLogType.TXN_END, "S001-L03-00001",
                        "S001-C009", null, null, null, 12_345L)),
                LaneEvent.of(ConfirmedIncident.newBuilder().setStoreId("S002").setLaneId("L01").setTxnId("T9")
                        .setTs(-5L).setKind(IncidentKind.FAKE_SCAN).build()),
                LaneEvent.deadLetter("unreadable: \u00e9\u4e2d", "topic/0@17", new byte[100_000]),
                // 127 and 128 bytes: the two sides of the length's first varint byte.
                LaneEvent.deadLetter("r".repeat(127), "w".repeat(128), new byte[0]),
                empty);
    }

    @Test
    void typeExtractionPicksTheHandWrittenSerializer() {
        TypeInformation<LaneEvent> type = TypeInformation.of(LaneEvent.class);
        assertThat(type).isEqualTo(LaneEventTypeInfo.INSTANCE);
        assertThat(type.createSerializer(new SerializerConfigImpl())).isInstanceOf(LaneEventSerializer.class);
    }

    @Test
    void everyKindOfEventRoundTripsFieldForFieldIncludingNullsAndLongStrings() throws Exception {
        LaneEventSerializer ser = new LaneEventSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (LaneEvent e : samples()) {
            ser.serialize(e, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (LaneEvent e : samples()) {
            LaneEvent back = ser.deserialize(in);
            assertThat(back).usingRecursiveComparison().ignoringFieldsMatchingRegexes(CACHED).isEqualTo(e);
            assertThat(ser.copy(e)).usingRecursiveComparison().ignoringFieldsMatchingRegexes(CACHED).isEqualTo(e)
                    .isNotSameAs(e);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void kindsComeBackAsTheSharedEnumNamesAndOtherTextAsItWas() throws Exception {
        LaneEventSerializer ser = new LaneEventSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (LaneEvent e : samples()) {
            ser.serialize(e, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(ser.deserialize(in).kind).isSameAs(PrimitiveKind.P.name());
        assertThat(ser.deserialize(in).kind).isSameAs(TLogType.ITEM.name());
        assertThat(ser.deserialize(in).kind).isSameAs(TLogType.TXN_END.name());
        assertThat(ser.deserialize(in).kind).isSameAs(IncidentKind.FAKE_SCAN.name());
        assertThat(ser.deserialize(in).kind).isEqualTo("unreadable: \u00e9\u4e2d");
    }

    @Test
    void streamCopyReproducesTheBytes() throws Exception {
        LaneEventSerializer ser = new LaneEventSerializer();
        for (LaneEvent e : samples()) {
            DataOutputSerializer first = new DataOutputSerializer(64);
            ser.serialize(e, first);
            DataOutputSerializer second = new DataOutputSerializer(64);
            ser.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);
            assertThat(second.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
        }
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializerSnapshot<LaneEvent> snap = new LaneEventSerializer().snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
        TypeSerializerSnapshot<LaneEvent> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializer<LaneEvent> restored = read.restoreSerializer();
        assertThat(restored).isInstanceOf(LaneEventSerializer.class).isEqualTo(new LaneEventSerializer());
        TypeSerializerSchemaCompatibility<LaneEvent> compat = new LaneEventSerializer().snapshotConfiguration()
                .resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();
    }

    @Test
    void eventsOfOneLaneShareTheirIdsAndKeyAndIdsSplitDifferentlyStayApart() throws Exception {
        LaneEventSerializer ser = new LaneEventSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        List<LaneEvent> written = List.of(primitive("S001", "L03", PrimitiveKind.S), primitive("S001", "L03",
                PrimitiveKind.D), primitive("S1", "0L", PrimitiveKind.P), primitive("S10", "L", PrimitiveKind.P),
                primitive("S1", "0L", PrimitiveKind.D), primitive("S" + "x".repeat(40), "L" + "y".repeat(30),
                        PrimitiveKind.P), primitive("S\u00e901", "L\u4e2d", PrimitiveKind.S),
                primitive("S\u00e901", "L\u4e2d", PrimitiveKind.D));
        for (LaneEvent e : written) {
            ser.serialize(e, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<LaneEvent> read = new java.util.ArrayList<>();
        for (LaneEvent e : written) {
            LaneEvent back = ser.deserialize(in);
            assertThat(back).usingRecursiveComparison().ignoringFieldsMatchingRegexes(CACHED).isEqualTo(e);
            assertThat(back.laneKey()).isEqualTo(e.storeId + "/" + e.laneId);
            read.add(back);
        }
        assertThat(read.get(1).storeId).isSameAs(read.get(0).storeId);
        assertThat(read.get(1).laneKey()).isSameAs(read.get(0).laneKey());
        assertThat(read.get(1).kind).isSameAs(PrimitiveKind.D.name());
        assertThat(read.get(4).laneKey()).isSameAs(read.get(2).laneKey()).isEqualTo("S1/0L");
        assertThat(read.get(3).laneKey()).isEqualTo("S10/L");
        // Ids past the cached length are read as before.
        assertThat(read.get(5).laneKey()).isEqualTo("S" + "x".repeat(40) + "/L" + "y".repeat(30));
        // Ids beyond ASCII are cached by their UTF-8 bytes and come back as they were.
        assertThat(read.get(7).laneKey()).isSameAs(read.get(6).laneKey()).isEqualTo("S\u00e901/L\u4e2d");
        LaneEvent moved = read.get(1);
        moved.laneId = "L04";
        assertThat(moved.laneKey()).isEqualTo("S001/L04");
    }

    @Test
    void aSubtaskWithMoreLanesThanOneGenerationHoldsStillSharesMostKeysAndReadsRight() throws Exception {
        for (int lanes : new int[] {20_000, LaneEventSerializer.MAX_CACHED_LANES + 7_000}) {
            LaneEventSerializer ser = new LaneEventSerializer();
            DataOutputSerializer out = new DataOutputSerializer(1 << 20);
            for (int pass = 0; pass < 2; pass++) {
                for (int l = 0; l < lanes; l++) {
                    ser.serialize(primitive("S" + (l / 30), "L" + (l % 30), pass == 0 ? PrimitiveKind.P
                            : PrimitiveKind.D), out);
                }
            }
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            String[] firstKeys = new String[lanes];
            int shared = 0;
            for (int pass = 0; pass < 2; pass++) {
                for (int l = 0; l < lanes; l++) {
                    LaneEvent back = ser.deserialize(in);
                    assertThat(back.storeId).isEqualTo("S" + (l / 30));
                    assertThat(back.laneId).isEqualTo("L" + (l % 30));
                    assertThat(back.laneKey()).isEqualTo("S" + (l / 30) + "/L" + (l % 30));
                    if (pass == 0) {
                        firstKeys[l] = back.laneKey();
                    } else if (back.laneKey() == firstKeys[l]) {
                        shared++;
                    }
                }
            }
            // Within one generation every lane read again gets the key built the first time. Past it, lanes read in
            // turn still mostly find theirs in the previous generation (emptying the table instead shared none).
            if (lanes <= LaneEventSerializer.MAX_CACHED_LANES) {
                assertThat(shared).isEqualTo(lanes);
            } else {
                assertThat(shared).isGreaterThan(lanes / 2).isLessThan(lanes);
            }
        }
    }

    @Test
    void theIdCacheHoldsAtMostTwoGenerationsHoweverManyLanesPass() throws Exception {
        LaneEventSerializer ser = new LaneEventSerializer();
        DataOutputSerializer out = new DataOutputSerializer(1 << 20);
        int lanes = 3 * LaneEventSerializer.MAX_CACHED_LANES + 1_000;
        for (int l = 0; l < lanes; l++) {
            ser.serialize(primitive("S" + (l / 30), "L" + (l % 30), PrimitiveKind.P), out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        int most = 0;
        for (int l = 0; l < lanes; l++) {
            assertThat(ser.deserialize(in).laneKey()).isEqualTo("S" + (l / 30) + "/L" + (l % 30));
            most = Math.max(most, ser.cachedIdEntries());
        }
        assertThat(most).isGreaterThan(LaneEventSerializer.MAX_CACHED_LANES)
                .isLessThanOrEqualTo(2 * LaneEventSerializer.MAX_CACHED_LANES);
    }

    @Test
    void everyDuplicateHasItsOwnCacheAndEqualsTheOriginal() {
        LaneEventSerializer ser = new LaneEventSerializer();
        TypeSerializer<LaneEvent> dup = ser.duplicate();
        assertThat(dup).isNotSameAs(ser).isEqualTo(ser).hasSameHashCodeAs(ser);
    }

    private static LaneEvent primitive(String store, String lane, PrimitiveKind kind) {
        return LaneEvent.of(new PrimitiveEvent(store, lane, 1_767_261_601_394L, kind, null, null));
    }
}
