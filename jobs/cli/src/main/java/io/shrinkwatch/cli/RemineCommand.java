package io.shrinkwatch.cli;

import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.detection.Archive;
import io.shrinkwatch.remining.ModelStore;
import io.shrinkwatch.remining.RemineJob;
import io.shrinkwatch.remining.RemineOptions;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.LaneSequence;
import io.shrinkwatch.schema.PatternModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code remine}: the periodic re-mining job (issue #4). Reads a training window of the detection job's archive (or
 * JSON Lines files for a backtest), mines a new model, runs the paper's lane-division evaluation, compares the new
 * model with the current one on held-out transactions and, if the gate passes, makes it current and publishes it on
 * the model topic. Run it from cron or the Helm chart's CronJob; every run keeps its model and report.
 */
@Command(name = "remine", mixinStandardHelpOptions = true,
        description = "Re-mine the pattern model from the archive (Flink batch job), evaluate it (KDD'11 section 6), "
                + "and publish it if it passes the promotion gate.")
final class RemineCommand implements Callable<Integer> {

    /** Either the archive or JSON Lines files. */
    static final class Source {
        @Option(names = "--archive", required = true, description = "Archive directory written by the detection job "
                + "(holds sequences/ and incidents/).")
        Path archive;

        @ArgGroup(exclusive = false)
        JsonFiles files;
    }

    /** JSON Lines input for backtests. */
    static final class JsonFiles {
        @Option(names = "--primitives", required = true, description = "Primitive events, JSON Lines (backtest).")
        Path primitives;

        @Option(names = "--tlog", required = true, description = "TLog events, JSON Lines (backtest).")
        Path tlog;

        @Option(names = "--incidents", description = "Confirmed incidents, JSON Lines (backtest).")
        Path incidents;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--from", description = "First day of the training window, UTC (default: all).")
    LocalDate from;

    @Option(names = "--to", description = "Last day of the training window, UTC, inclusive (default: all).")
    LocalDate to;

    @Option(names = "--last-days", description = "Train on the N days that ended before today (UTC): the window a "
            + "daily CronJob wants. Not with --from or --to.")
    Integer lastDays;

    @Option(names = "--models-dir", required = true, description = "Model directory: one folder per model, CURRENT "
            + "names the model in force.")
    Path modelsDir;

    @Option(names = "--current", description = "The model in force (default: the one CURRENT names).")
    Path current;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers; a promoted model is published there.")
    String bootstrap;

    @Option(names = "--model-topic", defaultValue = "shrinkwatch.models", description = "Default ${DEFAULT-VALUE}.")
    String modelTopic;

    @Option(names = "--margin", defaultValue = "0.02", description = "Tolerated drop in held-out F1 against the current "
            + "model (default ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--force", description = "Promote whatever the gate says (manual override; the report says so).")
    boolean force;

    @Option(names = "--holdout", defaultValue = "0.25", description = "Most recent share of the window held out for "
            + "the gate (default ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--all-divisions-up-to", defaultValue = "6", description = "Evaluate every lane division up to "
            + "this many lanes (default ${DEFAULT-VALUE}, paper: 6 lanes, 20 divisions).")
    int allDivisionsUpTo;

    @Option(names = "--random-divisions", defaultValue = "20", description = "Random divisions with more lanes "
            + "(default ${DEFAULT-VALUE}).")
    int randomDivisions;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the archive read (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--top", defaultValue = "12", description = "Patterns to list in the summary (default ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    MiningFlags mining;

    @Mixin
    SequenceOptions seq;

    @Override
    public Integer call() throws Exception {
        if (lastDays != null) {
            LocalDate[] w = lastDays(java.time.LocalDate.now(ZoneOffset.UTC), lastDays, from, to);
            from = w[0];
            to = w[1];
        }
        Configuration conf = new Configuration();
        conf.set(RemineOptions.HOLDOUT_FRACTION, holdout);
        conf.set(RemineOptions.GATE_MARGIN, margin);
        conf.set(RemineOptions.ALL_DIVISIONS_UP_TO, allDivisionsUpTo);
        conf.set(RemineOptions.RANDOM_DIVISIONS, randomDivisions);
        conf.set(RemineOptions.PARALLELISM, parallelism);
        long fromMs = from == null ? Long.MIN_VALUE : from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long toMs = to == null ? Long.MAX_VALUE : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        if (fromMs >= toMs) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to);
        }
        RemineJob.Input input = source.archive != null ? archive(source.archive) : files(source.files);
        ModelStore store = new ModelStore(modelsDir);
        PatternModel incumbent = current != null ? ModelIo.read(current) : store.current();
        LocalClusterScratch scratch = new LocalClusterScratch();
        RemineJob.Result r = new RemineJob(input, conf, mining.options(), new RemineJob.Window(fromMs, toMs))
                .run(incumbent, force, msg -> System.err.println(msg));
        scratch.cleanUp(5_000);
        Path folder = store.keep(r);
        MineCommand.printSummary(r.mined(), top);
        System.out.printf("held-out (%d transactions): new model precision %.2f recall %.2f F1 %.3f%s%n",
                r.heldOutTransactions(), r.candidateHeldOut().precision(), r.candidateHeldOut().recall(),
                r.candidateHeldOut().f1(), r.currentHeldOut() == null ? ""
                        : String.format("; current %s F1 %.3f", incumbent.getModelId(), r.currentHeldOut().f1()));
        System.out.println("promotion gate: " + r.decision().reason());
        if (r.decision().promote()) {
            store.promote(r.mined().model());
            if (bootstrap != null) {
                ModelStore.publish(r.mined().model(), bootstrap, modelTopic);
                System.out.printf("published %s to %s on %s%n", r.mined().model().getModelId(), modelTopic, bootstrap);
            }
        }
        System.out.printf("model and report -> %s%n", folder);
        return 0;
    }

