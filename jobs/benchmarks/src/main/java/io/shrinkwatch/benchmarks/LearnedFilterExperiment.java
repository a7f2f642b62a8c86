package io.shrinkwatch.benchmarks;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import io.shrinkwatch.algorithm.classify.Classification;
import io.shrinkwatch.algorithm.classify.ScanEvent;
import io.shrinkwatch.algorithm.classify.SegmentationRules;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.GroundTruthItem;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue #2 experiment (session 14, not adopted): a logistic-regression filter over fake-scan candidates in place of the
 * hand-written withdrawal rules.
 *
 * <p>Candidates are every F-labelled scan motion the segmenter pairs with a pickup and a drop when reconciliation,
 * plausibility and the 3 s gap are all off. Each gets binary indicators: binned posteriors, pickup-to-scan and
 * scan-to-drop gaps and the learned plausibility bounds, the nearest orphaned barcode (offset, count, whether another
 * unused scan motion lies just before it, whether a pickup lies between the candidate's drop and it, its position),
 * the nearest claimed barcode, repeated scan motions nearby, and two symbols of context on each side; optionally the
 * rules' own verdict. A model (liblinear L2-regularised logistic regression) is trained per day on the training day's
 * candidates labelled by its ground truth, applied to the next day's with the 3 s gap, and scored like
 * {@link EvaluationReport}'s twelve days. Usage: {@code java -cp jobs/benchmarks/target/benchmarks.jar
 * io.shrinkwatch.benchmarks.LearnedFilterExperiment [FIRST_SEED]} (7: the twelve days, 127: the held-out twelve).
 */
public final class LearnedFilterExperiment {

    record Cand(String store, String lane, long sTs, Feature[] x, boolean positive) {
    }

    record Day(List<Cand> train, List<Cand> test, List<GroundTruthItem> testTruth, GroundTruthMatcher.Score baseline) {
    }

    /** Features are binary indicators 1..NF (bins of each quantity); the bias is NF + 1. */
    static final int NF = 82;
    /** The indicator that the hand-written rules raise the candidate (the next one: they withdraw it). */
    static final int RULES_ACCEPT = 79;

