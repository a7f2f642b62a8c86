package io.shrinkwatch.benchmarks;

import io.shrinkwatch.algorithm.classify.SegmentationRules;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.schema.PatternEntry;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import io.shrinkwatch.simulator.GroundTruthItem;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prints the README's "Results on simulated lanes" tables: train on a simulated 6-lane day, score the next day against
 * ground truth, per weight scheme, threshold, segmentation rule set, noise level and seed, and the twelve days
 * (seeds 7-117) the segmentation rules are judged on, and twelve held-out days (seeds 127-237). Deterministic: the
 * same build prints the same tables.
 * Usage: {@code java -cp jobs/benchmarks/target/benchmarks.jar io.shrinkwatch.benchmarks.EvaluationReport}.
 */
public final class EvaluationReport {

    private static final long[] SEEDS = {7, 17, 27};

    private EvaluationReport() {
    }

    record Day(List<TransactionSequence> test, List<GroundTruthItem> truth, PatternModel model) {
    }

    /** A simulated 6-lane, 16-hour day and the next, with their sequences, and the model mined from the first. */
    record TrainedDay(Simulator.StoreOutput train, List<TransactionSequence> trainSequences,
            Simulator.StoreOutput test, List<TransactionSequence> testSequences, PatternModel model) {
    }

    static TrainedDay trained(long seed, double noise) {
        PriceCatalog catalog = PriceCatalog.bundled();
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(1, 6, 16, seed).withNoiseScale(noise);
        Simulator.StoreOutput train = new Simulator(cfg, catalog).simulateStore(0);
        Simulator.StoreOutput test = new Simulator(cfg.withSize(1, 6, 16, seed + 1).withNoiseScale(noise), catalog)
                .simulateStore(0);
        List<TransactionSequence> trainSequences = AlgorithmBenchmark.sequences(train);
        PatternModel model = new Miner().mine(trainSequences, train.incidents(), MiningOptions.defaults(), 0,
                m -> { }).model();
        return new TrainedDay(train, trainSequences, test, AlgorithmBenchmark.sequences(test), model);
    }

    static Day day(long seed, double noise) {
        TrainedDay d = trained(seed, noise);
        return new Day(d.testSequences(), d.test().truth(), d.model());
    }

    /** The fake scans {@code det} finds in {@code sequences}, as detections to score. */
    static List<GroundTruthMatcher.Detection> detections(Detector det, List<TransactionSequence> sequences) {
        List<GroundTruthMatcher.Detection> found = new ArrayList<>();
        for (TransactionSequence t : sequences) {
            det.detect(t).fakeScans().forEach(f -> found.add(new GroundTruthMatcher.Detection(t.storeId(), t.laneId(),
                    f.sTs())));
        }
        return found;
    }

