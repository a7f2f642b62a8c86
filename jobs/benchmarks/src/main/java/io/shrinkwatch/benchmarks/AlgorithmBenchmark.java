package io.shrinkwatch.benchmarks;

import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.algorithm.teiresias.Teiresias;
import io.shrinkwatch.algorithm.teiresias.TeiresiasParams;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Benchmark main for the issue #2 figures: mining at the KDD'11 paper's scale (1,660 transactions, ~33k items,
 * L = W in 3..10) and classifying one million primitives. Each measurement runs {@code warmups} times unmeasured and
 * {@code runs} times measured in this one JVM; the median and the spread are printed. Usage:
 * {@code java -cp jobs/benchmarks/target/benchmarks.jar io.shrinkwatch.benchmarks.AlgorithmBenchmark [runs]}.
 */
public final class AlgorithmBenchmark {

    private static final int PAPER_TRANSACTIONS = 1_660;
    private static final long PRIMITIVES_TARGET = 1_000_000;

    private AlgorithmBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warmups = 2;
        PriceCatalog catalog = PriceCatalog.bundled();
        System.out.printf("machine: %d cores, java %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);

        Simulator.StoreOutput day = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 42), catalog)
                .simulateStore(0);
        List<TransactionSequence> all = sequences(day);
        List<TransactionSequence> paper = all.subList(0, Math.min(PAPER_TRANSACTIONS, all.size()));
        Set<String> ids = new HashSet<>();
        paper.forEach(t -> ids.add(t.txnId()));
        List<ConfirmedIncident> incidents = day.incidents().stream().filter(i -> ids.contains(i.getTxnId())).toList();
        long items = paper.stream().mapToLong(TransactionSequence::barcodeCount).sum();
        long symbols = paper.stream().mapToLong(TransactionSequence::length).sum();
        System.out.printf("mining input: %d transactions, %d registered items, %d symbols, %d incidents%n",
                paper.size(), items, symbols, incidents.size());

        double[] teiresiasMs = measure(warmups, runs, () -> {
            List<String> seqs = paper.stream().map(TransactionSequence::symbols).toList();
            for (int lw = 3; lw <= 10; lw++) {
                new Teiresias().discover(seqs, TeiresiasParams.solid(lw, 2));
            }
        });
        report("teiresias L=W 3..10 (8 runs)", teiresiasMs);
        PatternModel[] model = new PatternModel[1];
        double[] miningMs = measure(warmups, runs, () -> model[0] = new Miner().mine(paper, incidents,
                MiningOptions.defaults(), 0, m -> { }).model());
        report("whole mine (teiresias, selection, SVD, 100 SVM splits)", miningMs);

        List<TransactionSequence> stream = new ArrayList<>();
        long prims = 0;
        int day2 = 0;
        while (prims < PRIMITIVES_TARGET) {
            for (TransactionSequence t : sequences(new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 100 + day2),
                    catalog).simulateStore(0))) {
                stream.add(t);
                prims += t.length();
            }
            day2++;
        }
        long totalSymbols = prims;
        Detector detector = Detector.of(model[0]);
        long[] sink = new long[1];
        double[] classifyMs = measure(warmups, runs, () -> {
            for (TransactionSequence t : stream) {
                sink[0] += detector.detect(t).scans().size();
            }
        });
        report(String.format("classify+segment %,d symbols in %,d transactions (%d patterns)", totalSymbols,
                stream.size(), model[0].getPatterns().size()), classifyMs);
        System.out.printf("  -> median %.2f M symbols/s (%d scans found per run)%n",
                totalSymbols / median(classifyMs) / 1000.0, sink[0] / (warmups + runs));
    }

    static List<TransactionSequence> sequences(Simulator.StoreOutput o) {
        return new LaneSequenceBuilder().buildEstimatingClocks(o.primitives(), o.tlog(), new LaneSequenceBuilder.Stats());
    }

    static double[] measure(int warmups, int runs, Runnable body) {
        for (int i = 0; i < warmups; i++) {
            body.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static void report(String name, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf("%s: median %.0f ms (min %.0f, max %.0f, %d runs)%n", name, median(ms), s[0],
                s[s.length - 1], ms.length);
    }
}
