package io.shrinkwatch.algorithm.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shrinkwatch.algorithm.lane.LaneKey;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.algorithm.weights.SvmOptions;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.IncidentKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Tests of section 6's lane divisions, the detection scores and the promotion gate. */
class EvaluationTest {

    static List<LaneKey> lanes(int n) {
        List<LaneKey> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new LaneKey("S001", String.format("L%02d", i)));
        }
        return out;
    }

    @Test
    void sixLanesGiveThePapersTwentyDivisionsIntoHalves() {
        List<List<LaneKey>> d = Evaluation.divisions(lanes(6), 6, 20, 1);
        assertThat(d).hasSize(20).allSatisfy(h -> assertThat(h).hasSize(3));
        assertThat(new HashSet<>(d)).hasSize(20);
    }

    @Test
    void manyLanesGiveTheRequestedNumberOfDistinctRandomDivisionsForASeed() {
        List<List<LaneKey>> a = Evaluation.divisions(lanes(30), 6, 12, 7);
        assertThat(a).hasSize(12).allSatisfy(h -> assertThat(h).hasSize(15));
        assertThat(new HashSet<>(a)).hasSize(12);
        assertThat(Evaluation.divisions(lanes(30), 6, 12, 7)).isEqualTo(a);
        assertThat(Evaluation.divisions(lanes(30), 6, 12, 8)).isNotEqualTo(a);
    }

    @Test
    void oneLaneCannotBeDivided() {
        assertThatThrownBy(() -> Evaluation.divisions(lanes(1), 6, 20, 1)).hasMessageContaining("at least 2 lanes");
    }

    @Test
    void scoresComputePrecisionRecallAndF1() {
        Evaluation.Score s = new Evaluation.Score(100, 10, 8, 2, 8);
        assertThat(s.precision()).isEqualTo(0.8);
        assertThat(s.recall()).isEqualTo(0.5);
        assertThat(s.f1()).isCloseTo(2 * 0.8 * 0.5 / 1.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(new Evaluation.Score(100, 0, 0, 0, 5).f1()).isZero();
    }

    @Test
    void theGateKeepsBackAModelWorseThanTheMarginAndPassesOneWithin() {
        Evaluation.Score current = new Evaluation.Score(100, 10, 8, 2, 2);
        Evaluation.Score slightlyWorse = new Evaluation.Score(100, 10, 8, 2, 3);
        Evaluation.Score muchWorse = new Evaluation.Score(100, 10, 3, 7, 7);
        assertThat(PromotionGate.decide(slightlyWorse, current, 0.05, false).promote()).isTrue();
        PromotionGate.Decision d = PromotionGate.decide(muchWorse, current, 0.05, false);
        assertThat(d.promote()).isFalse();
        assertThat(d.reason()).contains("kept back", "0.300", "0.800");
        assertThat(PromotionGate.decide(muchWorse, current, 0.05, true).reason()).startsWith("promoted by manual override");
        assertThat(PromotionGate.decide(muchWorse, null, 0.05, false).reason()).contains("no current model");
        assertThat(PromotionGate.decide(new Evaluation.Score(100, 0, 0, 0, 0), current, 0.05, false).reason())
                .contains("cannot measure");
    }

    /** Idealised checkouts on four lanes, every 6th transaction with one unregistered item (a PSD) and its incident. */
    static List<TransactionSequence> checkouts(List<ConfirmedIncident> incidents) {
        Random rnd = new Random(11);
        String[] items = {"PSBD", "PBSD", "PSBD", "PBD", "PDBSD"};
        List<TransactionSequence> out = new ArrayList<>();
        long t = 1_767_261_600_000L;
        for (LaneKey lane : lanes(4)) {
            for (int x = 0; x < 40; x++) {
                String txn = lane.laneId() + "-" + x;
                StringBuilder sb = new StringBuilder();
                List<Long> times = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String item = (x % 6 == 0 && i == 4) ? "PSD" : items[rnd.nextInt(items.length)];
                    for (int k = 0; k < item.length(); k++) {
                        sb.append(item.charAt(k));
                        times.add(t + k * 500L);
                    }
                    if (item.equals("PSD")) {
                        incidents.add(ConfirmedIncident.newBuilder().setStoreId("S001").setLaneId(lane.laneId())
                                .setTxnId(txn).setTs(t + 500).setKind(IncidentKind.FAKE_SCAN).build());
                    }
                    t += 4_000;
                }
                t += 60_000;
                out.add(new TransactionSequence("S001", lane.laneId(), txn, "C1", sb.toString(),
                        times.stream().mapToLong(Long::longValue).toArray(), new long[sb.length()]));
            }
        }
        return out;
    }

    @Test
    void divisionsRunInParallelGiveTheSameRowsAsOnOneWorker() throws Exception {
        List<ConfirmedIncident> incidents = new ArrayList<>();
        List<TransactionSequence> txns = checkouts(incidents);
        MiningOptions o = MiningOptions.defaults().withLw(3, 6)
                .withSvm(new SvmOptions(20, 100, MiningOptions.DEFAULT_SVM_C, -1, 3));
        List<List<LaneKey>> divisions = Evaluation.divisions(lanes(4), 6, 0, 1);
        Evaluation.Report one = new ForkJoinPool(1).submit(() -> Evaluation.run(txns, incidents, o, divisions,
                Evaluation.PAPER_THRESHOLDS, Evaluation.DEFAULT_TOLERANCE_MS, m -> { })).get();
        Evaluation.Report many = new ForkJoinPool(4).submit(() -> Evaluation.run(txns, incidents, o, divisions,
                Evaluation.PAPER_THRESHOLDS, Evaluation.DEFAULT_TOLERANCE_MS, m -> { })).get();
        assertThat(one.rows()).hasSize(6 * 4 * Evaluation.PAPER_THRESHOLDS.length);
        assertThat(many.rows()).isEqualTo(one.rows());
        assertThat(many.trainingLanes()).isEqualTo(one.trainingLanes());
        Evaluation.Row svm = one.total(io.shrinkwatch.schema.WeightScheme.SVM, 0.6);
        assertThat(svm.truePositives()).as("held-out fake scans found").isPositive();
    }
}
