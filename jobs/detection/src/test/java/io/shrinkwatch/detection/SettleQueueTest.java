package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SettleQueueTest {

    @Test
    void transactionsComeOutInTimerOrderTimeThenId() {
        LaneDetectorFunction.SettleQueue q = new LaneDetectorFunction.SettleQueue().put("T3", 300).put("T1", 100)
                .put("T2b", 200).put("T2a", 200);
        assertThat(q.txn).containsExactly("T1", "T2a", "T2b", "T3");
        assertThat(q.when).containsExactly(100, 200, 200, 300);
    }

    @Test
    void aRepeatedTxnEndMovesTheTransactionInsteadOfAddingIt() {
        LaneDetectorFunction.SettleQueue q = new LaneDetectorFunction.SettleQueue().put("T1", 100).put("T2", 200)
                .put("T1", 250);
        assertThat(q.txn).containsExactly("T2", "T1");
        assertThat(q.when).containsExactly(200, 250);
    }

    @Test
    void pollingTakesEverythingDueAndLeavesTheRest() {
        LaneDetectorFunction.SettleQueue q = new LaneDetectorFunction.SettleQueue().put("T1", 100).put("T2", 200)
                .put("T3", 300);
        assertThat(q.pollDue(99)).isEmpty();
        assertThat(q.pollDue(200)).containsExactly("T1", "T2");
        assertThat(q.txn).containsExactly("T3");
        assertThat(q.isEmpty()).isFalse();
        assertThat(q.pollDue(Long.MAX_VALUE)).containsExactly("T3");
        assertThat(q.isEmpty()).isTrue();
    }
}
