package io.shrinkwatch.cli;

import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.schema.PatternEntry;
import io.shrinkwatch.schema.PatternModel;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mine}: builds a pattern model from primitives, TLog and (optionally) confirmed incidents. */
@Command(name = "mine", mixinStandardHelpOptions = true,
        description = "Mine checkout patterns (Teiresias per L=W, selection, clustering, weights) into a model.")
final class MineCommand implements Callable<Integer> {

    @Option(names = "--primitives", required = true, description = "Primitive events, JSON Lines.")
    Path primitives;

    @Option(names = "--tlog", required = true, description = "TLog events, JSON Lines.")
    Path tlog;

    @Option(names = "--incidents", description = "Confirmed incidents, JSON Lines; without them no SVM weights.")
    Path incidents;

    @Option(names = "--out", required = true, description = "Model file to write (Avro); a readable MODEL.json is "
            + "written beside it.")
    Path out;

    @Mixin
    MiningFlags mining;

    @Option(names = "--created-ms", description = "Creation time to record (default: now); fix it for byte-identical models.")
    Long createdMs;

    @Option(names = "--top", defaultValue = "12", description = "Patterns to list in the summary (default ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    SequenceOptions seq;

    @Override
    public Integer call() throws Exception {
        MiningOptions o = mining.options();
        InputFiles.Loaded in = InputFiles.load(primitives, tlog, incidents, seq.strict, seq.marginBeforeMs,
                seq.marginAfterMs, !seq.noClockEstimate, seq.clockTrustedOnly, System.err);
        System.err.printf("read %d transactions, %d incidents%n", in.transactions().size(), in.incidents().size());
        Miner.Result r = new Miner().mine(in.transactions(), in.incidents(), o,
                createdMs != null ? createdMs : System.currentTimeMillis(), msg -> System.err.println(msg));
        write(r.model(), out);
        printSummary(r, top);
        return 0;
    }

    static void write(PatternModel model, Path out) throws Exception {
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        ModelIo.write(model, out);
        try (OutputStream json = Files.newOutputStream(Path.of(out + ".json"))) {
            ModelIo.writeJson(model, json);
        }
    }

    static void printSummary(Miner.Result r, int top) {
        PatternModel m = r.model();
        System.out.printf("model %s: %d transactions, %d incidents used (%d unmatched), default scheme %s, "
                + "threshold %.2f%n", m.getModelId(), m.getTrainingTransactions(), r.incidentsUsed(),
                r.incidentsUnmatched(), m.getDefaultScheme(), m.getThreshold());
        System.out.printf("pattern discovery: %d ms (one walk; the L=W runs are nested, see Miner)%n",
                r.discoveryMillis());
        System.out.println("L=W  checkout patterns");
        for (Miner.StageCount s : r.perLw()) {
            System.out.printf("%3d  %8d%n", s.lw(), s.checkout());
        }
        System.out.printf("checkout patterns merged: %d; after clustering: %d%n", r.mergedCheckout(),
                m.getPatterns().size());
        System.out.println("Top patterns by repeats across transactions (cf. KDD'11 Table 1):");
        System.out.println("pattern      repeats  occurrences  cluster  w_freq  w_svm   w_freq+svm");
        List<PatternEntry> sorted = new ArrayList<>(m.getPatterns());
        sorted.sort(Comparator.comparingInt(PatternEntry::getTransactions).reversed());
        for (PatternEntry e : sorted.subList(0, Math.min(top, sorted.size()))) {
            System.out.printf("%-12s %7d  %11d  %7d  %6.4f  %s  %s%n", e.getPositive(), e.getTransactions(),
                    e.getOccurrences(), e.getClusterSize(), e.getWeightFrequency(), fmt(e.getWeightSvm()),
                    fmt(e.getWeightFrequencySvm()));
        }
    }

    private static String fmt(Double d) {
        return d == null ? "   -  " : String.format("%6.3f", d);
    }
}
