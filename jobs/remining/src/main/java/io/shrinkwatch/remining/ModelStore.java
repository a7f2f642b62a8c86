package io.shrinkwatch.remining;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shrinkwatch.algorithm.evaluation.Evaluation;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The model directory: one folder per model ({@code DIR/<model-id>/}) with {@code model.avro}, its JSON view,
 * {@code evaluation.json}, {@code report.md} and the Figure 4 style chart {@code figure4.svg}; {@code DIR/CURRENT}
 * names the model in force. Every model is kept, promoted or not. Publishing also puts the model on the compacted
 * model topic under the key {@code current}, where the streaming job picks it up.
 */
public final class ModelStore {

    public static final String CURRENT = "CURRENT";
    public static final String TOPIC_KEY = "current";

    private final Path dir;

    public ModelStore(Path dir) {
        this.dir = dir;
    }

    public Path folder(PatternModel m) {
        return dir.resolve(m.getModelId());
    }

    /** The model named by {@code CURRENT}, or null when there is none yet. */
    public PatternModel current() throws IOException {
        Path pointer = dir.resolve(CURRENT);
        if (!Files.exists(pointer)) {
            return null;
        }
        String id = Files.readString(pointer).trim();
        return ModelIo.read(dir.resolve(id).resolve("model.avro"));
    }

    /** Writes the model and its reports; returns its folder. */
    public Path keep(RemineJob.Result r) throws IOException {
        PatternModel m = r.mined().model();
        Path f = folder(m);
        Files.createDirectories(f);
        ModelIo.write(m, f.resolve("model.avro"));
        try (OutputStream json = Files.newOutputStream(f.resolve("model.avro.json"))) {
            ModelIo.writeJson(m, json);
        }
        Files.writeString(f.resolve("evaluation.json"), evaluationJson(r));
        if (r.evaluation() != null) {
            Files.writeString(f.resolve("figure4.svg"), Figure4.svg(r.evaluation(), m.getModelId()));
        }
        Files.writeString(f.resolve("report.md"), report(r));
        return f;
    }

    /** Makes the model current (atomically replacing the pointer). */
    public void promote(PatternModel m) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(CURRENT + ".tmp");
        Files.writeString(tmp, m.getModelId() + "\n");
        Files.move(tmp, dir.resolve(CURRENT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Sends the model to the compacted model topic and waits for the broker's acknowledgement. */
    public static void publish(PatternModel m, String bootstrap, String topic) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("max.request.size", Integer.toString(16 << 20));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, TOPIC_KEY.getBytes(StandardCharsets.UTF_8), ModelIo.toBytes(m)))
                    .get();
        }
    }

    static String evaluationJson(RemineJob.Result r) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model_id", r.mined().model().getModelId());
        root.put("transactions_in_window", r.transactionsInWindow());
        root.put("held_out_transactions", r.heldOutTransactions());
        root.put("untrusted_clock_transactions_left_out", r.untrustedClockTransactions());
        root.set("held_out_candidate", score(mapper, r.candidateHeldOut()));
        if (r.currentHeldOut() != null) {
            root.set("held_out_current", score(mapper, r.currentHeldOut()));
        }
        root.put("promoted", r.decision().promote());
        root.put("gate_reason", r.decision().reason());
        if (r.evaluation() != null) {
            ArrayNode divisions = root.putArray("divisions");
            r.evaluation().trainingLanes().forEach(d -> divisions.add(mapper.valueToTree(d)));
            ArrayNode rows = root.putArray("rows");
            for (Evaluation.Row row : r.evaluation().rows()) {
                ObjectNode n = rows.addObject();
                n.put("division", row.division());
                n.put("scheme", row.scheme().name());
                n.put("threshold", row.threshold());
                n.put("true_scans", row.trueScans());
                n.put("fake_scans", row.fakeScans());
                if (row.truePositives() != null) {
                    n.put("true_positives", row.truePositives());
                    n.put("false_positives", row.falsePositives());
                    n.put("missed", row.missed());
                }
            }
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static ObjectNode score(ObjectMapper mapper, Evaluation.Score s) {
        ObjectNode n = mapper.createObjectNode();
        n.put("true_scans", s.trueScans());
        n.put("fake_scans", s.fakeScans());
        n.put("true_positives", s.truePositives());
        n.put("false_positives", s.falsePositives());
        n.put("missed", s.missed());
        n.put("precision", round(s.precision()));
        n.put("recall", round(s.recall()));
        n.put("f1", round(s.f1()));
        return n;
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

    /** The readable report: the gate, then the evaluation totals per scheme and threshold. */
    static String report(RemineJob.Result r) {
        PatternModel m = r.mined().model();
        StringBuilder sb = new StringBuilder();
        sb.append("# Model ").append(m.getModelId()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "Mined from %d transactions (%d incidents used); %d more held out for the "
                + "promotion gate. Default scheme %s, threshold %.2f, %d patterns.%s%n%n", m.getTrainingTransactions(),
                m.getTrainingIncidents(), r.heldOutTransactions(), m.getDefaultScheme(), m.getThreshold(),
                m.getPatterns().size(), r.untrustedClockTransactions() == 0 ? ""
                        : String.format(Locale.ROOT, " %d archived transactions were left out: the detection job "
                                + "aligned them with a clock offset it did not trust.",
                                r.untrustedClockTransactions())));
        sb.append("**Promotion gate:** ").append(r.decision().reason()).append("\n\n");
        Evaluation.Report e = r.evaluation();
        if (e == null) {
            sb.append("No lane-division evaluation (fewer than 2 lanes).\n");
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "## Evaluation (KDD'11 section 6): %d lane divisions, totals over the "
                + "held-out halves%n%n", e.trainingLanes().size()));
        sb.append("![detections against threshold](figure4.svg)\n\n");
        sb.append(e.labelled() ? "| scheme | threshold | true scans | fake scans | true pos. | false pos. | missed |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n" : "| scheme | threshold | true scans | fake scans |\n|---|---:|---:|---:|\n");
        for (WeightScheme s : WeightScheme.values()) {
            for (double th : Evaluation.PAPER_THRESHOLDS) {
                Evaluation.Row t = e.total(s, th);
                if (e.rows().stream().noneMatch(x -> x.scheme() == s)) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %.1f | %d | %d |", s, th, t.trueScans(), t.fakeScans()));
                if (e.labelled()) {
                    sb.append(String.format(Locale.ROOT, " %d | %d | %d |", t.truePositives(), t.falsePositives(),
                            t.missed()));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
