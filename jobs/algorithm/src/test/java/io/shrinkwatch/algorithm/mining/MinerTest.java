package io.shrinkwatch.algorithm.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.algorithm.selection.PatternSelector;
import io.shrinkwatch.algorithm.teiresias.DiscoveredPattern;
import io.shrinkwatch.algorithm.teiresias.SupportMode;
import io.shrinkwatch.algorithm.teiresias.Teiresias;
import io.shrinkwatch.algorithm.teiresias.TeiresiasParams;
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
        // Each item shape is a maximal pattern of its own (PSBPD too: the last item of a transaction has no P after
        // it), and a handful of patterns over 120 transactions has full row rank, so clustering merges none of them
        // and every barcode is covered.
        assertThat(m.getPatterns()).extracting(PatternEntry::getPositive)
                .containsExactlyInAnyOrder("PSBD", "PBSD", "PBD", "PSBPD", "PDBSD");
        Detector uniform = new Detector(m, WeightScheme.UNIFORM, m.getThreshold(), ModelIo.rules(m));
        long trueScans = txns.stream().mapToLong(t -> uniform.detect(t).trueScanCount()).sum();
        long coverable = txns.stream().mapToLong(TransactionSequence::barcodeCount).sum();
        assertThat(trueScans).isGreaterThanOrEqualTo(coverable - coverable / 20);
    }

    @Test
    void learnsTheUnscannedItemsPickupToDropRangeFromTheTrainingTrueScans() {
        List<ConfirmedIncident> incidents = new ArrayList<>();
        List<TransactionSequence> txns = lanes(60, incidents);
        PatternModel m = new Miner().mine(txns, incidents, fast(), 0, msg -> { }).model();
        // Every item here spans 1,000-2,000 ms from its pickup to its drop (symbols 500 ms apart).
        assertThat(m.getUnscannedItems()).isTrue();
        assertThat(m.getMinPickupToDropMs()).isBetween(1_000L, 2_000L);
        assertThat(m.getMaxPickupToDropMs()).isBetween(m.getMinPickupToDropMs(), 2_000L);
        assertThat(ModelIo.rules(m).findsUnscannedItems()).isTrue();

        MiningOptions off = fast().withRules(fast().rules().withUnscannedItems(false, 0, 0),
                fast().plausibilityQuantile());
        PatternModel without = new Miner().mine(txns, incidents, off, 0, msg -> { }).model();
        assertThat(without.getUnscannedItems()).isFalse();
        assertThat(without.getMaxPickupToDropMs()).isZero();
        assertThat(MiningOptions.paper().rules().findsUnscannedItems()).isFalse();
    }

    @Test
    void refusesAnEmptyTrainingSet() {
        assertThatThrownBy(() -> new Miner().mine(List.of(), List.of(), fast(), 0, m -> { }))
                .hasMessageContaining("no transactions");
    }

    /** The paper's route written out: a full Teiresias run (general algorithm, no fast path) per L = W, then filter. */
    static List<DiscoveredPattern> literalRoute(List<String> seqs, int lwMin, int lwMax, int k, SupportMode mode) {
        List<List<DiscoveredPattern>> runs = new ArrayList<>();
        for (int lw = lwMin; lw <= lwMax; lw++) {
            runs.add(new Teiresias(false).discover(seqs, new TeiresiasParams(lw, lw, k, mode)));
        }
        return PatternSelector.checkoutPatterns(runs);
    }

    static String describe(List<DiscoveredPattern> ps) {
        StringBuilder sb = new StringBuilder();
        for (DiscoveredPattern p : ps) {
            sb.append(p.pattern()).append(' ').append(p.sequenceCount()).append(' ')
                    .append(java.util.Arrays.toString(p.occurrences())).append('\n');
        }
        return sb.toString();
    }

    @Test
    void oneShapedWalkFindsExactlyTheCheckoutPatternsOfTheRunsPerLw() {
        Random rnd = new Random(20261122L);
        String alphabet = "PSDB";
        int withPatterns = 0;
        for (int trial = 0; trial < 400; trial++) {
            List<String> seqs = new ArrayList<>();
            int n = 2 + rnd.nextInt(6);
            String[] items = {"PSBD", "PBSD", "PBD", "PSBPD", "PDBSD"};
            for (int i = 0; i < n; i++) {
                // Checkout-like text so that patterns exist: items with random symbols dropped, doubled or inserted.
                StringBuilder sb = new StringBuilder();
                int count = 1 + rnd.nextInt(5);
                for (int j = 0; j < count; j++) {
                    for (char c : items[rnd.nextInt(items.length)].toCharArray()) {
                        double u = rnd.nextDouble();
                        if (u < 0.08) {
                            continue;
                        }
                        sb.append(c);
                        if (u > 0.92) {
                            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                        }
                    }
                }
                seqs.add(sb.toString());
            }
            int lwMin = 2 + rnd.nextInt(3);
            int lwMax = lwMin + rnd.nextInt(4);
            int k = 2 + rnd.nextInt(2);
            SupportMode mode = rnd.nextBoolean() ? SupportMode.SEQUENCES : SupportMode.OCCURRENCES;
            MiningOptions o = new MiningOptions(lwMin, lwMax, k, mode, 0.5, 0, MiningOptions.defaults().svm(), 0.6,
                    MiningOptions.defaults().rules(), 0, WeightScheme.SVM, 1_500);
            List<DiscoveredPattern> expected = literalRoute(seqs, lwMin, lwMax, k, mode);
            assertThat(describe(Miner.checkoutPatterns(seqs, o))).as("trial %d: %s L=W %d..%d K=%d %s", trial, seqs,
                    lwMin, lwMax, k, mode).isEqualTo(describe(expected));
            withPatterns += expected.isEmpty() ? 0 : 1;
        }
        assertThat(withPatterns).as("trials with at least one checkout pattern").isGreaterThan(100);
    }

    @Test
    void oneShapedWalkMatchesTheRunsPerLwOnSimulatedLanes() {
        List<String> seqs = new ArrayList<>();
        for (TransactionSequence t : lanes(120, new ArrayList<>())) {
            seqs.add(t.symbols());
        }
        MiningOptions o = MiningOptions.defaults();
        assertThat(describe(Miner.checkoutPatterns(seqs, o)))
                .isEqualTo(describe(literalRoute(seqs, o.lwMin(), o.lwMax(), o.k(), o.supportMode())));
    }
}
