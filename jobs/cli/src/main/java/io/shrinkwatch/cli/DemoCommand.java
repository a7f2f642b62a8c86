package io.shrinkwatch.cli;

import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.SimulationWriter;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the embedded default run. Simulates a training day and a test day of one store, mines a model from
 * the first, detects on the second and scores the alerts against the simulator's ground truth. Until the streaming
 * job exists (issue #3) this is the library alone, with no Flink, Kafka or PostgreSQL.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Simulate a training day and a test day, mine, detect and score against ground truth.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--work", defaultValue = "demo-out", description = "Working directory (default ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--lanes", defaultValue = "6", description = "Lanes (default ${DEFAULT-VALUE}).")
    int lanes;

    @Option(names = "--hours", defaultValue = "16", description = "Hours per day (default ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the training day; the test day uses seed+1.")
    long seed;

    @Override
    public Integer call() throws Exception {
        PriceCatalog catalog = PriceCatalog.bundled();
        Path train = work.resolve("train");
        Path test = work.resolve("test");
        System.out.println("== 1/4 simulate a training day and a test day (" + lanes + " lanes x " + hours + " h)");
        SimulateCommand.simulate(SimulatorConfig.defaults().withSize(1, lanes, hours, seed), catalog, train, true);
        SimulateCommand.simulate(SimulatorConfig.defaults().withSize(1, lanes, hours, seed + 1), catalog, test, true);

        System.out.println("== 2/4 mine a model from the training day");
        InputFiles.Loaded trainIn = InputFiles.load(train.resolve(SimulationWriter.PRIMITIVES),
                train.resolve(SimulationWriter.TLOG), train.resolve(SimulationWriter.INCIDENTS), false,
                LaneSequenceBuilder.DEFAULT_MARGIN_BEFORE_MS, LaneSequenceBuilder.DEFAULT_MARGIN_AFTER_MS, true,
                System.err);
        Miner.Result r = new Miner().mine(trainIn.transactions(), trainIn.incidents(), MiningOptions.defaults(),
                System.currentTimeMillis(), msg -> System.err.println("  " + msg));
        Path model = work.resolve("model.avro");
        MineCommand.write(r.model(), model);
        MineCommand.printSummary(r, 10);

        System.out.println("== 3/4 detect on the test day");
        InputFiles.Loaded testIn = InputFiles.load(test.resolve(SimulationWriter.PRIMITIVES),
                test.resolve(SimulationWriter.TLOG), null, false, LaneSequenceBuilder.DEFAULT_MARGIN_BEFORE_MS,
                LaneSequenceBuilder.DEFAULT_MARGIN_AFTER_MS, true, System.err);
        Path alerts = work.resolve("alerts.jsonl");
        long[] totals = DetectCommand.detect(Detector.of(r.model()), testIn, alerts);
        System.out.printf("%d transactions, %d registered items, %d true scans, %d alerts -> %s%n",
                testIn.transactions().size(), totals[0], totals[1], totals[2], alerts);

        System.out.println("== 4/4 score against the test day's ground truth");
        EvaluateCommand.print(GroundTruthMatcher.score(GroundTruthMatcher.read(test.resolve(SimulationWriter.GROUND_TRUTH)),
                EvaluateCommand.readAlerts(alerts), GroundTruthMatcher.DEFAULT_TOLERANCE_MS));
        System.out.println("Model: " + model + " (readable view: " + model + ".json)");
        return 0;
    }
}
