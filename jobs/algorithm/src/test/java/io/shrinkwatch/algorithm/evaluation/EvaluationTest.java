package io.shrinkwatch.algorithm.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shrinkwatch.algorithm.lane.LaneKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
