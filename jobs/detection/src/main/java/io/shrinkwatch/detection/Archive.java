package io.shrinkwatch.detection;

import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.LaneSequence;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.avro.AvroWriters;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The archive of aligned lane sequences and confirmed incidents that re-mining reads: Avro container files under
 * {@code DIR/sequences/dt=YYYY-MM-DD/store=S/} and {@code DIR/incidents/dt=YYYY-MM-DD/store=S/} (UTC date of the
 * transaction's first symbol, or of the incident's scan motion).
 *
 * <p>Files are written by Flink's {@link FileSink}, which rolls bulk formats on every checkpoint and commits them
 * exactly once: a file becomes visible (loses its leading dot) only after the checkpoint that covers its records
 * completes, so a restored job neither loses nor repeats an archived transaction. Labels are not written into the
 * sequences: incidents are confirmed hours or days after a transaction settles, so they are archived as they arrive
 * and joined to their transaction by (store, lane, txn_id) when the archive is read for re-mining.
 */
public final class Archive {

    public static final String SEQUENCES = "sequences";
    public static final String INCIDENTS = "incidents";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private Archive() {
    }

    /** The partition of a record: {@code dt=YYYY-MM-DD/store=S}. */
    public static String partition(long ts, String storeId) {
        return "dt=" + DAY.format(Instant.ofEpochMilli(ts)) + "/store=" + storeId;
    }

    /** A transaction in the archive's form. */
    public static LaneSequence sequence(TransactionSequence t, long clockOffsetMs, String modelId,
            List<Long> fakeScanTs) {
        return sequence(t, clockOffsetMs, modelId, fakeScanTs, true);
    }

    /** @param clockTrusted false when {@code clockOffsetMs} is an estimate not trusted (re-mining leaves it out) */
    public static LaneSequence sequence(TransactionSequence t, long clockOffsetMs, String modelId,
            List<Long> fakeScanTs, boolean clockTrusted) {
        // The all-argument constructor, not the builder, whose per-field validation showed in the job's profile; the
        // arrays as views, so a Long is made per symbol only when the record is written (never, without an archive).
        return new LaneSequence(t.storeId(), t.laneId(), t.txnId(), t.cashierId(), t.symbols(), new LongList(t.times()),
                new LongList(t.valueCents()), clockOffsetMs, modelId, fakeScanTs, clockTrusted);
    }

    /** A read-only {@code List<Long>} over a {@code long[]} the caller no longer changes. */
    private static final class LongList extends java.util.AbstractList<Long> implements java.util.RandomAccess {
        private final long[] values;

        LongList(long[] values) {
            this.values = values;
        }

        @Override
        public Long get(int i) {
            return values[i];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    public static FileSink<LaneSequence> sequenceSink(String dir) {
        return sink(dir, SEQUENCES, LaneSequence.class, new Buckets<>(s -> partition(
                s.getTimes().isEmpty() ? 0 : s.getTimes().get(0), s.getStoreId())));
    }

    public static FileSink<ConfirmedIncident> incidentSink(String dir) {
        return sink(dir, INCIDENTS, ConfirmedIncident.class, new Buckets<>(i -> partition(i.getTs(), i.getStoreId())));
    }

    private static <T extends SpecificRecordBase> FileSink<T> sink(String dir, String what, Class<T> type,
            Buckets<T> buckets) {
        return FileSink.forBulkFormat(new Path(dir, what), AvroWriters.forSpecificRecord(type))
                .withBucketAssigner(buckets).withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".avro").build())
                .build();
    }

    /** A bounded source over archived records of one kind under the given partition directories (or the root). */
    public static <T extends SpecificRecordBase> FileSource<T> source(Class<T> type, Path... dirs) {
        return FileSource.forRecordStreamFormat(new AvroContainerFormat<>(type), dirs).build();
    }

    /** Assigns records to date/store partitions. */
    static final class Buckets<T> implements BucketAssigner<T, String> {
        private static final long serialVersionUID = 1L;
        private final org.apache.flink.util.function.SerializableFunction<T, String> partitionOf;

        Buckets(org.apache.flink.util.function.SerializableFunction<T, String> partitionOf) {
            this.partitionOf = partitionOf;
        }

        @Override
        public String getBucketId(T element, Context context) {
            return partitionOf.apply(element);
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }

    /** Reads one Avro container file, record by record; files are not split (Avro sync markers are not used). */
    public static final class AvroContainerFormat<T extends SpecificRecordBase> extends SimpleStreamFormat<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;

        public AvroContainerFormat(Class<T> type) {
            this.type = type;
        }

        @Override
        public StreamFormat.Reader<T> createReader(Configuration config, FSDataInputStream stream) throws IOException {
            DataFileStream<T> in = new DataFileStream<>(stream, new SpecificDatumReader<>(type));
            return new StreamFormat.Reader<>() {
                @Override
                public T read() {
                    return in.hasNext() ? in.next() : null;
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            };
        }

        @Override
        public TypeInformation<T> getProducedType() {
            return TypeInformation.of(type);
        }
    }
}
