package io.shrinkwatch.benchmarks;

import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark main for issue #4's scale table: mining with the paper's parameters (L = W 3..10, K = 2, 100 SVM splits)
 * on simulated 6-lane, 16-hour store days until at least N transactions, for each N given. Reports wall time of the
 * mining alone and the peak heap (sum of the heap pools' peaks, reset after the input is built, so it includes the
 * input held in memory). One run per size: the largest take minutes. Usage:
 * {@code java -Xmx20g -cp jobs/benchmarks/target/benchmarks.jar io.shrinkwatch.benchmarks.MiningScale 10000 100000}.
 */
public final class MiningScale {

    private MiningScale() {
    }

    public static void main(String[] args) {
        System.out.printf("machine: %d cores, java %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("transactions  stores  patterns  mining_s  peak_heap_MiB");
        PriceCatalog catalog = PriceCatalog.bundled();
        for (String a : args) {
            int target = Integer.parseInt(a);
            List<TransactionSequence> txns = new ArrayList<>();
            List<ConfirmedIncident> incidents = new ArrayList<>();
            int stores = 0;
            while (txns.size() < target) {
                Simulator sim = new Simulator(SimulatorConfig.defaults().withSize(stores + 1, 6, 16, 1_000 + stores),
                        catalog);
                Simulator.StoreOutput o = sim.simulateStore(stores);
                txns.addAll(new LaneSequenceBuilder().buildEstimatingClocks(o.primitives(), o.tlog(),
                        new LaneSequenceBuilder.Stats()));
                incidents.addAll(o.incidents());
                stores++;
            }
            System.gc();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                p.resetPeakUsage();
            }
            long t0 = System.nanoTime();
            Miner.Result r = new Miner().mine(txns, incidents, MiningOptions.defaults(), 0,
                    m -> System.err.printf("  %6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, m));
            double secs = (System.nanoTime() - t0) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    peak += p.getPeakUsage().getUsed();
                }
            }
            System.out.printf("%12d  %6d  %8d  %8.1f  %13d%n", txns.size(), stores, r.model().getPatterns().size(),
                    secs, peak >> 20);
        }
    }
}
