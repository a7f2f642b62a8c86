package io.shrinkwatch.remining;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.algorithm.weights.SvmOptions;
import io.shrinkwatch.detection.Archive;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.LaneSequence;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The re-mining batch job on a MiniCluster over a simulated week of four lanes. */
class RemineJobITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static List<LaneSequence> week = new ArrayList<>();
    static List<ConfirmedIncident> incidents;

    /** Fewer L = W runs and SVM splits than the paper's, to keep the suite fast; the protocol is the same. */
    static final MiningOptions FAST = MiningOptions.defaults().withLw(3, 8)
            .withSvm(new SvmOptions(20, 250, MiningOptions.DEFAULT_SVM_C, -1.0, 1));

    @TempDir
    Path dir;

    @BeforeAll
    static void simulateAWeek() {
        // A week of opening hours (7 x 16 h, run back to back) of 4 lanes: ~7,500 transactions.
        Simulator.StoreOutput o = new Simulator(SimulatorConfig.defaults().withSize(1, 4, 7 * 16, 51),
                PriceCatalog.bundled()).simulateStore(0);
        for (TransactionSequence t : new LaneSequenceBuilder().buildEstimatingClocks(o.primitives(), o.tlog(),
                new LaneSequenceBuilder.Stats())) {
            LaneSequence s = Archive.sequence(t, 0, "m-archive", List.of());
            week.add(s);
            if (week.size() % 10 == 0) {
                // A replayed detection run archives some transactions twice; the job must count them once, and
                // prefer a copy aligned with a trusted clock.
                week.add(LaneSequence.newBuilder(s).setModelId("m-replay").setClockTrusted(week.size() % 20 != 0)
                        .build());
            }
            if (week.size() % 500 == 1) {
                // Aligned with a clock estimate the job did not trust (a new lane): re-mining leaves it out.
                week.add(LaneSequence.newBuilder(s).setTxnId(s.getTxnId() + "-untrusted").setClockTrusted(false)
                        .build());
            }
        }
        incidents = o.incidents();
    }

    static RemineJob.Input input() {
        return new RemineJob.Input() {
            @Override
            public DataStream<LaneSequence> sequences(StreamExecutionEnvironment env) {
                return env.fromData(week, TypeInformation.of(LaneSequence.class));
            }

            @Override
            public DataStream<ConfirmedIncident> incidents(StreamExecutionEnvironment env) {
                return env.fromData(incidents, TypeInformation.of(ConfirmedIncident.class));
            }
        };
    }

    static RemineJob job(MiningOptions o) {
        Configuration conf = new Configuration();
        conf.set(RemineOptions.PARALLELISM, 2);
        return new RemineJob(input(), conf, o, new RemineJob.Window(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void aSimulatedWeekGivesTheSameModelByteForByteOnEveryRun() throws Exception {
        RemineJob.Result first = job(FAST).run(null, false, m -> { });
        RemineJob.Result second = job(FAST).run(null, false, m -> { });
        long distinct = week.stream().filter(LaneSequence::getClockTrusted).map(s -> s.getTxnId()).distinct().count();
        assertThat(week.stream().filter(s -> !s.getClockTrusted() && s.getTxnId().endsWith("-untrusted"))).isNotEmpty();
        assertThat(first.transactionsInWindow()).as("duplicates and untrusted removed").isEqualTo((int) distinct);
        long untrusted = week.stream().filter(s -> s.getTxnId().endsWith("-untrusted")).count();
        assertThat(first.untrustedClockTransactions()).as("left out, counted once each").isEqualTo((int) untrusted);
        assertThat(ModelIo.toBytes(second.mined().model())).isEqualTo(ModelIo.toBytes(first.mined().model()));
        assertThat(first.mined().model().getTrainingTransactions()).isEqualTo(distinct - first.heldOutTransactions());
        assertThat(first.evaluation().trainingLanes()).hasSize(6);
        assertThat(first.evaluation().rows()).hasSize(6 * 4 * 5);
        assertThat(first.candidateHeldOut().truePositives()).isPositive();

        ModelStore store = new ModelStore(dir);
        Path folder = store.keep(first);
        assertThat(folder.resolve("model.avro")).isNotEmptyFile();
        assertThat(folder.resolve("figure4.svg")).content().startsWith("<svg").contains("<polyline", "svm");
        assertThat(folder.resolve("report.md")).content().contains("Promotion gate", "| SVM | 0.6 |");
        assertThat(folder.resolve("evaluation.json")).content().contains("\"divisions\"", "\"true_positives\"",
                "\"untrusted_clock_transactions_left_out\" : " + untrusted);
        assertThat(folder.resolve("report.md")).content().contains(untrusted + " archived transactions were left out");
    }

    @Test
    void thePromotionGateRejectsADegradedModelAndAcceptsAGoodOne() throws Exception {
        ModelStore store = new ModelStore(dir);
        RemineJob.Result good = job(FAST).run(null, false, m -> { });
        assertThat(good.decision().promote()).isTrue();
        store.keep(good);
        store.promote(good.mined().model());
        assertThat(Files.readString(dir.resolve(ModelStore.CURRENT)).trim()).isEqualTo(good.mined().model().getModelId());

        // Degraded: only long patterns (L = W 9..10), which few transactions repeat, and a strict threshold.
        RemineJob.Result degraded = job(FAST.withLw(9, 10).withThreshold(0.9)).run(store.current(), false, m -> { });
        assertThat(degraded.decision().promote()).as(degraded.decision().reason()).isFalse();
        assertThat(degraded.decision().reason()).contains("kept back");
        assertThat(degraded.candidateHeldOut().f1()).isLessThan(good.candidateHeldOut().f1() - 0.02);
        assertThat(job(FAST.withLw(9, 10).withThreshold(0.9)).run(store.current(), true, m -> { }).decision().reason())
                .startsWith("promoted by manual override");

        RemineJob.Result again = job(FAST.withThreshold(0.6)).run(store.current(), false, m -> { });
        assertThat(again.decision().promote()).as(again.decision().reason()).isTrue();
    }
}
