package io.shrinkwatch.cli;

import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.detection.DetectionOptions;
import io.shrinkwatch.detection.KafkaPipeline;
import io.shrinkwatch.detection.ResultTables;
import io.shrinkwatch.schema.PatternModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stream}: runs the detection job between Kafka topics. On a cluster, submit the jar with
 * {@code flink run -c io.shrinkwatch.cli.ShrinkWatchCli shrinkwatch.jar stream ...}; run as {@code java -jar} it uses
 * an embedded Flink cluster. Settings come from {@code --flink-conf} ({@code flink-conf/config.yaml}).
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Run the detection job from Kafka (Avro primitives and TLog) to Kafka (Avro alerts).")
final class StreamCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers, e.g. 127.0.0.1:9092.")
    String bootstrap;

    @Option(names = "--model", required = true, description = "Model file written by 'mine', or a model directory "
            + "written by 'remine' (the model its CURRENT names).")
    Path model;

    @Option(names = "--primitives-topic", defaultValue = "shrinkwatch.primitives", description = "Default ${DEFAULT-VALUE}.")
    String primitivesTopic;

    @Option(names = "--tlog-topic", defaultValue = "shrinkwatch.tlog", description = "Default ${DEFAULT-VALUE}.")
    String tlogTopic;

    @Option(names = "--alerts-topic", defaultValue = "shrinkwatch.alerts", description = "Default ${DEFAULT-VALUE}.")
    String alertsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "shrinkwatch.dead-letters", description = "Default ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--late-topic", defaultValue = "shrinkwatch.late-events", description = "Default ${DEFAULT-VALUE}.")
    String lateTopic;

    @Option(names = "--metrics-topic", defaultValue = "shrinkwatch.metrics", description = "Default ${DEFAULT-VALUE}.")
    String metricsTopic;

    @Option(names = "--model-topic", description = "Compacted topic of model updates (Avro model files as values); "
            + "a newer model replaces the running one without a restart. Default: keep --model.")
    String modelTopic;

    @Option(names = "--incidents-topic", defaultValue = "shrinkwatch.incidents",
            description = "Confirmed incidents (Avro), archived with --archive-dir. Default ${DEFAULT-VALUE}.")
    String incidentsTopic;

    @Option(names = "--archive-dir", description = "Archive aligned sequences and incidents (Avro, by date and store) "
            + "under this directory or URI, the input of re-mining. Overrides shrinkwatch.archive.dir.")
    String archiveDir;

    @Option(names = "--group-id", defaultValue = "shrinkwatch-detection", description = "Default ${DEFAULT-VALUE}.")
    String groupId;

    @Mixin
    ResultTableOptions jdbc;

    @Option(names = "--flink-conf", description = "Directory holding config.yaml (e.g. flink-conf).")
    Path flinkConf;

    @Option(names = "--bounded", description = "Stop at the offsets that are latest at start (a backtest). Not with "
            + "--restore-from: a restored bounded Kafka source never finishes (FLINK-31006).")
    boolean bounded;

    @Option(names = "--restore-from", paramLabel = "PATH", description = "Resume from a savepoint or a retained "
            + "checkpoint (a directory holding _metadata), or from the newest completed checkpoint under a checkpoint "
            + "directory (execution.checkpointing.dir), e.g. after the process was killed. A URI other than file: "
            + "is passed to Flink as it is and must name the savepoint or checkpoint itself.")
    String restoreFrom;

    /**
     * Why {@code --bounded} refuses {@code --restore-from}: a bounded {@code KafkaSource} whose enumerator is restored
     * from state never signals that no more splits come, so its readers reach their stopping offsets and wait forever
     * (FLINK-31006; the restored enumerator's partition discovery finds no change and returns before the only place
     * that sets the signal; checked in the bytecode of flink-connector-kafka 5.0.0-2.2, which ShrinkWatch uses).
     */
    static final String BOUNDED_RESTORE = "--bounded with --restore-from: a bounded Kafka source restored from a "
            + "checkpoint or savepoint reads to its stopping offsets and then never finishes (FLINK-31006, open in "
            + "flink-connector-kafka 5.0.0-2.2). Resume without --bounded and stop the job with a savepoint once it has "
            + "caught up (flink stop, or POST /jobs/<id>/stop on the REST API), or run the backtest again from the "
            + "start with a new --group-id.";

    @Override
    public Integer call() throws Exception {
        if (bounded && restoreFrom != null) {
            throw new IllegalArgumentException(BOUNDED_RESTORE);
        }
        PatternModel m = readModel(model);
        Configuration conf = flinkConf == null ? new Configuration()
                : GlobalConfiguration.loadConfiguration(flinkConf.toAbsolutePath().toString());
        if (archiveDir != null) {
            conf.set(DetectionOptions.ARCHIVE_DIR, archiveDir.contains("://") ? archiveDir
                    : Path.of(archiveDir).toAbsolutePath().toUri().toString());
        }
        if (restoreFrom != null) {
            String from = restorePoint(restoreFrom);
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, from);
            System.err.printf("resuming from %s%n", from);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        String problem = checkpointProblem(env.getConfiguration());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (restoreFrom == null) {
            String note = freshStartNote(env.getConfiguration());
            if (note != null) {
                System.err.println(note);
            }
        }
        ResultTables tables = jdbc.migrateAndOpen();
        new KafkaPipeline(bootstrap, primitivesTopic, tlogTopic, alertsTopic, deadLetterTopic, lateTopic, metricsTopic,
                modelTopic, incidentsTopic, groupId, bounded).build(env, m, conf, tables);
        System.err.printf("detecting with model %s: %s + %s -> %s (dead letters: %s)%n", m.getModelId(),
                primitivesTopic, tlogTopic, alertsTopic, deadLetterTopic);
        LocalClusterScratch scratch = new LocalClusterScratch();
        env.execute("shrinkwatch-detection");
        scratch.cleanUp(5_000);
        return 0;
    }

    /**
     * Why the job cannot run with this configuration (the one the environment holds: a cluster's own when submitted
     * with {@code flink run}), or null. The alerts, provisional alerts and metrics go to Kafka in transactions and the
     * archive to files, all committed when a checkpoint completes, so without checkpoints nothing would become
     * visible; and checkpoints left to Flink's default storage, the JobManager's memory, fail once a subtask's state
     * passes 5 MB (a few thousand lanes) and the job restarts without end.
     */
    static String checkpointProblem(ReadableConfig conf) {
        String fix = "; pass --flink-conf flink-conf (its config.yaml checkpoints every 30 s to "
                + "execution.checkpointing.dir) or set them in the cluster's config.yaml";
        if (conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
            return "checkpointing is off (execution.checkpointing.interval unset): the alerts and the archive are "
                    + "committed at checkpoints, so none would appear" + fix;
        }
        String storage = conf.getOptional(CheckpointingOptions.CHECKPOINT_STORAGE).orElse(null);
        boolean toJobManager = storage == null
                ? conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()
                : storage.equalsIgnoreCase("jobmanager");
        if (toJobManager) {
            return "checkpoints would go to the JobManager's memory (execution.checkpointing.dir unset), which refuses "
                    + "a subtask state over 5 MB" + fix;
        }
        return null;
    }

    /**
     * A note when the configured checkpoint directory (a local one) already holds a completed checkpoint and the run
     * was not told to resume from it, else null. Such a run starts from the consumer group's committed offsets with
     * empty lane state: the transactions open at the last run's end lose their first part and the lanes their clock
     * history. Not an error, since a fresh start can be meant (a new model family, a state change), and a cluster with
     * high availability restores the job by itself.
     */
    static String freshStartNote(ReadableConfig conf) throws java.io.IOException {
        String dir = conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).orElse(null);
        if (dir == null || (dir.contains("://") && !dir.startsWith("file:"))) {
            return null;
        }
        String newest;
        try {
            newest = restorePoint(dir);
        } catch (IllegalArgumentException none) {
            return null;
        }
        Path local = dir.contains("://") ? Path.of(java.net.URI.create(dir)) : Path.of(dir);
        return "note: " + dir + " holds completed checkpoints (newest " + newest + "); this run starts without them, "
                + "from the consumer group's committed offsets and empty lane state. To resume a job that died, pass "
                + "--restore-from " + local + " (a cluster with high availability restores by itself).";
    }

    /**
     * What {@code --restore-from} names, as Flink's {@code execution.state-recovery.path}: a local directory holding
     * {@code _metadata} (a savepoint, or one checkpoint {@code chk-N}) as it is; another local directory is searched
     * three levels deep ({@code DIR/<job id>/chk-N/_metadata}, also savepoint directories below it) for the newest
     * {@code _metadata} by modification time, which Flink writes last, so a checkpoint cut short by a kill (no
     * {@code _metadata}) is never taken. A URI of another scheme is returned unchanged.
     *
     * @throws IllegalArgumentException naming the path when it does not exist or holds no completed checkpoint
     */
    static String restorePoint(String path) throws java.io.IOException {
        java.net.URI uri = path.contains("://") ? java.net.URI.create(path) : null;
        if (uri != null && !"file".equals(uri.getScheme())) {
            return path;
        }
        Path dir = uri != null ? Path.of(uri) : Path.of(path).toAbsolutePath();
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--restore-from " + path + ": no such directory");
        }
        if (java.nio.file.Files.isRegularFile(dir.resolve("_metadata"))) {
            return dir.toUri().toString();
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir, 3)) {
            Path newest = walk.filter(p -> p.getFileName().toString().equals("_metadata")
                    && java.nio.file.Files.isRegularFile(p))
                    .max(java.util.Comparator.comparing(p -> {
                        try {
                            return java.nio.file.Files.getLastModifiedTime(p);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })).orElse(null);
            if (newest == null) {
                throw new IllegalArgumentException("--restore-from " + path + ": no completed checkpoint or savepoint "
                        + "(a directory holding _metadata) in it or up to three levels below");
            }
            return newest.getParent().toUri().toString();
        }
    }

    /**
     * A model file, or the model a {@code remine} model directory names in {@code CURRENT}: a deployment can point
     * the job at the directory the re-mining CronJob keeps, and a restarted job starts from the latest promoted model.
     */
    static PatternModel readModel(Path path) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(path)) {
            return ModelIo.read(path);
        }
        PatternModel current = new io.shrinkwatch.remining.ModelStore(path).current();
        if (current == null) {
            throw new IllegalArgumentException(path + ": a model directory without " + io.shrinkwatch.remining
                    .ModelStore.CURRENT + "; run 'remine --models-dir " + path + "' (or 'mine') first");
        }
        return current;
    }
}
