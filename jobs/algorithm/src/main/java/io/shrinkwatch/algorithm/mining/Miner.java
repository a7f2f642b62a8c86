package io.shrinkwatch.algorithm.mining;

import io.shrinkwatch.algorithm.classify.ScanEvent;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.algorithm.selection.PatternSelector;
import io.shrinkwatch.algorithm.selection.SelectedPattern;
import io.shrinkwatch.algorithm.teiresias.DiscoveredPattern;
import io.shrinkwatch.algorithm.teiresias.SolidTeiresias;
import io.shrinkwatch.algorithm.teiresias.TeiresiasParams;
import io.shrinkwatch.algorithm.weights.FrequencyWeights;
import io.shrinkwatch.algorithm.weights.SvmWeights;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.PatternEntry;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The whole KDD'11 mining pipeline: Teiresias for L = W, selection, clustering, models and all four weightings. */
public final class Miner {

    /** Receives one line per stage for progress display. */
    @FunctionalInterface
    public interface Progress {
        void stage(String message);
    }

    /** Checkout patterns the Teiresias run with this L = W reports (patterns of at least L literals). */
    public record StageCount(int lw, int checkout) {
    }

    /**
     * @param model the new model
     * @param perLw the checkout patterns of each L = W run
     * @param mergedCheckout distinct checkout patterns over all runs
     * @param incidentsUsed confirmed incidents mapped onto an S of a training transaction
     * @param incidentsUnmatched incidents with no transaction or no S near their time
     * @param discoveryMillis time of pattern discovery
     */
    public record Result(PatternModel model, List<StageCount> perLw, int mergedCheckout, int incidentsUsed,
            int incidentsUnmatched, long discoveryMillis) {
    }

