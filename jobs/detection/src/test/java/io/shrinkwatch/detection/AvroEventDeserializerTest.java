package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Reading Avro records from Kafka: readable ones become lane events, the rest dead letters with a reason. */
class AvroEventDeserializerTest {

    static List<LaneEvent> read(AvroEventDeserializer d, long ts) throws Exception {
        PrimitiveEvent p = PrimitiveEvent.newBuilder().setStoreId("S001").setLaneId("L01").setTs(ts)
                .setKind(PrimitiveKind.S).build();
        List<LaneEvent> out = new ArrayList<>();
        d.deserialize(new ConsumerRecord<>("primitives", 3, 42L, null, KafkaWiring.avroValue(p.toByteBuffer())),
                new Collector<>() {
                    @Override
                    public void collect(LaneEvent e) {
                        out.add(e);
                    }

                    @Override
                    public void close() {
                    }
                });
        return out;
    }

    @Test
    void aRecordTooFarAheadOfTheClockIsADeadLetterNamingTheOption() throws Exception {
        AvroEventDeserializer d = AvroEventDeserializer.primitives().withMaxLead(Duration.ofHours(1));
        long now = System.currentTimeMillis();
        assertThat(read(d, now - 86_400_000L)).singleElement().satisfies(e -> assertThat(e.isDeadLetter()).isFalse());
        assertThat(read(d, now + 60_000)).singleElement().satisfies(e -> assertThat(e.isDeadLetter()).isFalse());
        assertThat(read(d, now + 3 * 3_600_000L)).singleElement().satisfies(e -> {
            assertThat(e.isDeadLetter()).isTrue();
            assertThat(e.deadLetterJson()).contains("field 'ts'", "ahead of the job's clock",
                    "shrinkwatch.max-clock-lead", "primitives/3@42");
        });
        // Without the bound (file replays of any day, the benchmarks) only the 2000-2100 range applies.
        assertThat(read(AvroEventDeserializer.primitives(), now + 3 * 3_600_000L)).singleElement()
                .satisfies(e -> assertThat(e.isDeadLetter()).isFalse());
    }
}
