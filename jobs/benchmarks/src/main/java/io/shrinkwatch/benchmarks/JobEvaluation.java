package io.shrinkwatch.benchmarks;

import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.detection.DetectionJob;
import io.shrinkwatch.detection.LaneEvent;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.GroundTruthItem;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import io.shrinkwatch.simulator.Simulator;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@link EvaluationReport}'s twelve days and twelve held-out days through the streaming detection job instead of the
 * library: each day trained on its seed, the next day's primitives and TLog lines streamed through
 * {@link DetectionJob} (heap state, parallelism 2, checkpoints every second, the job's defaults otherwise) on a local
 * MiniCluster, and its alerts scored against the simulator's ground truth beside the library's on the same day. The
 * two differ by design in the clock offset (the job estimates it from the lane's half hour before each transaction
 * and withholds the fake scans of a lane whose clock it does not trust yet; the library, one estimate per hour of the
 * whole day). Usage: {@code java -cp jobs/benchmarks/target/benchmarks.jar io.shrinkwatch.benchmarks.JobEvaluation}; job
 * options ({@code shrinkwatch.*}) may be given as system properties, as for {@link DetectionThroughput}.
 */
public final class JobEvaluation {

    private JobEvaluation() {
    }

    /** Correct and false alerts, and found / all items with a scan motion and passed around the scanner. */
    record Tally(int correct, int wrong, int scanFound, int scanAll, int aroundFound, int aroundAll) {

        Tally plus(GroundTruthMatcher.Score s) {
            return new Tally(correct + s.truePositives(), wrong + s.falsePositives(),
                    scanFound + s.found(GroundTruthItem.SCAN_NO_BARCODE),
                    scanAll + s.truth(GroundTruthItem.SCAN_NO_BARCODE),
                    aroundFound + s.found(GroundTruthItem.PASS_AROUND),
                    aroundAll + s.truth(GroundTruthItem.PASS_AROUND));
        }

        @Override
        public String toString() {
            return String.format("%d / %d (P %.3f), scan motion %d / %d (R %.3f), passed around %d / %d", correct,
                    wrong, (double) correct / Math.max(1, correct + wrong), scanFound, scanAll,
                    (double) scanFound / Math.max(1, scanAll), aroundFound, aroundAll);
        }
    }

    public static void main(String[] args) throws Exception {
        for (long first : new long[] {7, 127}) {
            Tally job = new Tally(0, 0, 0, 0, 0, 0);
            Tally library = job;
            StringBuilder per = new StringBuilder();
            for (long seed = first; seed <= first + 110; seed += 10) {
                EvaluationReport.TrainedDay day = EvaluationReport.trained(seed, 1.0);
                Simulator.StoreOutput test = day.test();
                GroundTruthMatcher.Score j = score(test, runJob(day.model(), test));
                GroundTruthMatcher.Score l = score(test, EvaluationReport.detections(Detector.of(day.model()),
                        day.testSequences()));
                job = job.plus(j);
                library = library.plus(l);
                per.append(seed == first ? "" : "; ").append(seed).append(": job ").append(EvaluationReport.cell(j))
                        .append(", library ").append(EvaluationReport.cell(l));
                System.err.printf("seed %d done%n", seed);
            }
            System.out.printf("seeds %d-%d%n  job:     %s%n  library: %s%n  per seed: %s%n", first, first + 110, job,
                    library, per);
        }
    }

    static GroundTruthMatcher.Score score(Simulator.StoreOutput day, List<GroundTruthMatcher.Detection> found) {
        return GroundTruthMatcher.score(day.truth(), found, GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
    }

    static List<GroundTruthMatcher.Detection> runJob(PatternModel model, Simulator.StoreOutput day) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        DetectionThroughput.applyJobProperties(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1_000);
        return DetectionJob.alertsOf(env, model, conf, day.primitives().stream().map(LaneEvent::of).toList(),
                day.tlog().stream().map(LaneEvent::of).toList(), "job-evaluation").stream()
                .map(a -> new GroundTruthMatcher.Detection(a.storeId, a.laneId, a.scanTs)).toList();
    }
}