    static GroundTruthMatcher.Score score(Day d, WeightScheme scheme, double threshold, SegmentationRules rules) {
        return GroundTruthMatcher.score(d.truth(), detections(new Detector(d.model(), scheme, threshold, rules),
                d.test()), GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
    }

    static String cell(GroundTruthMatcher.Score s) {
        return String.format("%d/%d P %.2f R %.2f A %d/%d", s.truePositives(), s.falsePositives(), s.precision(),
                s.recall(GroundTruthItem.SCAN_NO_BARCODE), s.found(GroundTruthItem.PASS_AROUND),
                s.truth(GroundTruthItem.PASS_AROUND));
    }

    static SegmentationRules withoutUnscanned(SegmentationRules r) {
        return r.withUnscannedItems(false, 0, 0);
    }

    public static void main(String[] args) {
        Day d = day(17, 1.0);
        System.out.println("## Top patterns of the seed-17 training day (cf. KDD'11 Table 1)");
        System.out.println("| pattern | repeats (transactions) | occurrences | SVM weight | frequency weight |");
        System.out.println("|---|---|---|---|---|");
        List<PatternEntry> byRepeats = new ArrayList<>(d.model().getPatterns());
        byRepeats.sort(Comparator.comparingInt(PatternEntry::getTransactions).reversed());
        for (PatternEntry e : byRepeats.subList(0, 8)) {
            System.out.printf("| %s | %d | %d | %.3f | %.4f |%n", e.getPositive(), e.getTransactions(),
                    e.getOccurrences(), e.getWeightSvm(), e.getWeightFrequency());
        }
        System.out.printf("(%d patterns kept; learned plausibility P->S >= %d ms, S->D >= %d ms; unscanned items P->D "
                + "%d-%d ms)%n", d.model().getPatterns().size(), d.model().getMinPickupToScanMs(),
                d.model().getMinScanToDropMs(), d.model().getMinPickupToDropMs(), d.model().getMaxPickupToDropMs());
        System.out.println("(cells: correct/false alerts, precision, recall of the items with a scan motion, and A: "
                + "found / all of the items passed around the scanner)");

        SegmentationRules full = ModelIo.rules(d.model());
        SegmentationRules[] ruleSets = {SegmentationRules.paper(),
            new SegmentationRules(full.minFakeGapMs(), full.reconcileBeforeMs(), full.reconcileAfterMs(), 0, 0),
            withoutUnscanned(full), full, full.withAlignScans(true)};
        String[] ruleNames = {"paper only", "+ reconciliation", "+ reconciliation + plausibility",
            "+ unscanned items (default)", "default + scan alignment"};
        System.out.println();
        System.out.println("## Seed 17, default noise: correct/false alerts, precision, scan-motion recall");
        System.out.println("| rules | scheme | t=0.5 | t=0.6 | t=0.7 | t=0.8 | t=0.9 |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int r = 0; r < ruleSets.length; r++) {
            for (WeightScheme ws : WeightScheme.values()) {
                StringBuilder sb = new StringBuilder("| " + ruleNames[r] + " | " + ws + " |");
                for (double t = 0.5; t < 0.95; t += 0.1) {
                    sb.append(' ').append(cell(score(d, ws, t, ruleSets[r]))).append(" |");
                }
                System.out.println(sb);
            }
        }
        System.out.println();
        for (long first : new long[] {7, 127}) {
            System.out.printf("## Twelve %sdays (seeds %d-%d, each trained on its day, scored on the next), default "
                    + "noise%n", first == 7 ? "" : "held-out ", first, first + 110);
            System.out.println("| rules | correct / false, all days | items with a scan motion found | passed around "
                    + "found | per seed |");
            System.out.println("|---|---|---|---|---|");
            List<Day> days = new ArrayList<>();
            for (long seed = first; seed <= first + 110; seed += 10) {
                days.add(seed == 17 ? d : day(seed, 1.0));
            }
            String[] names = {"without unscanned items (before session 10)", "default", "default + scan alignment"};
            for (int v = 0; v < names.length; v++) {
                int correct = 0;
                int wrong = 0;
                int scanFound = 0;
                int scanAll = 0;
                int aroundFound = 0;
                int aroundAll = 0;
                StringBuilder per = new StringBuilder();
                for (int i = 0; i < days.size(); i++) {
                    Day td = days.get(i);
                    SegmentationRules r = ModelIo.rules(td.model());
                    r = v == 0 ? withoutUnscanned(r) : r.withAlignScans(v == 2);
                    GroundTruthMatcher.Score sc = score(td, td.model().getDefaultScheme(), td.model().getThreshold(),
                            r);
                    correct += sc.truePositives();
                    wrong += sc.falsePositives();
                    scanFound += sc.found(GroundTruthItem.SCAN_NO_BARCODE);
                    scanAll += sc.truth(GroundTruthItem.SCAN_NO_BARCODE);
                    aroundFound += sc.found(GroundTruthItem.PASS_AROUND);
                    aroundAll += sc.truth(GroundTruthItem.PASS_AROUND);
                    per.append(i == 0 ? "" : "; ").append(first + 10L * i).append(": ").append(cell(sc));
                }
                System.out.printf("| %s | %d / %d (P %.3f) | %d / %d (R %.3f) | %d / %d | %s |%n", names[v], correct,
                        wrong, (double) correct / (correct + wrong), scanFound, scanAll, (double) scanFound / scanAll,
                        aroundFound, aroundAll, per);
            }
            System.out.println();
        }
        System.out.println();
        System.out.println("## Noise sensitivity: default model and detector (SVM, t=0.6), by seed");
        System.out.println("| noise scale | seed 7 | seed 17 | seed 27 |");
        System.out.println("|---|---|---|---|");
        for (double noise : new double[] {0.5, 0.75, 1.0, 1.5}) {
            StringBuilder sb = new StringBuilder(String.format("| %.2f |", noise));
            for (long seed : SEEDS) {
                Day nd = day(seed, noise);
                sb.append(' ').append(cell(score(nd, nd.model().getDefaultScheme(), nd.model().getThreshold(),
                        ModelIo.rules(nd.model())))).append(" |");
            }
            System.out.println(sb);
        }
    }
}
