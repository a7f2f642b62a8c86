package io.shrinkwatch.benchmarks;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import io.shrinkwatch.algorithm.classify.Classification;
import io.shrinkwatch.algorithm.classify.Label;
import io.shrinkwatch.algorithm.classify.ScanEvent;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.simulator.GroundTruthItem;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue #2 experiment (session 14, not adopted; figures in the README): after the default rules, a
 * logistic-regression filter over the scan motions no scan used (the fake scans whose pickup or drop the camera
 * missed have no candidate under the paper's rule), trained per day on the training day's ground truth, the class of
 * missed fake scans weighted 10 and 100 times. Usage: {@code java -cp
 * jobs/benchmarks/target/benchmarks.jar io.shrinkwatch.benchmarks.LoneScanExperiment [FIRST_SEED]}.
 */
public final class LoneScanExperiment {

    record Cand(String store, String lane, long sTs, Feature[] x, boolean positive) {
    }

    record Day(List<Cand> train, List<Cand> test, List<GroundTruthItem> testTruth,
            List<GroundTruthMatcher.Detection> baseline) {
    }

    /** Binary indicators 1..NF; the bias is NF + 1. */
    static final int NF = 90;

    public static void main(String[] args) {
        long first = args.length > 0 ? Long.parseLong(args[0]) : 7;
        Linear.disableDebugOutput();
        List<Day> days = new ArrayList<>();
        for (long seed = first; seed <= first + 110; seed += 10) {
            days.add(day(seed));
        }
        int[] base = new int[3];
        int all = 0;
        long cands = 0;
        long pos = 0;
        for (Day d : days) {
            GroundTruthMatcher.Score s = GroundTruthMatcher.score(d.testTruth(), d.baseline(),
                    GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
            base[0] += s.truePositives();
            base[1] += s.falsePositives();
            base[2] += s.found(GroundTruthItem.SCAN_NO_BARCODE);
            all += s.truth(GroundTruthItem.SCAN_NO_BARCODE);
            cands += d.test().size();
            pos += d.test().stream().filter(Cand::positive).count();
        }
        System.out.printf("seeds %d-%d; default rules %d / %d, scan motion %d / %d (R %.3f); %d lone scan motions on "
                + "the test days, %d of them at a missed fake scan%n", first, first + 110, base[0], base[1], base[2],
                all, (double) base[2] / all, cands, pos);
        double[] thresholds = {0.5, 0.7, 0.8, 0.9, 0.95, 0.98};
        for (double c : new double[] {0.1, 1}) {
            for (double w : new double[] {10, 100}) {
                int[][] sums = new int[thresholds.length][3];
                for (Day d : days) {
                    if (d.train().stream().noneMatch(Cand::positive)) {
                        for (int ti = 0; ti < thresholds.length; ti++) {
                            GroundTruthMatcher.Score s = GroundTruthMatcher.score(d.testTruth(), d.baseline(),
                                    GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
                            sums[ti][0] += s.truePositives();
                            sums[ti][1] += s.falsePositives();
                            sums[ti][2] += s.found(GroundTruthItem.SCAN_NO_BARCODE);
                        }
                        continue;
                    }
                    Model m = train(d.train(), c, w);
                    for (int ti = 0; ti < thresholds.length; ti++) {
                        GroundTruthMatcher.Score s = apply(m, d, thresholds[ti]);
                        sums[ti][0] += s.truePositives();
                        sums[ti][1] += s.falsePositives();
                        sums[ti][2] += s.found(GroundTruthItem.SCAN_NO_BARCODE);
                    }
                }
                StringBuilder line = new StringBuilder(String.format("C=%.1f w=%.0f:", c, w));
                for (int ti = 0; ti < thresholds.length; ti++) {
                    line.append(String.format(" t=%.2f %d/%d (R %.3f)", thresholds[ti], sums[ti][0], sums[ti][1],
                            (double) sums[ti][2] / all));
                }
                System.out.println(line);
            }
        }
    }

    static Feature[] withBias(Feature[] x) {
        Feature[] out = java.util.Arrays.copyOf(x, x.length + 1);
        out[x.length] = new FeatureNode(NF + 1, 1);
        return out;
    }

    static Model train(List<Cand> cands, double c, double posWeight) {
        return LearnedFilterExperiment.logisticRegression(cands.stream().map(k -> withBias(k.x())).toList(),
                cands.stream().map(Cand::positive).toList(), NF + 1, c, posWeight);
    }

    static GroundTruthMatcher.Score apply(Model m, Day d, double threshold) {
        List<GroundTruthMatcher.Detection> out = new ArrayList<>(d.baseline());
        Map<String, List<Long>> taken = new HashMap<>();
        for (GroundTruthMatcher.Detection b : d.baseline()) {
            taken.computeIfAbsent(b.storeId() + "/" + b.laneId(), k -> new ArrayList<>()).add(b.scanTs());
        }
        for (Cand k : d.test()) {
            if (LearnedFilterExperiment.positiveProbability(m, withBias(k.x())) < threshold) {
                continue;
            }
            List<Long> near = taken.computeIfAbsent(k.store() + "/" + k.lane(), x -> new ArrayList<>());
            if (near.stream().anyMatch(t -> Math.abs(t - k.sTs()) < 3_000)) {
                continue;
            }
            near.add(k.sTs());
            out.add(new GroundTruthMatcher.Detection(k.store(), k.lane(), k.sTs()));
        }
        return GroundTruthMatcher.score(d.testTruth(), out, GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
    }

    static Day day(long seed) {
        EvaluationReport.TrainedDay day = EvaluationReport.trained(seed, 1.0);
        Detector det = Detector.of(day.model());
        List<GroundTruthMatcher.Detection> baseline = new ArrayList<>();
        List<Cand> testCands = candidates(det, day.testSequences(), day.test().truth(), baseline);
        List<Cand> trainCands = candidates(det, day.trainSequences(), day.train().truth(), new ArrayList<>());
        return new Day(trainCands, testCands, day.test().truth(), baseline);
    }

    /** Every scan motion no scan of the default rules used; the rules' fake scans go to {@code found}. */
    static List<Cand> candidates(Detector det, List<TransactionSequence> seqs, List<GroundTruthItem> truth,
            List<GroundTruthMatcher.Detection> found) {
        Map<String, List<GroundTruthItem>> byLane = new HashMap<>();
        for (GroundTruthItem g : truth) {
            if (g.sTs() != null) {
                byLane.computeIfAbsent(g.storeId() + "/" + g.laneId(), k -> new ArrayList<>()).add(g);
            }
        }
        List<Cand> out = new ArrayList<>();
        for (TransactionSequence t : seqs) {
            Detector.Result r = det.detect(t);
            String sym = t.symbols();
            long[] times = t.times();
            int n = sym.length();
            boolean[] used = new boolean[n];
            boolean[] claimedB = new boolean[n];
            List<Long> fakeTimes = new ArrayList<>();
            for (ScanEvent e : r.scans()) {
                for (int i : new int[] {e.anchorIndex(), e.pIndex(), e.sIndex(), e.dIndex()}) {
                    if (i >= 0) {
                        used[i] = true;
                    }
                }
                if (!e.fake()) {
                    claimedB[e.anchorIndex()] = true;
                } else {
                    fakeTimes.add(e.sTs());
                    found.add(new GroundTruthMatcher.Detection(t.storeId(), t.laneId(), e.sTs()));
                }
            }
            Classification c = r.classification();
            List<GroundTruthItem> laneTruth = byLane.getOrDefault(t.storeId() + "/" + t.laneId(), List.of());
            for (int s = 0; s < n; s++) {
                if (sym.charAt(s) != 'S' || used[s]) {
                    continue;
                }
                long ts = times[s];
                List<Integer> f = new ArrayList<>();
                Label label = c.labels()[s];
                f.add(1 + label.ordinal());
                f.add(5 + LearnedFilterExperiment.bin(c.posteriorFake(s), 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9));
                f.add(13 + nearestGapBin(sym, times, used, s, 'P', -1, true));
                f.add(21 + nearestGapBin(sym, times, used, s, 'D', +1, true));
                f.add(29 + nearestGapBin(sym, times, used, s, 'P', -1, false));
                f.add(37 + nearestGapBin(sym, times, used, s, 'D', +1, false));
                int nearestB = -1;
                for (int j = 0; j < n; j++) {
                    if (sym.charAt(j) == 'B' && (nearestB < 0 || Math.abs(times[j] - ts) < Math.abs(times[nearestB]
                            - ts))) {
                        nearestB = j;
                    }
                }
                if (nearestB < 0 || times[nearestB] - ts < -1_000 || times[nearestB] - ts > 3_000) {
                    f.add(45);
                } else {
                    f.add(46 + LearnedFilterExperiment.bin(times[nearestB] - ts, -500, 0, 250, 500, 1000, 2000));
                    f.add(claimedB[nearestB] ? 53 : 54);
                }
                int nearS = 0;
                for (int j = 0; j < n; j++) {
                    if (j != s && sym.charAt(j) == 'S' && Math.abs(times[j] - ts) <= 1_200) {
                        nearS++;
                    }
                }
                f.add(55 + Math.min(nearS, 2));
                f.add(58 + LearnedFilterExperiment.ctx(sym, s - 1));
                f.add(63 + LearnedFilterExperiment.ctx(sym, s + 1));
                f.add(68 + LearnedFilterExperiment.ctx(sym, s - 2));
                f.add(73 + LearnedFilterExperiment.ctx(sym, s + 2));
                boolean nearFake = fakeTimes.stream().anyMatch(x -> Math.abs(x - ts) < 3_000);
                f.add(nearFake ? 78 : 79);
                Feature[] x = f.stream().sorted().distinct().map(i -> (Feature) new FeatureNode(i, 1))
                        .toArray(Feature[]::new);
                boolean positive = false;
                for (GroundTruthItem g : laneTruth) {
                    if (Math.abs(g.sTs() - ts) <= GroundTruthMatcher.DEFAULT_TOLERANCE_MS
                            && fakeTimes.stream().noneMatch(x2 -> Math.abs(x2 - g.sTs())
                            <= GroundTruthMatcher.DEFAULT_TOLERANCE_MS)) {
                        positive = true;
                    }
                }
                out.add(new Cand(t.storeId(), t.laneId(), ts, x, positive));
            }
        }
        out.sort(java.util.Comparator.comparing(Cand::store).thenComparing(Cand::lane).thenComparingLong(Cand::sTs));
        return out;
    }

    /** The gap to the nearest {@code want} on one side (unused ones only, or any), binned; 7 when there is none. */
    static int nearestGapBin(String sym, long[] times, boolean[] used, int s, char want, int step, boolean unused) {
        for (int j = s + step; j >= 0 && j < sym.length(); j += step) {
            if (sym.charAt(j) == want && (!unused || !used[j])) {
                return LearnedFilterExperiment.bin(Math.abs(times[j] - times[s]), 100, 250, 500, 1000, 2000, 3000);
            }
        }
        return 7;
    }
}
