package io.shrinkwatch.algorithm.lane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests of per-lane clock offsets: pieces in POS time. */
class ClockOffsetsTest {

    private static final LaneKey L1 = new LaneKey("S001", "L01");
    private static final LaneKey L2 = new LaneKey("S001", "L02");

    @Test
    void piecesApplyFromTheirStartAndTheFirstPieceBeforeIt() {
        ClockOffsets o = new ClockOffsets().put(L1, 1_000, 50).put(L1, 5_000, 70);
        assertThat(o.toCamera(L1, 0)).isEqualTo(50);
        assertThat(o.toCamera(L1, 4_999)).isEqualTo(4_999 + 50);
        assertThat(o.toCamera(L1, 5_000)).isEqualTo(5_000 + 70);
        assertThat(o.offset(L2, 5_000)).isZero();
    }

    @Test
    void aLanesResolvedOffsetsPlaceEveryTimeAsTheMapDoes() {
        Random rnd = new Random(19);
        for (int trial = 0; trial < 500; trial++) {
            ClockOffsets o = new ClockOffsets();
            int pieces = rnd.nextInt(6);
            for (int i = 0; i < pieces; i++) {
                long from = rnd.nextInt(2) == 0 && i == 0 ? Long.MIN_VALUE : rnd.nextInt(100_000);
                o.put(L1, from, rnd.nextInt(4_001) - 2_000);
            }
            ClockOffsets.LaneOffsets lane = o.of(L1);
            for (int k = 0; k < 50; k++) {
                long ts = rnd.nextInt(120_000) - 10_000;
                assertThat(lane.toCamera(ts)).as("trial %d, ts %d", trial, ts).isEqualTo(o.toCamera(L1, ts));
            }
            // the piece starts themselves, where an off-by-one would show
            for (long start : o.pieces().getOrDefault(L1, new java.util.TreeMap<>()).keySet()) {
                if (start != Long.MIN_VALUE) {
                    assertThat(lane.offset(start)).isEqualTo(o.offset(L1, start));
                    assertThat(lane.offset(start - 1)).isEqualTo(o.offset(L1, start - 1));
                }
            }
        }
        assertThat(ClockOffsets.LaneOffsets.constant(-140).toCamera(1_000)).isEqualTo(860);
        assertThat(new ClockOffsets().of(L2).offset(5_000)).isZero();
    }
}