    public static void main(String[] args) {
        long first = args.length > 0 ? Long.parseLong(args[0]) : 7;
        Linear.disableDebugOutput();
        List<Day> days = new ArrayList<>();
        for (long seed = first; seed <= first + 110; seed += 10) {
            days.add(day(seed));
        }
        int bTp = 0;
        int bFp = 0;
        int bFound = 0;
        int all = 0;
        long candPos = 0;
        long candAll = 0;
        for (Day d : days) {
            bTp += d.baseline().truePositives();
            bFp += d.baseline().falsePositives();
            bFound += d.baseline().found(GroundTruthItem.SCAN_NO_BARCODE);
            all += d.baseline().truth(GroundTruthItem.SCAN_NO_BARCODE);
            for (Cand k : d.test()) {
                candAll++;
                candPos += k.positive() ? 1 : 0;
            }
        }
        System.out.printf("seeds %d-%d; the rules (no unscanned items): %d / %d, scan-motion items found %d / %d "
                + "(R %.3f, P %.3f); %d candidates on the test days, %d within the tolerance of one%n", first,
                first + 110, bTp, bFp, bFound, all, (double) bFound / all, (double) bTp / (bTp + bFp), candAll,
                candPos);
        double[] thresholds = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7};
        for (boolean withRules : new boolean[] {false, true}) {
            for (double c : new double[] {0.1, 1}) {
                for (double w : new double[] {1, 3}) {
                    StringBuilder line = new StringBuilder(String.format("%s C=%.1f w=%.0f:",
                            withRules ? "with the rules' verdict" : "features only", c, w));
                    int[][] sums = new int[thresholds.length][3];
                    for (Day d : days) {
                        Model m = train(d.train(), withRules, c, w);
                        for (int ti = 0; ti < thresholds.length; ti++) {
                            GroundTruthMatcher.Score s = apply(m, d, withRules, thresholds[ti]);
                            sums[ti][0] += s.truePositives();
                            sums[ti][1] += s.falsePositives();
                            sums[ti][2] += s.found(GroundTruthItem.SCAN_NO_BARCODE);
                        }
                    }
                    for (int ti = 0; ti < thresholds.length; ti++) {
                        line.append(String.format(" t=%.1f %d/%d (R %.3f)", thresholds[ti], sums[ti][0], sums[ti][1],
                                (double) sums[ti][2] / all));
                    }
                    System.out.println(line);
                }
            }
        }
    }

    /** The candidate's features, without the rules' verdict unless asked, and the bias feature. */
    static Feature[] features(Cand k, boolean withRules) {
        List<Feature> x = new ArrayList<>();
        for (Feature f : k.x()) {
            if (withRules || f.getIndex() < RULES_ACCEPT) {
                x.add(f);
            }
        }
        x.add(new FeatureNode(NF + 1, 1));
        return x.toArray(Feature[]::new);
    }

    static Model train(List<Cand> cands, boolean withRules, double c, double posWeight) {
        return logisticRegression(cands.stream().map(k -> features(k, withRules)).toList(),
                cands.stream().map(Cand::positive).toList(), NF + 1, c, posWeight);
    }

    /**
     * liblinear's L2-regularised logistic regression over {@code rows} (each carrying its bias indicator among
     * {@code features}), the positive class weighted {@code posWeight}.
     */
    static Model logisticRegression(List<Feature[]> rows, List<Boolean> positive, int features, double c,
            double posWeight) {
        Problem p = new Problem();
        p.l = rows.size();
        p.n = features;
        p.x = rows.toArray(Feature[][]::new);
        p.y = new double[p.l];
        p.bias = 1;
        for (int i = 0; i < p.l; i++) {
            p.y[i] = positive.get(i) ? 1 : -1;
        }
        Parameter param = new Parameter(SolverType.L2R_LR, c, 0.001);
        param.setWeights(new double[] {posWeight, 1}, new int[] {1, -1});
        return Linear.train(p, param);
    }

    /** The model's probability that {@code row} is of the positive class. */
    static double positiveProbability(Model m, Feature[] row) {
        double[] prob = new double[2];
        Linear.predictProbability(m, row, prob);
        return prob[m.getLabels()[0] == 1 ? 0 : 1];
    }

    static GroundTruthMatcher.Score apply(Model m, Day d, boolean withRules, double threshold) {
        List<GroundTruthMatcher.Detection> out = new ArrayList<>();
        Map<String, Long> last = new HashMap<>();
        for (Cand k : d.test()) {
            if (positiveProbability(m, features(k, withRules)) < threshold) {
                continue;
            }
            String key = k.store() + "/" + k.lane();
            Long prev = last.get(key);
            if (prev != null && k.sTs() - prev < SegmentationRules.PAPER_MIN_FAKE_GAP_MS) {
                continue;
            }
            last.put(key, k.sTs());
            out.add(new GroundTruthMatcher.Detection(k.store(), k.lane(), k.sTs()));
        }
        return GroundTruthMatcher.score(d.testTruth(), out, GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
    }

    static Day day(long seed) {
        EvaluationReport.TrainedDay day = EvaluationReport.trained(seed, 1.0);
        PatternModel model = day.model();
        SegmentationRules rules = ModelIo.rules(model).withUnscannedItems(false, 0, 0);
        Detector base = new Detector(model, model.getDefaultScheme(), model.getThreshold(), rules);
        GroundTruthMatcher.Score baseline = GroundTruthMatcher.score(day.test().truth(),
                EvaluationReport.detections(base, day.testSequences()), GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
        Detector open = new Detector(model, model.getDefaultScheme(), model.getThreshold(),
                new SegmentationRules(0, 0, 0, 0, 0));
        return new Day(candidates(open, base, day.trainSequences(), day.train().truth(), model),
                candidates(open, base, day.testSequences(), day.test().truth(), model), day.test().truth(), baseline);
    }

    static List<Cand> candidates(Detector open, Detector base, List<TransactionSequence> seqs,
            List<GroundTruthItem> truth, PatternModel model) {
        Map<String, List<Long>> scanTimes = new HashMap<>();
        for (GroundTruthItem g : truth) {
            if (g.sTs() != null) {
                scanTimes.computeIfAbsent(g.storeId() + "/" + g.laneId(), k -> new ArrayList<>()).add(g.sTs());
            }
        }
        long minPs = model.getMinPickupToScanMs();
        long minSd = model.getMinScanToDropMs();
        List<Cand> out = new ArrayList<>();
        for (TransactionSequence t : seqs) {
            Detector.Result r = open.detect(t);
            java.util.Set<Integer> accepted = new java.util.HashSet<>();
            base.detect(t).fakeScans().forEach(e -> accepted.add(e.sIndex()));
            String sym = t.symbols();
            long[] times = t.times();
            int n = sym.length();
            boolean[] used = new boolean[n];
            boolean[] orphan = new boolean[n];
            for (ScanEvent e : r.scans()) {
                if (!e.fake()) {
                    for (int i : new int[] {e.anchorIndex(), e.pIndex(), e.sIndex(), e.dIndex()}) {
                        if (i >= 0) {
                            used[i] = true;
                        }
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                orphan[j] = sym.charAt(j) == 'B' && !used[j];
            }
            for (ScanEvent e : r.scans()) {
                if (!e.fake() && e.sIndex() < 0 && (e.pIndex() < 0 || e.dIndex() < 0)) {
                    orphan[e.anchorIndex()] = true;
                }
            }
            Classification c = r.classification();
            List<Long> truthS = scanTimes.getOrDefault(t.storeId() + "/" + t.laneId(), List.of());
            for (ScanEvent e : r.scans()) {
                if (!e.fake()) {
                    continue;
                }
                int s = e.sIndex();
                int p = e.pIndex();
                int d = e.dIndex();
                long ts = times[s];
                List<Integer> f = new ArrayList<>();
                f.add(1 + bin(c.posteriorFake(s), 0.6, 0.7, 0.8, 0.9, 0.95));
                double mean = (c.posteriorFake(p) + c.posteriorFake(s) + c.posteriorFake(d)) / 3;
                f.add(7 + bin(mean, 0.5, 0.6, 0.7, 0.8, 0.9));
                f.add(13 + bin(ts - times[p], 50, 150, 300, 600, 1200, 2500));
                f.add(20 + bin(times[d] - ts, 50, 150, 300, 600, 1200, 2500));
                f.add((ts - times[p] >= minPs) ? 27 : 28);
                f.add((times[d] - ts >= minSd) ? 29 : 30);
                int ob = -1;
                int orphans = 0;
                for (int j = 0; j < n; j++) {
                    if (orphan[j] && times[j] >= ts - 1000 && times[j] <= ts + 3000) {
                        orphans++;
                        if (ob < 0 || Math.abs(times[j] - ts) < Math.abs(times[ob] - ts)) {
                            ob = j;
                        }
                    }
                }
                f.add(31 + Math.min(orphans, 2));
                if (ob < 0) {
                    f.add(34);
                } else {
                    f.add(35 + bin(times[ob] - ts, -500, 0, 250, 500, 1000, 1500, 2000));
                    // Another unused scan motion just before that barcode would make the barcode its own.
                    boolean ownScan = false;
                    boolean pickupBetween = false;
                    for (int j = 0; j < n; j++) {
                        if (j != s && sym.charAt(j) == 'S' && !used[j] && times[j] <= times[ob]
                                && times[ob] - times[j] <= 600 && Math.abs(times[j] - times[ob]) < Math.abs(ts
                                - times[ob])) {
                            ownScan = true;
                        }
                        if (sym.charAt(j) == 'P' && j > d && j < ob) {
                            pickupBetween = true;
                        }
                    }
                    f.add(ownScan ? 43 : 44);
                    f.add(pickupBetween ? 45 : 46);
                    f.add(ob < s ? 47 : ob < d ? 48 : 49);
                }
                long claimed = Long.MAX_VALUE;
                for (int j = 0; j < n; j++) {
                    if (sym.charAt(j) == 'B' && !orphan[j]) {
                        claimed = Math.min(claimed, Math.abs(times[j] - ts));
                    }
                }
                f.add(50 + bin(claimed, 250, 500, 1000, 2000, 4000));
                int nearS = 0;
                for (int j = 0; j < n; j++) {
                    if (j != s && sym.charAt(j) == 'S' && Math.abs(times[j] - ts) <= 1200) {
                        nearS++;
                    }
                }
                f.add(56 + Math.min(nearS, 2));
                f.add(59 + ctx(sym, p - 1));
                f.add(64 + ctx(sym, d + 1));
                f.add(69 + ctx(sym, p - 2));
                f.add(74 + ctx(sym, d + 2));
                f.add(accepted.contains(s) ? RULES_ACCEPT : RULES_ACCEPT + 1);
                Feature[] x = f.stream().sorted().distinct().map(i -> (Feature) new FeatureNode(i, 1))
                        .toArray(Feature[]::new);
                boolean pos = false;
                for (long g : truthS) {
                    if (Math.abs(g - ts) <= GroundTruthMatcher.DEFAULT_TOLERANCE_MS) {
                        pos = true;
                    }
                }
                out.add(new Cand(t.storeId(), t.laneId(), ts, x, pos));
            }
        }
        out.sort(java.util.Comparator.comparing(Cand::store).thenComparing(Cand::lane).thenComparingLong(Cand::sTs));
        return out;
    }

    static int ctx(String sym, int i) {
        if (i < 0 || i >= sym.length()) {
            return 0;
        }
        return "PSDB".indexOf(sym.charAt(i)) + 1;
    }

    static int bin(double v, double... edges) {
        int b = 0;
        while (b < edges.length && v >= edges[b]) {
            b++;
        }
        return b;
    }
}
