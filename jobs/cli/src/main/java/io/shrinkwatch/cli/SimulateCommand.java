package io.shrinkwatch.cli;

import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.SimulationWriter;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate}: writes simulated lanes as JSON Lines plus ground truth. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate checkout lanes: primitives.jsonl, tlog.jsonl, incidents.jsonl, ground_truth.jsonl, "
                + "lanes.jsonl, cashiers.jsonl in --out.")
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--stores", defaultValue = "1", description = "Stores (default ${DEFAULT-VALUE}).")
    int stores;

    @Option(names = "--lanes", defaultValue = "6", description = "Lanes per store (default ${DEFAULT-VALUE}, the paper's).")
    int lanes;

    @Option(names = "--hours", defaultValue = "16", description = "Opening hours (default ${DEFAULT-VALUE}, the paper's day).")
    double hours;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--noise-scale", defaultValue = "1.0", description = "Multiply detector and POS noise rates "
            + "(default ${DEFAULT-VALUE}).")
    double noiseScale;

    @Option(names = "--noiseless", description = "No detector noise, clock error or delivery disorder.")
    boolean noiseless;

    @Option(names = "--prices-from", description = "Complete Journey directory to draw prices from instead of the "
            + "bundled table (products.csv.gz, transactions_sample.csv.gz).")
    Path pricesFrom;

    @Override
    public Integer call() throws Exception {
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(stores, lanes, hours, seed).withNoiseScale(noiseScale);
        if (noiseless) {
            cfg = cfg.noiseless();
        }
        simulate(cfg, pricesFrom == null ? PriceCatalog.bundled() : PriceCatalog.fromCompleteJourney(pricesFrom), out,
                true);
        return 0;
    }

    static long[] simulate(SimulatorConfig cfg, PriceCatalog catalog, Path out, boolean progress) throws Exception {
        Simulator sim = new Simulator(cfg, catalog);
        long txns = 0;
        long items = 0;
        long prims = 0;
        long fakes = 0;
        long t0 = System.nanoTime();
        try (SimulationWriter w = new SimulationWriter(out)) {
            for (int s = 0; s < cfg.stores(); s++) {
                Simulator.StoreOutput o = sim.simulateStore(s);
                w.write(o);
                txns += o.transactions();
                items += o.items();
                prims += o.primitives().size();
                fakes += o.truth().size();
                if (progress) {
                    System.err.printf("simulated store %d/%d: %d transactions, %d unregistered items so far (%.1f s)%n",
                            s + 1, cfg.stores(), txns, fakes, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        if (progress) {
            System.out.printf("wrote %s: %d stores x %d lanes x %.1f h, %d transactions, %d registered items, "
                    + "%d primitives, %d unregistered items (seed %d)%n", out, cfg.stores(), cfg.lanes(), cfg.hours(),
                    txns, items, prims, fakes, cfg.seed());
        }
        return new long[] {txns, items, prims, fakes};
    }
}
