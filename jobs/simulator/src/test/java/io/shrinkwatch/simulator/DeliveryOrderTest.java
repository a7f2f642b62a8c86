package io.shrinkwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of merging per-lane event lists into one delivery order. */
class DeliveryOrderTest {

    static List<Long> all(List<List<Long>> lists) {
        List<Long> out = new ArrayList<>();
        DeliveryOrder.interleave(lists, Long::longValue).forEachRemaining(out::add);
        return out;
    }

    @Test
    void interleavesListsByTimeAndKeepsEachListsOwnOrder() {
        // The second list is slightly out of order (12 before 11): it stays so, as delivered.
        assertThat(all(List.of(List.of(10L, 20L, 30L), List.of(12L, 11L, 25L), List.of()))).containsExactly(10L, 12L,
                11L, 20L, 25L, 30L);
    }

    @Test
    void aTieGoesToTheEarlierList() {
        // Beyond Long's cache of small values, so the two are distinct objects.
        List<Long> a = List.of(Long.valueOf(5_000));
        List<Long> b = List.of(Long.valueOf(5_000));
        List<Long> out = new ArrayList<>();
        DeliveryOrder.interleave(List.of(b, a), Long::longValue).forEachRemaining(out::add);
        assertThat(out.get(0)).isSameAs(b.get(0)).isNotSameAs(a.get(0));
        assertThat(all(List.of())).isEmpty();
    }
}
