package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.GroundTruthItem;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The detection job on a Flink MiniCluster with RocksDB state, over a simulated 6-lane day of bounded input. */
class DetectionJobITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final long SEED = 17;
    static PatternModel model;
    static Simulator.StoreOutput day;

    @BeforeAll
    static void trainOnOneDayAndSimulateTheNext() {
        PriceCatalog catalog = PriceCatalog.bundled();
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(1, 6, 16, SEED);
        Simulator.StoreOutput train = new Simulator(cfg, catalog).simulateStore(0);
        model = mined(train);
        day = new Simulator(cfg.withSize(1, 6, 16, SEED + 1), catalog).simulateStore(0);
    }

    /** The model the miner builds from a simulated training day (its confirmed incidents included), with defaults. */
    static PatternModel mined(Simulator.StoreOutput train) {
        return new Miner().mine(sequences(train), train.incidents(), MiningOptions.defaults(), 0, m -> { }).model();
    }

    static List<TransactionSequence> sequences(Simulator.StoreOutput o) {
        return new LaneSequenceBuilder().buildEstimatingClocks(o.primitives(), o.tlog(), new LaneSequenceBuilder.Stats());
    }

    static List<FakeScanAlert> runJob(int parallelism) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(500);
        return DetectionJob.alertsOf(env, model, conf, day.primitives().stream().map(LaneEvent::of).toList(),
                day.tlog().stream().map(LaneEvent::of).toList(), "detection-itcase");
    }

    static Set<String> keys(List<FakeScanAlert> alerts) {
        Set<String> out = new HashSet<>();
        alerts.forEach(a -> out.add(a.laneId + "/" + a.txnId + "/" + a.scanTs));
        return out;
    }

    @Test
    void findsTheSimulatorsUnregisteredItemsLikeTheLibraryDoes() throws Exception {
        List<FakeScanAlert> alerts = runJob(2);
        List<GroundTruthMatcher.Detection> found = alerts.stream()
                .map(a -> new GroundTruthMatcher.Detection(a.storeId, a.laneId, a.scanTs)).toList();
        GroundTruthMatcher.Score job = GroundTruthMatcher.score(day.truth(), found,
                GroundTruthMatcher.DEFAULT_TOLERANCE_MS);

        Detector detector = Detector.of(model);
        List<GroundTruthMatcher.Detection> batch = new ArrayList<>();
        for (TransactionSequence t : sequences(day)) {
            detector.detect(t).fakeScans().forEach(f -> batch.add(new GroundTruthMatcher.Detection(t.storeId(),
                    t.laneId(), f.sTs())));
        }
        GroundTruthMatcher.Score library = GroundTruthMatcher.score(day.truth(), batch,
                GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
        System.out.printf("job: %d/%d P %.2f R %.2f; library: %d/%d P %.2f R %.2f%n", job.truePositives(),
                job.falsePositives(), job.precision(), job.recall(GroundTruthItem.SCAN_NO_BARCODE),
                library.truePositives(), library.falsePositives(), library.precision(),
                library.recall(GroundTruthItem.SCAN_NO_BARCODE));
        assertThat(alerts).allSatisfy(a -> assertThat(a.modelId).isEqualTo(model.getModelId()));
        // Measured (session 14): job 33 correct / 7 false, library 34 / 7. They differ only in clock estimation: the job
        // uses the event-time window before each transaction, the library one estimate per hour of the whole file.
        assertThat(job.truePositives()).isGreaterThanOrEqualTo(library.truePositives() - 2);
        assertThat(job.falsePositives()).isLessThanOrEqualTo(library.falsePositives() + 3);
    }

    @Test
    void givesTheSameAlertsAtParallelismOneAsAtTwo() throws Exception {
        Set<String> one = keys(runJob(1));
        assertThat(one).hasSizeGreaterThan(20);
        assertThat(one).isEqualTo(keys(runJob(2)));
    }
}