    public Result mine(List<TransactionSequence> txns, List<ConfirmedIncident> incidents, MiningOptions o,
            long createdMs, Progress progress) {
        if (txns.isEmpty()) {
            throw new IllegalArgumentException("no transactions to mine");
        }
        List<String> seqs = new ArrayList<>(txns.size());
        for (TransactionSequence t : txns) {
            seqs.add(t.symbols());
        }
        long discoveryStart = System.nanoTime();
        List<DiscoveredPattern> merged = checkoutPatterns(seqs, o);
        long discoveryMillis = (System.nanoTime() - discoveryStart) / 1_000_000;
        List<StageCount> stages = new ArrayList<>();
        for (int lw = o.lwMin(); lw <= o.lwMax(); lw++) {
            int checkout = 0;
            for (DiscoveredPattern p : merged) {
                checkout += p.pattern().length() >= lw ? 1 : 0;
            }
            stages.add(new StageCount(lw, checkout));
            progress.stage(String.format("teiresias L=W=%d: %d checkout patterns", lw, checkout));
        }
        progress.stage(String.format("merged checkout patterns: %d (%d ms)", merged.size(), discoveryMillis));
        if (merged.isEmpty()) {
            throw new IllegalArgumentException("no pattern matches P[PSD]*B[PSD]*D with support " + o.k()
                    + " in " + txns.size() + " transactions: too little or too noisy input");
        }
        long t0 = System.nanoTime();
        List<SelectedPattern> selected = new PatternSelector(o.correlationThreshold(), o.svdRank()).cluster(merged);
        progress.stage(String.format("co-occurrence clustering: %d clusters (%d ms)", selected.size(),
                (System.nanoTime() - t0) / 1_000_000));

        List<SvmWeights.Anchor> anchors = new ArrayList<>();
        int unmatched = mapIncidents(txns, incidents, o.incidentToleranceMs(), anchors);
        double[] freq = FrequencyWeights.compute(selected);
        t0 = System.nanoTime();
        double[] svm = SvmWeights.compute(selected, seqs, anchors, o.svm());
        progress.stage(svm == null ? "svm weights: skipped (no usable confirmed incident)"
                : String.format("svm weights: %d splits, %d incidents (%d ms)", o.svm().splits(), anchors.size(),
                        (System.nanoTime() - t0) / 1_000_000));

        List<PatternEntry> entries = new ArrayList<>(selected.size());
        for (int i = 0; i < selected.size(); i++) {
            SelectedPattern p = selected.get(i);
            entries.add(PatternEntry.newBuilder().setPositive(p.pattern()).setNegative(p.negative())
                    .setOccurrences(p.occurrences()).setTransactions(p.transactions())
                    .setClusterSize(p.members().size()).setWeightUniform(1.0).setWeightFrequency(freq[i])
                    .setWeightSvm(svm == null ? null : svm[i])
                    .setWeightFrequencySvm(svm == null ? null : freq[i] + svm[i]).build());
        }
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (TransactionSequence t : txns) {
            if (t.length() > 0) {
                start = Math.min(start, t.startTs());
                end = Math.max(end, t.endTs());
            }
        }
        WeightScheme scheme = o.defaultScheme();
        if (svm == null && (scheme == WeightScheme.SVM || scheme == WeightScheme.FREQUENCY_SVM)) {
            scheme = WeightScheme.FREQUENCY;
        }
        Map<String, String> params = new LinkedHashMap<>(o.asParameters());
        PatternModel model = PatternModel.newBuilder().setModelId("pending").setCreatedMs(createdMs)
                .setTrainingStartMs(start == Long.MAX_VALUE ? 0 : start).setTrainingEndMs(end == Long.MIN_VALUE ? 0 : end)
                .setTrainingTransactions(txns.size()).setTrainingIncidents(anchors.size()).setDefaultScheme(scheme)
                .setThreshold(o.threshold()).setMinFakeScanGapMs(o.rules().minFakeGapMs())
                .setReconcileBeforeMs(o.rules().reconcileBeforeMs()).setReconcileAfterMs(o.rules().reconcileAfterMs())
                .setMinPickupToScanMs(o.rules().minPickupToScanMs()).setMinScanToDropMs(o.rules().minScanToDropMs())
                .setAlignScans(o.rules().alignScans()).setUnscannedItems(o.rules().unscannedItems())
                .setMinPickupToDropMs(o.rules().minPickupToDropMs()).setMaxPickupToDropMs(o.rules().maxPickupToDropMs())
                .setParameters(params)
                .setPatterns(entries).build();
        if (o.plausibilityQuantile() > 0) {
            long[] gaps = learnPlausibility(model, txns, o.plausibilityQuantile());
            model.setMinPickupToScanMs(gaps[0]);
            model.setMinScanToDropMs(gaps[1]);
            progress.stage(String.format("plausibility: P->S >= %d ms, S->D >= %d ms (quantile %.3f of training true scans)",
                    gaps[0], gaps[1], o.plausibilityQuantile()));
            if (o.rules().unscannedItems()) {
                model.setMinPickupToDropMs(gaps[2]);
                model.setMaxPickupToDropMs(gaps[3]);
                progress.stage(String.format("unscanned items: P->D in [%d, %d] ms (quantiles %.3f and %.3f)", gaps[2],
                        gaps[3], o.plausibilityQuantile(), 1 - o.plausibilityQuantile()));
            }
        }
        model.setModelId(contentId(model));
        return new Result(model, stages, merged.size(), anchors.size(), unmatched, discoveryMillis);
    }

    /**
     * The checkout patterns of the Teiresias runs L = W = lwMin..lwMax, merged (KDD'11 sections 3.2-3.3), in one
     * walk.
     *
     * <p>Two facts make one walk enough; neither changes the result, and {@code MinerTest} checks it against the
     * literal route (a full run per L = W, then the filter) on random inputs. (1) With L = W a pattern is a substring
     * of at least L literals, and whether it is maximal depends only on its occurrences, not on L, so the run for
     * L + 1 reports exactly the patterns of the run for L that have more than L literals: the runs are nested, their
     * union is the run for lwMin, and lwMax only shapes the per-L report. (2) Only checkout patterns are kept, so the
     * walk is limited to prefixes that can still become one ({@link PatternSelector#CHECKOUT_SHAPE}). Together they
     * matter: at 101,470 transactions each full run reported 3.1 million maximal patterns, of which 1,282 were
     * checkout patterns, and holding the eight runs took most of a 17 GB heap.
     */
    static List<DiscoveredPattern> checkoutPatterns(List<String> seqs, MiningOptions o) {
        return new SolidTeiresias().discover(seqs, new TeiresiasParams(o.lwMin(), o.lwMin(), o.k(), o.supportMode()),
                PatternSelector.CHECKOUT_SHAPE);
    }

