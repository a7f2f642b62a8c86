package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shrink metric windows over hand-made verdicts, on a small MiniCluster. */
class MetricsJobTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .build());

    static final long T0 = 1_767_261_600_000L;

    static TransactionVerdict verdict(String lane, String cashier, long endOffset, int items, long value, int fakes) {
        TransactionVerdict v = new TransactionVerdict();
        v.storeId = "S001";
        v.laneId = lane;
        v.txnId = lane + "-" + endOffset;
        v.cashierId = cashier;
        v.startTs = T0 + endOffset - 60_000;
        v.endTs = T0 + endOffset;
        v.itemsRegistered = items;
        v.registeredValueCents = value;
        v.trueScans = items;
        v.fakeScans = fakes;
        v.unclassifiedPrimitives = 1;
        v.modelId = "m-test";
        return v;
    }

    @Test
    void sumsVerdictsPerStoreLaneAndCashierInEachWindow() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<TransactionVerdict> in = List.of(verdict("L01", "C1", 10_000, 20, 5_000, 1),
                verdict("L02", "C2", 20_000, 10, 3_000, 0), verdict("L01", "C1", 70_000, 5, 1_000, 2));
        List<ShrinkMetrics> out = new ArrayList<>();
        try (CloseableIterator<ShrinkMetrics> it = MetricsJob.wire(env.fromData(in,
                TypeInformation.of(TransactionVerdict.class)), List.of(Duration.ofMinutes(1), Duration.ofHours(1)))
                .executeAndCollect("metrics-test")) {
            it.forEachRemaining(out::add);
        }
        // T0 is on a whole hour, so minute windows split at T0 + 60 s and the hour window holds all three.
        ShrinkMetrics storeHour = out.stream().filter(m -> m.scope.equals("store")
                && m.windowEnd - m.windowStart == 3_600_000).findFirst().orElseThrow();
        assertThat(storeHour.transactions).isEqualTo(3);
        assertThat(storeHour.registeredItems).isEqualTo(35);
        assertThat(storeHour.fakeScans).isEqualTo(3);
        assertThat(storeHour.fakeScansPerThousandItems()).isEqualTo(1000.0 * 3 / 35);
        assertThat(storeHour.estimatedLossCents()).isEqualTo(Math.round(3 * 9_000 / 35.0));
        List<ShrinkMetrics> laneMinutes = out.stream().filter(m -> m.scope.equals("lane") && m.scopeId.equals("S001/L01")
                && m.windowEnd - m.windowStart == 60_000).toList();
        assertThat(laneMinutes).extracting(m -> m.fakeScans).containsExactlyInAnyOrder(1L, 2L);
        assertThat(out.stream().filter(m -> m.scope.equals("cashier") && m.scopeId.equals("C2"))).hasSize(2);
        assertThat(out).hasSize(2 /* store minutes */ + 1 + 3 /* lane minutes */ + 2 + 3 /* cashier minutes */ + 2);
    }
}
