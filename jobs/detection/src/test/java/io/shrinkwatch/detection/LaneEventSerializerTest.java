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

class LaneEventSerializerTest {

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
        assertThat(type.createSerializer(new SerializerConfigImpl())).isSameAs(LaneEventSerializer.INSTANCE);
    }

    @Test
    void everyKindOfEventRoundTripsFieldForFieldIncludingNullsAndLongStrings() throws Exception {
        LaneEventSerializer ser = LaneEventSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (LaneEvent e : samples()) {
            ser.serialize(e, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (LaneEvent e : samples()) {
            LaneEvent back = ser.deserialize(in);
            assertThat(back).usingRecursiveComparison().isEqualTo(e);
            assertThat(ser.copy(e)).usingRecursiveComparison().isEqualTo(e).isNotSameAs(e);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void kindsComeBackAsTheSharedEnumNamesAndOtherTextAsItWas() throws Exception {
        LaneEventSerializer ser = LaneEventSerializer.INSTANCE;
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
        LaneEventSerializer ser = LaneEventSerializer.INSTANCE;
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
        TypeSerializerSnapshot<LaneEvent> snap = LaneEventSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
        TypeSerializerSnapshot<LaneEvent> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializer<LaneEvent> restored = read.restoreSerializer();
        assertThat(restored).isSameAs(LaneEventSerializer.INSTANCE);
        TypeSerializerSchemaCompatibility<LaneEvent> compat = LaneEventSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();
    }
}
