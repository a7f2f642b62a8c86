package io.shrinkwatch.algorithm.evaluation;

import io.shrinkwatch.algorithm.classify.ScanEvent;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.LaneKey;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The paper's evaluation protocol (KDD'11 section 6): split the lanes into a training and a held-out half, mine on
 * the first, and on the second count, for each weight scheme and threshold, detected true scans, detected fake scans
 * and, where confirmed incidents label the held-out lanes, true positives, false positives and missed fake scans.
 *
 * <p>Choices the paper leaves open: with at most {@code allDivisionsUpTo} lanes every division into halves is used
 * (6 lanes give C(6,3) = 20, as in the paper); with more lanes, {@code randomDivisions} random ones from a seeded
 * generator. An odd lane count trains on the smaller half. A detection is a true positive when a confirmed incident
 * of the same transaction lies within {@code toleranceMs} of its scan motion (one to one). Divisions run in
 * parallel (common fork-join pool); each is pure (liblinear 2.44 keeps its random generator per call), and rows are
 * collected in division order, so the report does not depend on scheduling.
 */
public final class Evaluation {

    /** The paper's thresholds, 0.5 to 0.9 in steps of 0.1. */
    public static final double[] PAPER_THRESHOLDS = {0.5, 0.6, 0.7, 0.8, 0.9};

    public static final long DEFAULT_TOLERANCE_MS = 1_500;

    /** One division, scheme and threshold. */
    public record Row(int division, WeightScheme scheme, double threshold, long trueScans, long fakeScans,
            Long truePositives, Long falsePositives, Long missed) {
    }

    /**
     * @param trainingLanes per division, its training lanes (the rest are held out)
     * @param rows every division x scheme x threshold
     */
    public record Report(List<List<String>> trainingLanes, List<Row> rows, boolean labelled) {

        /** Rows of one scheme and threshold summed over divisions. */
        public Row total(WeightScheme scheme, double threshold) {
            long ts = 0;
            long fs = 0;
            long tp = 0;
            long fp = 0;
            long miss = 0;
            for (Row r : rows) {
                if (r.scheme() == scheme && r.threshold() == threshold) {
                    ts += r.trueScans();
                    fs += r.fakeScans();
                    if (labelled) {
                        tp += r.truePositives();
                        fp += r.falsePositives();
                        miss += r.missed();
                    }
                }
            }
            return new Row(-1, scheme, threshold, ts, fs, labelled ? tp : null, labelled ? fp : null,
                    labelled ? miss : null);
        }
    }

    /** Detection counts of one model on labelled transactions. */
    public record Score(long trueScans, long fakeScans, long truePositives, long falsePositives, long missed) {

        public double precision() {
            return fakeScans == 0 ? 0 : (double) truePositives / fakeScans;
        }

        public double recall() {
            return truePositives + missed == 0 ? 0 : (double) truePositives / (truePositives + missed);
        }

        /** Harmonic mean of precision and recall; 0 when either is 0. */
        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    private Evaluation() {
    }

    /** The training halves: all when {@code lanes.size() <= allDivisionsUpTo}, else {@code randomDivisions}. */
    public static List<List<LaneKey>> divisions(List<LaneKey> lanes, int allDivisionsUpTo, int randomDivisions,
            long seed) {
        List<LaneKey> sorted = new ArrayList<>(new TreeSet<>(lanes));
        int half = sorted.size() / 2;
        if (half == 0) {
            throw new IllegalArgumentException("evaluation needs at least 2 lanes, got " + sorted.size());
        }
        List<List<LaneKey>> out = new ArrayList<>();
        if (sorted.size() <= allDivisionsUpTo) {
            combinations(sorted, half, 0, new ArrayList<>(), out);
            return out;
        }
        Random rnd = new Random(seed);
        Set<List<LaneKey>> seen = new java.util.HashSet<>();
        while (out.size() < randomDivisions) {
            List<LaneKey> shuffled = new ArrayList<>(sorted);
            java.util.Collections.shuffle(shuffled, rnd);
            List<LaneKey> pick = new ArrayList<>(new TreeSet<>(shuffled.subList(0, half)));
            if (seen.add(pick)) {
                out.add(pick);
            }
        }
        return out;
    }

    private static void combinations(List<LaneKey> lanes, int k, int from, List<LaneKey> cur, List<List<LaneKey>> out) {
        if (cur.size() == k) {
            out.add(List.copyOf(cur));
            return;
        }
        for (int i = from; i < lanes.size(); i++) {
            cur.add(lanes.get(i));
            combinations(lanes, k, i + 1, cur, out);
            cur.remove(cur.size() - 1);
        }
    }