    /** {@code --last-days n} on {@code today}: the first and last day of the window, both inclusive. */
    static LocalDate[] lastDays(LocalDate today, int n, LocalDate from, LocalDate to) {
        if (from != null || to != null) {
            throw new IllegalArgumentException("--last-days cannot be combined with --from or --to");
        }
        if (n < 1) {
            throw new IllegalArgumentException("--last-days must be at least 1, got " + n);
        }
        return new LocalDate[] {today.minusDays(n), today.minusDays(1)};
    }

    private static RemineJob.Input archive(Path dir) {
        if (!Files.isDirectory(dir.resolve(Archive.SEQUENCES))) {
            throw new IllegalArgumentException(dir + ": no " + Archive.SEQUENCES + "/ folder; is this an archive "
                    + "written by the detection job (--archive-dir)?");
        }
        org.apache.flink.core.fs.Path seqs = new org.apache.flink.core.fs.Path(dir.resolve(Archive.SEQUENCES).toUri());
        Path inc = dir.resolve(Archive.INCIDENTS);
        return new RemineJob.Input() {
            @Override
            public DataStream<LaneSequence> sequences(StreamExecutionEnvironment env) {
                return env.fromSource(Archive.source(LaneSequence.class, seqs), WatermarkStrategy.noWatermarks(),
                        "sequence-archive");
            }

            @Override
            public DataStream<ConfirmedIncident> incidents(StreamExecutionEnvironment env) {
                if (!Files.isDirectory(inc)) {
                    return incidentStream(env, List.of());
                }
                return env.fromSource(Archive.source(ConfirmedIncident.class,
                        new org.apache.flink.core.fs.Path(inc.toUri())), WatermarkStrategy.noWatermarks(),
                        "incident-archive");
            }
        };
    }

    private RemineJob.Input files(JsonFiles f) throws Exception {
        InputFiles.Loaded in = InputFiles.load(f.primitives, f.tlog, f.incidents, seq.strict, seq.marginBeforeMs,
                seq.marginAfterMs, !seq.noClockEstimate, seq.clockTrustedOnly, System.err);
        List<LaneSequence> seqs = new ArrayList<>();
        for (TransactionSequence t : in.transactions()) {
            seqs.add(Archive.sequence(t, 0, "jsonl", List.of()));
        }
        List<ConfirmedIncident> incidents = in.incidents();
        return new RemineJob.Input() {
            @Override
            public DataStream<LaneSequence> sequences(StreamExecutionEnvironment env) {
                return env.fromData(seqs, TypeInformation.of(LaneSequence.class));
            }

            @Override
            public DataStream<ConfirmedIncident> incidents(StreamExecutionEnvironment env) {
                return incidentStream(env, incidents);
            }
        };
    }

    /** A bounded stream of the incidents, possibly none. */
    static DataStream<ConfirmedIncident> incidentStream(StreamExecutionEnvironment env, List<ConfirmedIncident> list) {
        List<ConfirmedIncident> withSentinel = new ArrayList<>(list);
        // fromData cannot take an empty list in Flink 2.2.1; a blank incident is filtered away.
        withSentinel.add(ConfirmedIncident.newBuilder().setStoreId("").setLaneId("").setTxnId("").setTs(0)
                .setKind(io.shrinkwatch.schema.IncidentKind.FAKE_SCAN).build());
        return env.fromData(withSentinel, TypeInformation.of(ConfirmedIncident.class))
                .filter(i -> !i.getTxnId().isEmpty());
    }
}
