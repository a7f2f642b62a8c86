package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests of the per-lane queue of transactions waiting to settle. */
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

    @Test
    void keepsTheLatestTimeOfEachTransactionSortedByTimeThenIdOnRandomInput() {
        java.util.Random rnd = new java.util.Random(5);
        for (int round = 0; round < 200; round++) {
            LaneDetectorFunction.SettleQueue q = new LaneDetectorFunction.SettleQueue();
            java.util.Map<String, Long> latest = new java.util.HashMap<>();
            for (int k = 0; k < rnd.nextInt(30); k++) {
                String id = "T" + rnd.nextInt(10);
                long at = rnd.nextInt(5) * 100L;
                q.put(id, at);
                latest.put(id, at);
            }
            java.util.List<String> expected = new java.util.ArrayList<>(latest.keySet());
            expected.sort(java.util.Comparator.<String>comparingLong(latest::get).thenComparing(x -> x));
            assertThat(q.txn).as("round %d", round).containsExactlyElementsOf(expected);
            assertThat(q.when).containsExactly(expected.stream().mapToLong(latest::get).toArray());
        }
    }
}