    /** Runs the protocol; {@code progress} hears one line per division. */
    public static Report run(List<TransactionSequence> txns, List<ConfirmedIncident> incidents, MiningOptions o,
            List<List<LaneKey>> divisions, double[] thresholds, long toleranceMs, Miner.Progress progress) {
        boolean labelled = !incidents.isEmpty();
        List<List<String>> names = new ArrayList<>();
        for (List<LaneKey> division : divisions) {
            names.add(division.stream().map(l -> l.storeId() + "/" + l.laneId()).toList());
        }
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        List<List<Row>> perDivision = java.util.stream.IntStream.range(0, divisions.size()).parallel()
                .mapToObj(d -> {
                    List<Row> rows = division(d, txns, incidents, o, new java.util.HashSet<>(divisions.get(d)),
                            thresholds, toleranceMs, labelled);
                    progress.stage(String.format("division %d/%d done: trained on %s", done.incrementAndGet(),
                            divisions.size(), names.get(d)));
                    return rows;
                }).toList();
        List<Row> rows = new ArrayList<>();
        perDivision.forEach(rows::addAll);
        return new Report(names, rows, labelled);
    }

    private static List<Row> division(int d, List<TransactionSequence> txns, List<ConfirmedIncident> incidents,
            MiningOptions o, Set<LaneKey> train, double[] thresholds, long toleranceMs, boolean labelled) {
        List<TransactionSequence> trainTx = new ArrayList<>();
        List<TransactionSequence> testTx = new ArrayList<>();
        for (TransactionSequence t : txns) {
            (train.contains(new LaneKey(t.storeId(), t.laneId())) ? trainTx : testTx).add(t);
        }
        List<ConfirmedIncident> trainInc = incidents.stream()
                .filter(i -> train.contains(new LaneKey(i.getStoreId(), i.getLaneId()))).toList();
        List<ConfirmedIncident> testInc = incidents.stream()
                .filter(i -> !train.contains(new LaneKey(i.getStoreId(), i.getLaneId()))).toList();
        PatternModel model = new Miner().mine(trainTx, trainInc, o, 0, m -> { }).model();
        List<Row> rows = new ArrayList<>();
        for (WeightScheme scheme : WeightScheme.values()) {
            if (!available(model, scheme)) {
                continue;
            }
            for (double th : thresholds) {
                Detector det = new Detector(model, scheme, th, ModelIo.rules(model));
                Score s = score(det, testTx, testInc, toleranceMs);
                rows.add(new Row(d, scheme, th, s.trueScans(), s.fakeScans(), labelled ? s.truePositives() : null,
                        labelled ? s.falsePositives() : null, labelled ? s.missed() : null));
            }
        }
        return rows;
    }

    /** SVM-based schemes exist only when the training half had usable incidents. */
    static boolean available(PatternModel m, WeightScheme s) {
        return switch (s) {
            case SVM, FREQUENCY_SVM -> m.getPatterns().stream().allMatch(p -> p.getWeightSvm() != null);
            default -> true;
        };
    }

    /** Scores a model at its own scheme and threshold: the promotion gate's measurement. */
    public static Score score(PatternModel model, List<TransactionSequence> txns, List<ConfirmedIncident> incidents,
            long toleranceMs) {
        return score(Detector.of(model), txns, incidents, toleranceMs);
    }

    static Score score(Detector det, List<TransactionSequence> txns, List<ConfirmedIncident> incidents,
            long toleranceMs) {
        Map<String, List<Long>> byTxn = new HashMap<>();
        for (ConfirmedIncident i : incidents) {
            byTxn.computeIfAbsent(key(i.getStoreId(), i.getLaneId(), i.getTxnId()), k -> new ArrayList<>())
                    .add(i.getTs());
        }
        long trueScans = 0;
        long fake = 0;
        long tp = 0;
        for (TransactionSequence t : txns) {
            Detector.Result r = det.detect(t);
            trueScans += r.trueScanCount();
            List<Long> open = new ArrayList<>(byTxn.getOrDefault(key(t.storeId(), t.laneId(), t.txnId()), List.of()));
            for (ScanEvent f : r.fakeScans()) {
                fake++;
                int best = -1;
                long bestDist = toleranceMs + 1;
                for (int j = 0; j < open.size(); j++) {
                    long dist = Math.abs(open.get(j) - f.sTs());
                    if (dist < bestDist) {
                        best = j;
                        bestDist = dist;
                    }
                }
                if (best >= 0) {
                    open.remove(best);
                    tp++;
                }
            }
        }
        long labels = incidents.size();
        return new Score(trueScans, fake, tp, fake - tp, labels - tp);
    }

    private static String key(String store, String lane, String txn) {
        return store + '\u0000' + lane + '\u0000' + txn;
    }
}
