package io.shrinkwatch.detection;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;

/**
 * Kafka sources and sinks of the detection job. Inputs and alerts are Avro single-object encoded (see
 * {@link AvroEventDeserializer}); records are keyed by {@code store/lane}. Sinks are transactional (exactly once):
 * a consumer reading with {@code isolation.level=read_committed} sees each alert once, after the checkpoint that
 * produced it. Provisional alerts may be written at least once instead, for speed.
 */
public final class KafkaWiring {

    private KafkaWiring() {
    }

    /**
     * @param bounded stop at the offsets that are latest at start (backtests and tests) instead of running forever
     */
    public static KafkaSource<LaneEvent> source(String bootstrap, String topic, String groupId,
            org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema<LaneEvent>
                    deserializer, boolean bounded) {
        var b = KafkaSource.<LaneEvent>builder().setBootstrapServers(bootstrap).setTopics(topic).setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer).setProperty("isolation.level", "read_committed");
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /**
     * The compacted model topic: values are Avro container bytes of a {@code PatternModel}, read from the earliest
     * offset so the latest model (per key) is the one in force.
     */
    public static KafkaSource<byte[]> modelSource(String bootstrap, String topic, String groupId, boolean bounded) {
        var b = KafkaSource.<byte[]>builder().setBootstrapServers(bootstrap).setTopics(topic).setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(
                        org.apache.kafka.common.serialization.ByteArrayDeserializer.class));
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** Below the broker's default transaction.max.timeout.ms (15 min); Flink's own default (1 h) is refused. */
    static final String TRANSACTION_TIMEOUT_MS = "600000";

    public static KafkaSink<FakeScanAlert> alertSink(String bootstrap, String topic, String transactionalIdPrefix) {
        return exactlyOnce(bootstrap, topic, transactionalIdPrefix, new AlertKey(), new AlertValue());
    }

    /**
     * Sink of provisional alerts (Avro {@code ProvisionalAlert}, keyed by lane), exactly once (transactional, visible
     * after the checkpoint) or at least once (visible when written; after a restore the same records may come again).
     */
    public static KafkaSink<ProvisionalAlert> provisionalSink(String bootstrap, String topic,
            String transactionalIdPrefix, DeliveryGuarantee guarantee) {
        if (guarantee == DeliveryGuarantee.NONE) {
            throw new IllegalArgumentException(DetectionOptions.PROVISIONAL_DELIVERY.key() + ": none may lose "
                    + "provisional alerts on a failure; use exactly-once or at-least-once");
        }
        return sink(bootstrap, topic, transactionalIdPrefix, a -> laneKey(a.storeId, a.laneId), Alerts::toBytes,
                guarantee);
    }

    /** Exactly-once sink of JSON lines (dead letters, metrics). */
    public static KafkaSink<String> deadLetterSink(String bootstrap, String topic, String transactionalIdPrefix) {
        return exactlyOnce(bootstrap, topic, transactionalIdPrefix, null, new Utf8());
    }

    /** A transactional sink stamping records with their time of writing; {@code key} null for unkeyed records. */
    private static <T> KafkaSink<T> exactlyOnce(String bootstrap, String topic, String transactionalIdPrefix,
            SerializationSchema<T> key, SerializationSchema<T> value) {
        return sink(bootstrap, topic, transactionalIdPrefix, key, value, DeliveryGuarantee.EXACTLY_ONCE);
    }

    private static <T> KafkaSink<T> sink(String bootstrap, String topic, String transactionalIdPrefix,
            SerializationSchema<T> key, SerializationSchema<T> value, DeliveryGuarantee guarantee) {
        var b = KafkaSink.<T>builder().setBootstrapServers(bootstrap)
                .setRecordSerializer(new WrittenNow<>(topic, key, value)).setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            b.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
                    .setTransactionalIdPrefix(transactionalIdPrefix);
        }
        return b.build();
    }

    /**
     * Serialises records without the Flink record's timestamp, so Kafka stamps them with the time of writing. The
     * default would stamp an alert with its event time; for a backtest of an earlier day that is older than the
     * topic's retention, and the broker rolls and deletes such segments at once (seen here: the alerts of the first
     * half hour of a replayed day vanished, even for read_uncommitted). Event times travel in the payload.
     */
    static final class WrittenNow<T> implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final SerializationSchema<T> key;
        private final SerializationSchema<T> value;

        WrittenNow(String topic, SerializationSchema<T> key, SerializationSchema<T> value) {
            this.topic = topic;
            this.key = key;
            this.value = value;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
                throws Exception {
            if (key != null) {
                key.open(context);
            }
            value.open(context);
        }

        @Override
        public org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> serialize(T element,
                KafkaSinkContext context, Long timestamp) {
            return new org.apache.kafka.clients.producer.ProducerRecord<>(topic, null, null,
                    key == null ? null : key.serialize(element), value.serialize(element));
        }
    }

    /**
     * The key of every lane-keyed record on ShrinkWatch's topics (input events, incidents, alerts): {@code store/lane}
     * in UTF-8, so a lane's records share a partition.
     */
    public static byte[] laneKey(CharSequence store, CharSequence lane) {
        return (store + "/" + lane).getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of an Avro record's {@code toByteBuffer()} (single-object encoding), as a Kafka value. */
    public static byte[] avroValue(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Key of an alert record: its lane. */
    static final class AlertKey implements SerializationSchema<FakeScanAlert> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(FakeScanAlert a) {
            return laneKey(a.storeId, a.laneId);
        }
    }

    /** Value of an alert record: the Avro alert, single-object encoded. */
    static final class AlertValue implements SerializationSchema<FakeScanAlert> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(FakeScanAlert a) {
            return Alerts.toBytes(a);
        }
    }

    /** A dead letter's JSON line as UTF-8. */
    static final class Utf8 implements SerializationSchema<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
