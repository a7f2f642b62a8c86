package io.shrinkwatch.detection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** Converts the job's alerts to the Avro records of the alerts and provisional-alerts topics. */
public final class Alerts {

    private Alerts() {
    }

    public static io.shrinkwatch.schema.FakeScanAlert toAvro(FakeScanAlert a) {
        return io.shrinkwatch.schema.FakeScanAlert.newBuilder().setStoreId(a.storeId).setLaneId(a.laneId)
                .setTxnId(a.txnId).setCashierId(a.cashierId).setScanTs(a.scanTs).setStartTs(a.startTs)
                .setEndTs(a.endTs).setConfidence(a.confidence).setModelId(a.modelId)
                .setEvidenceStartTs(a.evidenceStartTs).setEvidenceEndTs(a.evidenceEndTs)
                .setKind(io.shrinkwatch.schema.AlertKind.valueOf(a.kind)).build();
    }

    /** Avro single-object encoding of the alert. */
    public static byte[] toBytes(FakeScanAlert a) {
        return KafkaWiring.avroValue(unchecked(() -> toAvro(a).toByteBuffer()));
    }

    public static io.shrinkwatch.schema.ProvisionalAlert toAvro(ProvisionalAlert a) {
        return io.shrinkwatch.schema.ProvisionalAlert.newBuilder()
                .setStatus(io.shrinkwatch.schema.ProvisionalStatus.valueOf(a.status)).setStoreId(a.storeId)
                .setLaneId(a.laneId).setTxnId(a.txnId).setCashierId(a.cashierId).setScanTs(a.scanTs)
                .setStartTs(a.startTs).setEndTs(a.endTs).setConfidence(a.confidence).setModelId(a.modelId)
                .setEvidenceStartTs(a.evidenceStartTs).setEvidenceEndTs(a.evidenceEndTs).setDecidedTs(a.decidedTs)
                .setKind(io.shrinkwatch.schema.AlertKind.valueOf(a.kind())).build();
    }

    /** Avro single-object encoding of the provisional-alert record. */
    public static byte[] toBytes(ProvisionalAlert a) {
        return KafkaWiring.avroValue(unchecked(() -> toAvro(a).toByteBuffer()));
    }

    public static io.shrinkwatch.schema.ProvisionalAlert provisionalFromBytes(byte[] bytes) {
        return unchecked(() -> io.shrinkwatch.schema.ProvisionalAlert.fromByteBuffer(ByteBuffer.wrap(bytes)));
    }

    public static io.shrinkwatch.schema.FakeScanAlert fromBytes(byte[] bytes) {
        return unchecked(() -> io.shrinkwatch.schema.FakeScanAlert.fromByteBuffer(ByteBuffer.wrap(bytes)));
    }

    /** An Avro encoding or decoding step. */
    private interface AvroStep<T> {
        T run() throws IOException;
    }

    private static <T> T unchecked(AvroStep<T> step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
