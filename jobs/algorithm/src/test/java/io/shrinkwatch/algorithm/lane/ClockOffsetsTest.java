package io.shrinkwatch.algorithm.lane;

import static org.assertj.core.api.Assertions.assertThat;

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
}
