package io.shrinkwatch.algorithm.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.IncidentKind;
import io.shrinkwatch.schema.PatternEntry;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The whole pipeline on small synthetic lanes, and the model's round trip through Avro. */
class MinerTest {

    private static final long SEED = 5L;
    static final long T0 = 1_767_261_600_000L;

    /**
     * Synthetic transactions: idealised checkouts 4 s apart (so no neighbour's barcode falls in the 3 s
     * reconciliation window of a fake scan), every 8th transaction with one fake scan.
     */
    static List<TransactionSequence> lanes(int n, List<ConfirmedIncident> incidents) {
        Random rnd = new Random(SEED);
        String[] items = {"PSBD", "PBSD", "PSBD", "PBSD", "PBD", "PSBPD", "PDBSD"};
        List<TransactionSequence> out = new ArrayList<>();
        long t = T0;
        for (int x = 0; x < n; x++) {
            StringBuilder sb = new StringBuilder();
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String item = (x % 8 == 0 && i == 6) ? "PSD" : items[rnd.nextInt(items.length)];
                for (int k = 0; k < item.length(); k++) {
                    sb.append(item.charAt(k));
                    times.add(t + k * 500L);
                    if (item.equals("PSD") && k == 1) {
                        incidents.add(ConfirmedIncident.newBuilder().setStoreId("S001").setLaneId("L01")
                                .setTxnId("T" + x).setTs(t + 500).setKind(IncidentKind.FAKE_SCAN).build());
                    }
                }
                t += 4_000;
            }
            t += 60_000;
            out.add(new TransactionSequence("S001", "L01", "T" + x, "C1", sb.toString(),
                    times.stream().mapToLong(Long::longValue).toArray(), new long[sb.length()]));
        }
        return out;
    }

    static MiningOptions fast() {
        return MiningOptions.defaults().withLw(3, 6)
                .withSvm(new io.shrinkwatch.algorithm.weights.SvmOptions(20, 100, MiningOptions.DEFAULT_SVM_C, -1, 3));
    }

    @Test
    void minesTheIdealCheckoutsAndEveryWeightScheme() {
        List<ConfirmedIncident> incidents = new ArrayList<>();
        Miner.Result r = new Miner().mine(lanes(120, incidents), incidents, fast(), 0, m -> { });
        PatternModel m = r.model();
        assertThat(m.getPatterns()).extracting(PatternEntry::getPositive).contains("PSBD", "PBSD");
        assertThat(m.getPatterns()).allSatisfy(e -> {
            assertThat(e.getNegative()).isEqualTo(e.getPositive().replace("B", ""));
            assertThat(e.getWeightUniform()).isEqualTo(1.0);
            assertThat(e.getWeightSvm()).isNotNull();
            assertThat(e.getWeightFrequencySvm()).isEqualTo(e.getWeightFrequency() + e.getWeightSvm());
        });
        assertThat(r.incidentsUsed()).isEqualTo(incidents.size());
        assertThat(m.getTrainingTransactions()).isEqualTo(120);
        assertThat(m.getParameters()).containsEntry("lw_min", "3").containsEntry("svm_splits", "20");
    }

    @Test
    void theSameInputAndSeedGiveAByteIdenticalModel() throws Exception {
        List<ConfirmedIncident> incidents = new ArrayList<>();
        List<TransactionSequence> txns = lanes(80, incidents);
        PatternModel a = new Miner().mine(txns, incidents, fast(), 1234, m -> { }).model();
        PatternModel b = new Miner().mine(txns, incidents, fast(), 1234, m -> { }).model();
        assertThat(ModelIo.toBytes(a)).isEqualTo(ModelIo.toBytes(b));
        assertThat(a.getModelId()).startsWith("m-");
    }

    @Test
    void modelRoundTripsThroughAvroAndHasAReadableJsonView() throws Exception {
        List<ConfirmedIncident> incidents = new ArrayList<>();
        PatternModel m = new Miner().mine(lanes(60, incidents), incidents, fast(), 99, msg -> { }).model();
        PatternModel back = ModelIo.fromBytes(ModelIo.toBytes(m));
        assertThat(back).isEqualTo(m);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ModelIo.writeJson(m, json);
        assertThat(json.toString()).contains("\"model_id\" : \"" + m.getModelId() + "\"", "\"positive\" : \"PSBD\"",
                "\"weight_svm\"");
    }

    @Test
    void withoutIncidentsTheModelFallsBackToFrequencyWeights() {
        Miner.Result r = new Miner().mine(lanes(60, new ArrayList<>()), List.of(), fast(), 0, m -> { });
        assertThat(r.model().getDefaultScheme()).isEqualTo(WeightScheme.FREQUENCY);
        assertThat(r.model().getPatterns()).allSatisfy(e -> assertThat(e.getWeightSvm()).isNull());
        assertThatThrownBy(() -> ModelIo.weights(r.model(), WeightScheme.SVM)).hasMessageContaining("no SVM weights");
    }

    @Test
    void detectsTheInjectedFakeScansOfCleanLanes() {
        List<ConfirmedIncident> incidents = new ArrayList<>();
        List<TransactionSequence> txns = lanes(120, incidents);
        PatternModel m = new Miner().mine(txns, incidents, fast(), 0, msg -> { }).model();
        Detector d = Detector.of(m);
        long fakes = txns.stream().mapToLong(t -> d.detect(t).fakeScans().size()).sum();
        assertThat(fakes).isEqualTo(incidents.size());
        // Every synthetic item is followed by a P, so PSBD..PSBPD is never maximal (PSBPDP always extends it) and
        // fails the filter: its barcodes stay unlabelled. All other barcodes become true scans with uniform votes.
        assertThat(m.getPatterns()).extracting(PatternEntry::getPositive).doesNotContain("PSBPD");
        Detector uniform = new Detector(m, WeightScheme.UNIFORM, m.getThreshold(), ModelIo.rules(m));
        long trueScans = txns.stream().mapToLong(t -> uniform.detect(t).trueScanCount()).sum();
        long coverable = txns.stream().mapToLong(t -> t.barcodeCount()
                - (t.symbols().length() - t.symbols().replace("PSBPD", "").length()) / 5).sum();
        assertThat(trueScans).isGreaterThanOrEqualTo(coverable - coverable / 20);
    }

    @Test
    void refusesAnEmptyTrainingSet() {
        assertThatThrownBy(() -> new Miner().mine(List.of(), List.of(), fast(), 0, m -> { }))
                .hasMessageContaining("no transactions");
    }
}
