package io.shrinkwatch.algorithm.weights;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import io.shrinkwatch.algorithm.classify.PatternMatcher;
import io.shrinkwatch.algorithm.selection.SelectedPattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Zero-bias linear SVM pattern weights with the paper's asymmetric mapping (KDD'11 section 5.2).
 *
 * <p>A true-scan point is a B of a transaction without confirmed incidents; its feature i is
 * {@code occurrences_i / max occurrences} (positive, proportional to the pattern's frequency) when positive pattern
 * i has an occurrence covering that B, else 0. A fake-scan point is the S of a confirmed incident; its feature i is
 * {@link SvmOptions#fakeValue()} when negative pattern i covers that S. Points no pattern covers sit at the origin,
 * carry no information for a hyperplane through the origin, and are left out. For each of {@code splits} random
 * splits, the clean transactions and the incidents are each halved at random, up to {@code trueSamplesPerSplit} B's
 * are drawn from the training half, liblinear (L2-regularised L2-loss dual, no bias term) is trained, the weights are
 * clipped at 0 and scaled to a maximum of 1; the result is their mean (so its maximum may be below 1, as in the
 * paper's Table 1 and Figure 3).
 */
public final class SvmWeights {

    private SvmWeights() {
    }

    /** A position in one training sequence. */
    public record Anchor(int sequence, int position) {
    }

    /**
     * @param sequences training transactions as symbol strings
     * @param fakeAnchors the S of every usable confirmed incident
     * @return the weights, or null when there is no usable incident (no SVM can be trained)
     */
    public static double[] compute(List<SelectedPattern> patterns, List<String> sequences, List<Anchor> fakeAnchors,
            SvmOptions options) {
        int m = patterns.size();
        if (m == 0 || fakeAnchors.isEmpty()) {
            return null;
        }
        List<String> positives = new ArrayList<>(m);
        List<String> negatives = new ArrayList<>(m);
        long maxOcc = 1;
        for (SelectedPattern p : patterns) {
            positives.add(p.pattern());
            negatives.add(p.negative());
            maxOcc = Math.max(maxOcc, p.occurrences());
        }
        double[] trueValue = new double[m];
        for (int i = 0; i < m; i++) {
            trueValue[i] = (double) patterns.get(i).occurrences() / maxOcc;
        }
        Set<Integer> dirty = new HashSet<>();
        for (Anchor a : fakeAnchors) {
            dirty.add(a.sequence());
        }
        PatternMatcher posMatcher = new PatternMatcher(positives);
        PatternMatcher negMatcher = new PatternMatcher(negatives);
        // Only the number of true-scan points per clean transaction is kept; a split materialises the few hundred it
        // samples. Holding every point's features took gigabytes at a million transactions.
        List<Integer> clean = new ArrayList<>();
        int[] pointCount = new int[sequences.size()];
        for (int s = 0; s < sequences.size(); s++) {
            if (dirty.contains(s)) {
                continue;
            }
            clean.add(s);
            pointCount[s] = coveredBarcodes(posMatcher, sequences.get(s));
        }
        List<Feature[]> fakePoints = new ArrayList<>();
        for (Anchor a : fakeAnchors) {
            TreeSet<Integer> ids = coverage(negMatcher, sequences.get(a.sequence())).get(a.position());
            if (!ids.isEmpty()) {
                fakePoints.add(features(ids, null, options.fakeValue()));
            }
        }
        if (fakePoints.isEmpty()) {
            return null;
        }
        Linear.disableDebugOutput();
        // The splits are drawn one after another from one seeded generator, then trained in parallel: liblinear 2.44
        // keeps its solver's random generator in each Parameter (seeded 0), so a training run shares nothing with
        // another. The weights are summed in split order, so the result is the same bits on any number of cores.
        Random rnd = new Random(options.seed());
        List<List<List<Feature[]>>> splits = new ArrayList<>();
        for (int split = 0; split < options.splits(); split++) {
            List<Integer> cleanShuffled = new ArrayList<>(clean);
            Collections.shuffle(cleanShuffled, rnd);
            List<Integer> half = cleanShuffled.subList(0, (cleanShuffled.size() + 1) / 2);
            int total = 0;
            for (int s : half) {
                total += pointCount[s];
            }
            long[] pool = new long[total];
            int fill = 0;
            for (int s : half) {
                for (int k = 0; k < pointCount[s]; k++) {
                    pool[fill++] = ((long) s << 32) | k;
                }
            }
            shuffle(pool, rnd);
            List<Feature[]> trueTrain = new ArrayList<>();
            java.util.Map<Integer, List<Feature[]>> bySeq = new java.util.HashMap<>();
            for (int i = 0; i < Math.min(total, options.trueSamplesPerSplit()); i++) {
                int s = (int) (pool[i] >>> 32);
                trueTrain.add(bySeq.computeIfAbsent(s, x -> truePoints(posMatcher, sequences.get(x), trueValue))
                        .get((int) pool[i]));
            }
            List<Feature[]> fakeShuffled = new ArrayList<>(fakePoints);
            Collections.shuffle(fakeShuffled, rnd);
            if (!trueTrain.isEmpty()) {
                splits.add(List.of(trueTrain, List.copyOf(fakeShuffled.subList(0, (fakeShuffled.size() + 1) / 2))));
            }
        }
        if (splits.isEmpty()) {
            return null;
        }
        List<double[]> trained = splits.parallelStream().map(p -> train(p.get(0), p.get(1), m, options.c())).toList();
        double[] sum = new double[m];
        for (double[] w : trained) {
            double max = 0;
            for (int i = 0; i < m; i++) {
                w[i] = Math.max(0, w[i]);
                max = Math.max(max, w[i]);
            }
            if (max > 0) {
                for (int i = 0; i < m; i++) {
                    sum[i] += w[i] / max;
                }
            }
        }
        for (int i = 0; i < m; i++) {
            sum[i] /= options.splits();
        }
        return sum;
    }

    /** One true-scan point per B that a positive pattern covers, in order of position. */
    private static List<Feature[]> truePoints(PatternMatcher posMatcher, String seq, double[] trueValue) {
        List<Feature[]> points = new ArrayList<>();
        List<TreeSet<Integer>> cover = coverage(posMatcher, seq);
        for (int i = 0; i < seq.length(); i++) {
            if (seq.charAt(i) == 'B' && !cover.get(i).isEmpty()) {
                points.add(features(cover.get(i), trueValue, 0));
            }
        }
        return points;
    }

    /** How many true-scan points {@link #truePoints} gives for {@code seq}: its B's that a positive pattern covers. */
    private static int coveredBarcodes(PatternMatcher posMatcher, String seq) {
        boolean[] covered = new boolean[seq.length()];
        posMatcher.forEachMatch(seq, (id, start, end) -> java.util.Arrays.fill(covered, start, end, true));
        int n = 0;
        for (int i = 0; i < seq.length(); i++) {
            n += seq.charAt(i) == 'B' && covered[i] ? 1 : 0;
        }
        return n;
    }

    /** The permutation {@link Collections#shuffle(List, Random)} makes of a list, applied to an array. */
    static void shuffle(long[] a, Random rnd) {
        for (int i = a.length; i > 1; i--) {
            int j = rnd.nextInt(i);
            long t = a[i - 1];
            a[i - 1] = a[j];
            a[j] = t;
        }
    }

    private static double[] train(List<Feature[]> trues, List<Feature[]> fakes, int m, double c) {
        Problem prob = new Problem();
        prob.l = trues.size() + fakes.size();
        prob.n = m;
        prob.bias = -1;
        prob.x = new Feature[prob.l][];
        prob.y = new double[prob.l];
        int k = 0;
        for (Feature[] f : trues) {
            prob.x[k] = f;
            prob.y[k++] = 1;
        }
        for (Feature[] f : fakes) {
            prob.x[k] = f;
            prob.y[k++] = -1;
        }
        Model model = Linear.train(prob, new Parameter(SolverType.L2R_L2LOSS_SVC_DUAL, c, 0.01));
        double[] w = Arrays.copyOf(model.getFeatureWeights(), m);
        if (model.getLabels()[0] != 1) {
            for (int i = 0; i < m; i++) {
                w[i] = -w[i];
            }
        }
        return w;
    }

    private static Feature[] features(TreeSet<Integer> ids, double[] values, double constant) {
        Feature[] f = new Feature[ids.size()];
        int k = 0;
        for (int id : ids) {
            f[k++] = new FeatureNode(id + 1, values != null ? values[id] : constant);
        }
        return f;
    }

    /** For each position, the ids of the patterns with an occurrence covering it. */
    static List<TreeSet<Integer>> coverage(PatternMatcher matcher, String seq) {
        List<TreeSet<Integer>> cover = new ArrayList<>(seq.length());
        for (int i = 0; i < seq.length(); i++) {
            cover.add(new TreeSet<>());
        }
        matcher.forEachMatch(seq, (id, start, end) -> {
            for (int i = start; i < end; i++) {
                cover.get(i).add(id);
            }
        });
        return cover;
    }
}
