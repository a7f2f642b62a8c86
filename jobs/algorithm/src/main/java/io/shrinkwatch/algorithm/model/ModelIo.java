package io.shrinkwatch.algorithm.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shrinkwatch.algorithm.classify.SegmentationRules;
import io.shrinkwatch.schema.PatternEntry;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Reads and writes {@link PatternModel}s: an Avro object container file (the schema travels with the model, so any
 * Avro reader can open it) and a readable JSON view for people.
 */
public final class ModelIo {

    private ModelIo() {
    }

    /** Avro container bytes; the sync marker is derived from the model id so equal models give equal bytes. */
    public static byte[] toBytes(PatternModel model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<PatternModel> writer = new DataFileWriter<>(new SpecificDatumWriter<>(PatternModel.class))) {
            writer.create(PatternModel.getClassSchema(), out, syncMarker(model.getModelId()));
            writer.append(model);
        }
        return out.toByteArray();
    }

    public static PatternModel fromBytes(byte[] bytes) throws IOException {
        try (DataFileReader<PatternModel> reader = new DataFileReader<>(new SeekableByteArrayInput(bytes),
                new SpecificDatumReader<>(PatternModel.class))) {
            if (!reader.hasNext()) {
                throw new IOException("model file holds no model");
            }
            return reader.next();
        }
    }

    public static void write(PatternModel model, Path path) throws IOException {
        Files.write(path, toBytes(model));
    }

    public static PatternModel read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such model file");
        }
        try {
            return fromBytes(Files.readAllBytes(path));
        } catch (IOException | RuntimeException e) {
            throw new IOException(path + ": not a ShrinkWatch model (Avro PatternModel container): " + e.getMessage(), e);
        }
    }

    public static void writeJson(PatternModel model, OutputStream out) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("model_id", model.getModelId());
        root.put("format_version", model.getFormatVersion());
        root.put("created_ms", model.getCreatedMs());
        root.put("training_start_ms", model.getTrainingStartMs());
        root.put("training_end_ms", model.getTrainingEndMs());
        root.put("training_transactions", model.getTrainingTransactions());
        root.put("training_incidents", model.getTrainingIncidents());
        root.put("default_scheme", model.getDefaultScheme().name());
        root.put("threshold", model.getThreshold());
        root.put("min_fake_scan_gap_ms", model.getMinFakeScanGapMs());
        root.put("reconcile_before_ms", model.getReconcileBeforeMs());
        root.put("reconcile_after_ms", model.getReconcileAfterMs());
        root.put("min_pickup_to_scan_ms", model.getMinPickupToScanMs());
        root.put("min_scan_to_drop_ms", model.getMinScanToDropMs());
        root.put("align_scans", model.getAlignScans());
        root.put("unscanned_items", model.getUnscannedItems());
        root.put("min_pickup_to_drop_ms", model.getMinPickupToDropMs());
        root.put("max_pickup_to_drop_ms", model.getMaxPickupToDropMs());
        ObjectNode params = root.putObject("parameters");
        new TreeMap<>(model.getParameters()).forEach(params::put);
        ArrayNode patterns = root.putArray("patterns");
        for (PatternEntry e : model.getPatterns()) {
            ObjectNode p = patterns.addObject();
            p.put("positive", e.getPositive());
            p.put("negative", e.getNegative());
            p.put("occurrences", e.getOccurrences());
            p.put("transactions", e.getTransactions());
            p.put("cluster_size", e.getClusterSize());
            p.put("weight_uniform", e.getWeightUniform());
            p.put("weight_frequency", e.getWeightFrequency());
            if (e.getWeightSvm() != null) {
                p.put("weight_svm", e.getWeightSvm());
                p.put("weight_frequency_svm", e.getWeightFrequencySvm());
            } else {
                p.putNull("weight_svm");
                p.putNull("weight_frequency_svm");
            }
        }
        mapper.writeValue(out, root);
    }

    /** The weights of one scheme, index-aligned with the model's patterns. */
    public static double[] weights(PatternModel model, WeightScheme scheme) {
        List<PatternEntry> entries = model.getPatterns();
        double[] w = new double[entries.size()];
        for (int i = 0; i < w.length; i++) {
            PatternEntry e = entries.get(i);
            Double v = switch (scheme) {
                case UNIFORM -> e.getWeightUniform();
                case FREQUENCY -> e.getWeightFrequency();
                case SVM -> e.getWeightSvm();
                case FREQUENCY_SVM -> e.getWeightFrequencySvm();
            };
            if (v == null) {
                throw new IllegalArgumentException("model " + model.getModelId() + " has no " + scheme
                        + " weights (it was mined without confirmed incidents)");
            }
            w[i] = v;
        }
        return w;
    }

    private static byte[] syncMarker(String modelId) {
        byte[] sync = new byte[16];
        byte[] id = modelId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < id.length; i++) {
            sync[i % 16] = (byte) (sync[i % 16] * 31 + id[i]);
        }
        return sync;
    }

    /** The segmentation rules stored in a model. */
    public static SegmentationRules rules(PatternModel m) {
        return new SegmentationRules(m.getMinFakeScanGapMs(), m.getReconcileBeforeMs(), m.getReconcileAfterMs(),
                m.getMinPickupToScanMs(), m.getMinScanToDropMs(), m.getAlignScans(), m.getUnscannedItems(),
                m.getMinPickupToDropMs(), m.getMaxPickupToDropMs());
    }

    /** Parameters map view helper for callers that only need to read one value. */
    public static String parameter(PatternModel model, String name) {
        Map<String, String> p = model.getParameters();
        return p == null ? null : p.get(name);
    }
}