    /**
     * The {@code q}-quantiles of the pickup-to-scan and scan-to-drop gaps of the training lanes' true scans that have
     * a real, time-ordered P, S and D (a segmentation with the new model), then the {@code q}- and
     * {@code (1-q)}-quantiles of their pickup-to-drop times.
     */
    static long[] learnPlausibility(PatternModel model, List<TransactionSequence> txns, double q) {
        Detector detector = new Detector(model, model.getDefaultScheme(), model.getThreshold(), ModelIo.rules(model));
        List<Long> ps = new ArrayList<>();
        List<Long> sd = new ArrayList<>();
        List<Long> pd = new ArrayList<>();
        for (TransactionSequence t : txns) {
            for (ScanEvent e : detector.detect(t).scans()) {
                if (!e.fake() && e.pIndex() >= 0 && e.sIndex() >= 0 && e.dIndex() >= 0 && e.pTs() <= e.sTs()
                        && e.sTs() <= e.dTs()) {
                    ps.add(e.sTs() - e.pTs());
                    sd.add(e.dTs() - e.sTs());
                    pd.add(e.dTs() - e.pTs());
                }
            }
        }
        if (ps.isEmpty()) {
            return new long[] {0, 0, 0, 0};
        }
        ps.sort(null);
        sd.sort(null);
        pd.sort(null);
        int i = (int) Math.floor(q * (ps.size() - 1));
        int hi = (int) Math.ceil((1 - q) * (pd.size() - 1));
        return new long[] {ps.get(i), sd.get(i), pd.get(i), pd.get(hi)};
    }

    /** Finds the S each incident names: in its transaction, the S nearest its time within the tolerance. */
    static int mapIncidents(List<TransactionSequence> txns, List<ConfirmedIncident> incidents, long toleranceMs,
            List<SvmWeights.Anchor> out) {
        Map<String, Integer> byKey = new HashMap<>();
        for (int i = 0; i < txns.size(); i++) {
            TransactionSequence t = txns.get(i);
            byKey.put(t.storeId() + '\u0000' + t.laneId() + '\u0000' + t.txnId(), i);
        }
        int unmatched = 0;
        for (ConfirmedIncident inc : incidents) {
            Integer idx = byKey.get(inc.getStoreId() + '\u0000' + inc.getLaneId() + '\u0000' + inc.getTxnId());
            int best = -1;
            if (idx != null) {
                TransactionSequence t = txns.get(idx);
                long bestDist = toleranceMs + 1;
                for (int j = 0; j < t.length(); j++) {
                    long d = Math.abs(t.time(j) - inc.getTs());
                    if (t.symbol(j) == 'S' && d < bestDist) {
                        best = j;
                        bestDist = d;
                    }
                }
            }
            if (best < 0) {
                unmatched++;
            } else {
                out.add(new SvmWeights.Anchor(idx, best));
            }
        }
        return unmatched;
    }

    /** A model id from a hash of everything but the id and creation time, so equal content gives an equal id. */
    static String contentId(PatternModel m) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder();
            sb.append(m.getParameters()).append('|').append(m.getTrainingStartMs()).append('|')
                    .append(m.getTrainingEndMs()).append('|').append(m.getTrainingTransactions()).append('|')
                    .append(m.getThreshold()).append('|').append(m.getDefaultScheme()).append('|')
                    .append(ModelIo.rules(m));
            for (PatternEntry e : m.getPatterns()) {
                sb.append('|').append(e.getPositive()).append(':').append(e.getWeightFrequency()).append(':')
                        .append(e.getWeightSvm());
            }
            byte[] digest = md.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder("m-");
            for (int i = 0; i < 6; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
