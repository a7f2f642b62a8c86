package io.shrinkwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shrinkwatch.algorithm.classify.ScanEvent;
import io.shrinkwatch.algorithm.classify.SegmentationRules;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import java.io.BufferedWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code detect}: classifies every transaction with a model and writes one JSON line per fake scan. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Find unregistered items (fake scans) with a model; one JSON line per alert.")
final class DetectCommand implements Callable<Integer> {

    @Mixin
    DetectionFiles files;

    @Option(names = "--scheme", description = "Weight scheme: ${COMPLETION-CANDIDATES} (default: the model's).")
    WeightScheme scheme;

    @Option(names = "--threshold", description = "Classification threshold (default: the model's).")
    Double threshold;

    @Option(names = "--min-fake-gap-ms", description = "Minimum gap between fake scans (default: the model's).")
    Long minFakeGapMs;

    @Option(names = "--reconcile-before-ms", description = "Barcode reconciliation before the scan motion (default: the model's).")
    Long reconcileBeforeMs;

    @Option(names = "--reconcile-after-ms", description = "Barcode reconciliation after the scan motion (default: the model's).")
    Long reconcileAfterMs;

    @Option(names = "--paper", description = "The paper's segmentation only: no reconciliation, no plausibility rule.")
    boolean paper;

    @Mixin
    SequenceOptions seq;

    @Override
    public Integer call() throws Exception {
        PatternModel m = ModelIo.read(files.model);
        SegmentationRules r = ModelIo.rules(m);
        long gap = minFakeGapMs != null ? minFakeGapMs : r.minFakeGapMs();
        SegmentationRules rules = paper ? new SegmentationRules(gap, 0, 0, 0, 0)
                : new SegmentationRules(gap, reconcileBeforeMs != null ? reconcileBeforeMs : r.reconcileBeforeMs(),
                        reconcileAfterMs != null ? reconcileAfterMs : r.reconcileAfterMs(), r.minPickupToScanMs(),
                        r.minScanToDropMs());
        Detector detector = new Detector(m, scheme != null ? scheme : m.getDefaultScheme(),
                threshold != null ? threshold : m.getThreshold(), rules);
        InputFiles.Loaded in = InputFiles.load(files.primitives, files.tlog, null, seq.strict, seq.marginBeforeMs,
                seq.marginAfterMs, !seq.noClockEstimate, System.err);
        long[] totals = detect(detector, in, files.alertsOut);
        System.out.printf("%d transactions, %d registered items, %d true scans, %d fake-scan alerts -> %s (model %s)%n",
                in.transactions().size(), totals[0], totals[1], totals[2], files.alertsOut, m.getModelId());
        return 0;
    }

    /** One alert as the JSON line both {@code detect} and {@code replay} write. */
    static String alertLine(ObjectMapper mapper, String store, String lane, String txn, String cashier, long scanTs,
            long startTs, long endTs, double confidence, String modelId) throws Exception {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("store_id", store);
        a.put("lane_id", lane);
        a.put("txn_id", txn);
        a.put("cashier_id", cashier);
        a.put("scan_ts", scanTs);
        a.put("start_ts", startTs);
        a.put("end_ts", endTs);
        a.put("confidence", confidence);
        a.put("model_id", modelId);
        return mapper.writeValueAsString(a);
    }

    /** Returns {registered items, true scans, alerts}. */
    static long[] detect(Detector detector, InputFiles.Loaded in, Path alertsOut) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        long items = 0;
        long trueScans = 0;
        long alerts = 0;
        if (alertsOut.toAbsolutePath().getParent() != null) {
            Files.createDirectories(alertsOut.toAbsolutePath().getParent());
        }
        int done = 0;
        long t0 = System.nanoTime();
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(alertsOut))) {
            for (TransactionSequence t : in.transactions()) {
                Detector.Result r = detector.detect(t);
                items += t.barcodeCount();
                trueScans += r.trueScanCount();
                for (ScanEvent f : r.fakeScans()) {
                    w.write(alertLine(mapper, t.storeId(), t.laneId(), t.txnId(), t.cashierId(), f.sTs(), f.pTs(),
                            f.dTs(), Math.round(f.confidence() * 1000) / 1000.0, detector.modelId()));
                    w.write('\n');
                    alerts++;
                }
                if (++done % 50_000 == 0) {
                    System.err.printf("classified %d/%d transactions (%.1f s)%n", done, in.transactions().size(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        return new long[] {items, trueScans, alerts};
    }
}
