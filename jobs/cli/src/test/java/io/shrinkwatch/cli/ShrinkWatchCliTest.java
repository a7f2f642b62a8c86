package io.shrinkwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.algorithm.model.ModelIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of the shrinkwatch.jar subcommands run in-process: output formats, help, and errors on bad input. */
class ShrinkWatchCliTest {

    @TempDir
    Path dir;

    @Test
    void teiresiasPrintsTabSeparatedPatternsWithSortedOffsets() throws Exception {
        Path seqs = dir.resolve("seqs.txt");
        Files.write(seqs, List.of("# two checkouts", "PSBDPSBD", "", "XPSBD"));
        CliRun r = CliRun.of("teiresias", "-L", "4", "-W", "4", "-K", "2", seqs.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("PSBD\t2\t3\t0:0,0:4,1:1\n");
        CliRun occ = CliRun.of("teiresias", "-L", "4", "-W", "4", "-K", "2", "--support", "occ", seqs.toString());
        assertThat(occ.out()).isEqualTo("PSBD\t2\t3\t0:0,0:4,1:1\n");
    }

    @Test
    void teiresiasNamesTheFileLineAndColumnOfABadSymbol() throws Exception {
        Path seqs = dir.resolve("bad.txt");
        Files.write(seqs, List.of("PSBD", "PS.D"));
        CliRun r = CliRun.of("teiresias", "-L", "3", "-W", "3", "-K", "2", seqs.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(seqs + ":2: column 3: symbol '.' is not allowed");
    }

    @Test
    void everySubcommandHasHelpThatPrintsNoWarnings() {
        for (String cmd : List.of("run", "demo", "simulate", "mine", "remine", "detect", "stream", "evaluate",
                "teiresias")) {
            CliRun r = CliRun.of(cmd, "--help");
            assertThat(r.exitCode()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: shrinkwatch " + cmd);
            // A '%' not written as "%%" in a description makes picocli warn on stderr and print the raw text.
            assertThat(r.err()).as(cmd).isEmpty();
        }
        assertThat(CliRun.of("replay", "--help").out()).as("replay is detect's alias").contains("--engine");
    }

    /** {@code mine} on a simulated directory with a small L=W range and few SVM splits, plus {@code more}. */
    /** A small simulated store in {@code sim}; fails the test if the simulator does. */
    static void simulateSmall(Path sim, int lanes, int hours, int seed) {
        CliRun r = CliRun.of("simulate", "--out", sim.toString(), "--lanes", String.valueOf(lanes), "--hours",
                String.valueOf(hours), "--seed", String.valueOf(seed));
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    /** A small simulated store in {@code dir/sim} and the model mined from it, {@code dir/model.avro}. */
    private Path simulatedAndMined(int lanes, int hours, int seed) {
        Path sim = dir.resolve("sim");
        simulateSmall(sim, lanes, hours, seed);
        Path model = dir.resolve("model.avro");
        CliRun mine = mineSmall(sim, model);
        assertThat(mine.exitCode()).as(mine.err()).isZero();
        return model;
    }

    static CliRun mineSmall(Path sim, Path model, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("mine", "--primitives",
                sim.resolve("primitives.jsonl").toString(), "--tlog", sim.resolve("tlog.jsonl").toString(),
                "--incidents", sim.resolve("incidents.jsonl").toString(), "--out", model.toString(), "--lw-max", "6",
                "--svm-splits", "10"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void streamTakesAModelFileOrTheModelAModelDirectoryNamesCurrent() throws Exception {
        Path model = simulatedAndMined(2, 2, 4);
        io.shrinkwatch.schema.PatternModel m = ModelIo.read(model);
        Path models = dir.resolve("models");
        Files.createDirectories(models);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> StreamCommand.readModel(models)))
                .hasMessageContaining("models").hasMessageContaining("CURRENT");
        Files.createDirectories(models.resolve(m.getModelId()));
        Files.copy(model, models.resolve(m.getModelId()).resolve("model.avro"));
        Files.writeString(models.resolve("CURRENT"), m.getModelId() + "\n");
        assertThat(StreamCommand.readModel(models).getModelId()).isEqualTo(m.getModelId());
        assertThat(StreamCommand.readModel(model).getModelId()).isEqualTo(m.getModelId());
    }

    @Test
    void streamRefusesToStartWithoutCheckpointsToFilesAndNamesTheFix() throws Exception {
        org.apache.flink.configuration.Configuration none = new org.apache.flink.configuration.Configuration();
        assertThat(StreamCommand.checkpointProblem(none)).contains("checkpointing is off").contains("--flink-conf");
        org.apache.flink.configuration.Configuration memory = new org.apache.flink.configuration.Configuration();
        memory.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL,
                java.time.Duration.ofSeconds(30));
        assertThat(StreamCommand.checkpointProblem(memory)).contains("JobManager's memory")
                .contains("execution.checkpointing.dir");
        memory.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///tmp/x");
        assertThat(StreamCommand.checkpointProblem(memory)).isNull();
        memory.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINT_STORAGE, "jobmanager");
        assertThat(StreamCommand.checkpointProblem(memory)).contains("JobManager's memory");
        // The shipped config.yaml passes.
        assertThat(StreamCommand.checkpointProblem(org.apache.flink.configuration.GlobalConfiguration
                .loadConfiguration(Path.of("../../flink-conf").toAbsolutePath().toString()))).isNull();
        // The command stops before it reaches Kafka (nothing listens on port 9).
        Path model = simulatedAndMined(2, 2, 4);
        CliRun run = CliRun.of("stream", "--bootstrap", "127.0.0.1:9", "--model", model.toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("checkpointing is off");
    }

    @Test
    void restoreFromTakesTheNewestCompletedCheckpointUnderADirectoryAndNamesAPathWithout() throws Exception {
        Path root = dir.resolve("checkpoints");
        Path older = Files.createDirectories(root.resolve("job-a").resolve("chk-7"));
        Path newer = Files.createDirectories(root.resolve("job-b").resolve("chk-3"));
        Path cutShort = Files.createDirectories(root.resolve("job-b").resolve("chk-4"));
        Files.writeString(older.resolve("_metadata"), "x");
        Files.writeString(newer.resolve("_metadata"), "x");
        Files.writeString(cutShort.resolve("some-state-file"), "x");
        Files.setLastModifiedTime(older.resolve("_metadata"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(newer.resolve("_metadata"), java.nio.file.attribute.FileTime.fromMillis(2_000_000));
        // Newest completed, not highest-numbered nor the one cut short by a kill; as a path or a file: URI.
        assertThat(StreamCommand.restorePoint(root.toString())).isEqualTo(newer.toUri().toString());
        assertThat(StreamCommand.restorePoint(root.toUri().toString())).isEqualTo(newer.toUri().toString());
        assertThat(StreamCommand.restorePoint(older.toString())).isEqualTo(older.toUri().toString());
        assertThat(StreamCommand.restorePoint("s3://bucket/savepoints/savepoint-1")).isEqualTo(
                "s3://bucket/savepoints/savepoint-1");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> StreamCommand.restorePoint(
                cutShort.toString()))).hasMessageContaining(cutShort.toString()).hasMessageContaining("_metadata");
        // A run that does not resume is told what it leaves behind.
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        assertThat(StreamCommand.freshStartNote(conf)).isNull();
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY, root.toUri().toString());
        assertThat(StreamCommand.freshStartNote(conf)).contains(newer.toUri().toString(), "--restore-from " + root);
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("empty").toUri().toString());
        assertThat(StreamCommand.freshStartNote(conf)).isNull();
        Path model = simulatedAndMined(2, 2, 4);
        CliRun run = CliRun.of("stream", "--bootstrap", "127.0.0.1:9", "--model", model.toString(), "--restore-from",
                dir.resolve("nowhere").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--restore-from " + dir.resolve("nowhere") + ": no such directory");
        // A restored bounded Kafka source would never finish, so the pair is refused before anything starts.
        CliRun bounded = CliRun.of("stream", "--bootstrap", "127.0.0.1:9", "--model", model.toString(), "--bounded",
                "--restore-from", newer.toString());
        assertThat(bounded.exitCode()).isEqualTo(2);
        assertThat(bounded.err()).contains("--bounded with --restore-from", "FLINK-31006");
    }

    @Test
    void remineLastDaysIsTheDaysBeforeTodayAndExcludesAnExplicitWindow() {
        java.time.LocalDate today = java.time.LocalDate.of(2026, 12, 1);
        assertThat(RemineCommand.lastDays(today, 7, null, null)).containsExactly(java.time.LocalDate.of(2026, 11, 24),
                java.time.LocalDate.of(2026, 11, 30));
        assertThat(RemineCommand.lastDays(today, 1, null, null)).containsExactly(java.time.LocalDate.of(2026, 11, 30),
                java.time.LocalDate.of(2026, 11, 30));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RemineCommand.lastDays(today, 7, today, null)))
                .hasMessageContaining("--from");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RemineCommand.lastDays(today, 0, null, null)))
                .hasMessageContaining("at least 1");
        CliRun both = CliRun.of("remine", "--archive", dir.toString(), "--models-dir", dir.resolve("m").toString(),
                "--last-days", "3", "--to", "2026-11-30");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--last-days cannot be combined");
    }

    @Test
    void simulateMineDetectAndEvaluateRunEndToEnd() throws Exception {
        Path sim = dir.resolve("sim");
        simulateSmall(sim, 3, 4, 3);
        for (String f : List.of("primitives.jsonl", "tlog.jsonl", "incidents.jsonl", "ground_truth.jsonl",
                "lanes.jsonl", "cashiers.jsonl")) {
            assertThat(sim.resolve(f)).isNotEmptyFile();
        }
        Path model = dir.resolve("m/model.avro");
        CliRun mine = mineSmall(sim, model, "--created-ms", "0");
        assertThat(mine.exitCode()).as(mine.err()).isZero();
        assertThat(mine.out()).contains("Top patterns by repeats", "PSBD", "PBSD");
        assertThat(model).isNotEmptyFile();
        assertThat(Path.of(model + ".json")).content().contains("\"patterns\"");

        Path alerts = dir.resolve("alerts.jsonl");
        CliRun detect = CliRun.of("detect", "--primitives", sim.resolve("primitives.jsonl").toString(), "--tlog",
                sim.resolve("tlog.jsonl").toString(), "--model", model.toString(), "--alerts-out", alerts.toString(),
                "--engine", "library");
        assertThat(detect.exitCode()).as(detect.err()).isZero();
        List<String> lines = Files.readAllLines(alerts);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"store_id\"", "\"lane_id\"",
                "\"txn_id\"", "\"cashier_id\"", "\"scan_ts\"", "\"start_ts\"", "\"end_ts\"", "\"confidence\"",
                "\"model_id\":\"m-", "\"kind\":\""));

        CliRun eval = CliRun.of("evaluate", "--alerts", alerts.toString(), "--truth",
                sim.resolve("ground_truth.jsonl").toString());
        assertThat(eval.exitCode()).isZero();
        assertThat(eval.out()).contains("precision", "SCAN_NO_BARCODE");
    }

    @Test
    void scanAlignmentIsStoredInTheModelAndOverriddenByDetect() throws Exception {
        Path sim = dir.resolve("sim-align");
        simulateSmall(sim, 3, 4, 3);
        Path model = dir.resolve("aligned.avro");
        CliRun mine = mineSmall(sim, model, "--created-ms", "0", "--align-scans");
        assertThat(mine.exitCode()).as(mine.err()).isZero();
        assertThat(Path.of(model + ".json")).content().containsPattern("\"align_scans\"\\s*:\\s*true");
        assertThat(ModelIo.rules(ModelIo.read(model)).alignScans()).isTrue();
        Path alerts = dir.resolve("unaligned.jsonl");
        CliRun off = CliRun.of("detect", "--engine", "library", "--primitives",
                sim.resolve("primitives.jsonl").toString(), "--tlog", sim.resolve("tlog.jsonl").toString(), "--model",
                model.toString(), "--alerts-out", alerts.toString(), "--align-scans=false");
        assertThat(off.exitCode()).as(off.err()).isZero();
        assertThat(off.out()).contains("~cli");
        DetectCommand cmd = new DetectCommand();
        new picocli.CommandLine(cmd).parseArgs("--primitives", "p", "--tlog", "t", "--model", "m", "--alerts-out", "a",
                "--align-scans=false");
        assertThat(ModelIo.rules(cmd.overridden(ModelIo.read(model))).alignScans()).isFalse();
        new picocli.CommandLine(cmd = new DetectCommand()).parseArgs("--primitives", "p", "--tlog", "t", "--model",
                "m", "--alerts-out", "a", "--paper");
        assertThat(ModelIo.rules(cmd.overridden(ModelIo.read(model))).alignScans()).isFalse();
    }

    @Test
    void detectRunsTheFlinkJobWritesTablesAndTheArchiveAndAgreesWithTheLibrary() throws Exception {
        Path model = simulatedAndMined(3, 6, 5);
        Path sim = dir.resolve("sim");
        Path replayed = dir.resolve("replay.jsonl");
        Path archive = dir.resolve("archive");
        try (var postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            CliRun replay = CliRun.of("detect", "--primitives", sim.resolve("primitives.jsonl").toString(), "--tlog",
                    sim.resolve("tlog.jsonl").toString(), "--model", model.toString(), "--alerts-out",
                    replayed.toString(), "--parallelism", "2", "--jdbc-url", url, "--incidents",
                    sim.resolve("incidents.jsonl").toString(), "--archive-dir", archive.toString());
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(replay.err()).contains("4 migration(s) applied");
            try (var c = java.sql.DriverManager.getConnection(url, "postgres", "");
                    var rs = c.createStatement().executeQuery("SELECT count(*) FROM fake_scan_alerts")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(Files.readAllLines(replayed).size());
            }
        }
        long txnEnds = Files.readAllLines(sim.resolve("tlog.jsonl")).stream().filter(l -> l.contains("TXN_END")).count();
        assertThat(ArchiveFiles.count(archive.resolve("sequences"))).isEqualTo(txnEnds);
        assertThat(ArchiveFiles.count(archive.resolve("incidents")))
                .isEqualTo(Files.readAllLines(sim.resolve("incidents.jsonl")).size());
        assertThat(ArchiveFiles.partitions(archive.resolve("sequences"))).allMatch(p -> p.matches(
                "dt=\\d{4}-\\d{2}-\\d{2}/store=S001"));

        Path models = dir.resolve("models");
        CliRun remine = CliRun.of("remine", "--archive", archive.toString(), "--models-dir", models.toString(),
                "--lw-max", "6", "--svm-splits", "10");
        assertThat(remine.exitCode()).as(remine.err()).isZero();
        assertThat(remine.err()).contains("division 3/3");
        assertThat(remine.out()).contains("Top patterns by repeats", "promotion gate: promoted: no current model");
        String current = Files.readString(models.resolve("CURRENT")).trim();
        assertThat(models.resolve(current).resolve("figure4.svg")).isNotEmptyFile();
        CliRun again = CliRun.of("remine", "--archive", archive.toString(), "--models-dir", models.toString(),
                "--lw-max", "6", "--svm-splits", "10", "--to", "2000-01-01");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("only 0 transactions in the training window");

        Path detected = dir.resolve("detect.jsonl");
        CliRun.of("detect", "--engine", "library", "--primitives", sim.resolve("primitives.jsonl").toString(),
                "--tlog", sim.resolve("tlog.jsonl").toString(), "--model", model.toString(), "--alerts-out",
                detected.toString());
        List<String> fromJob = Files.readAllLines(replayed);
        List<String> fromLibrary = Files.readAllLines(detected);
        assertThat(fromJob).isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"scan_ts\"", "\"model_id\":\"m-"));
        // Both run the same classifier; they differ only where the clock estimates differ (event-time window vs hour).
        assertThat(fromJob.size()).isBetween(fromLibrary.size() - 3, fromLibrary.size() + 3);
    }

    @Test
    void detectWithProvisionalOutRaisesEarlyAlertsAndResolvesEachOnceWithoutChangingTheAlerts() throws Exception {
        Path sim = dir.resolve("sim");
        simulateSmall(sim, 3, 4, 5);
        Path model = dir.resolve("model.avro");
        assertThat(mineSmall(sim, model).exitCode()).isZero();
        List<String> common = List.of("detect", "--primitives", sim.resolve("primitives.jsonl").toString(), "--tlog",
                sim.resolve("tlog.jsonl").toString(), "--model", model.toString(), "--state-backend", "hashmap",
                "--parallelism", "1");
        Path plain = dir.resolve("plain.jsonl");
        List<String> args = new java.util.ArrayList<>(common);
        args.addAll(List.of("--alerts-out", plain.toString()));
        assertThat(CliRun.of(args.toArray(String[]::new)).exitCode()).isZero();
        Path alerts = dir.resolve("alerts.jsonl");
        Path provisional = dir.resolve("provisional.jsonl");
        args = new java.util.ArrayList<>(common);
        args.addAll(List.of("--alerts-out", alerts.toString(), "--provisional-out", provisional.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("\\d+ provisional alerts, \\d+ confirmed, \\d+ withdrawn");
        assertThat(Files.readAllLines(alerts)).isNotEmpty().containsExactlyElementsOf(Files.readAllLines(plain));

        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<String, List<String>> fates = new java.util.LinkedHashMap<>();
        for (String l : Files.readAllLines(provisional)) {
            var r = json.readTree(l);
            assertThat(r.get("decided_ts").asLong()).isGreaterThanOrEqualTo(r.get("end_ts").asLong());
            assertThat(r.get("kind").asText()).isIn("FAKE_SCAN", "UNSCANNED_ITEM");
            fates.computeIfAbsent(r.get("lane_id").asText() + "@" + r.get("scan_ts").asLong(),
                    k -> new java.util.ArrayList<>()).add(r.get("status").asText());
        }
        assertThat(fates).isNotEmpty();
        assertThat(fates.values()).allSatisfy(f -> assertThat(String.join(",", f))
                .isIn("PROVISIONAL,CONFIRMED", "PROVISIONAL,WITHDRAWN"));
        long confirmed = fates.values().stream().filter(f -> f.get(1).equals("CONFIRMED")).count();
        assertThat(confirmed).isPositive().isLessThanOrEqualTo(Files.readAllLines(alerts).size());

        args = new java.util.ArrayList<>(common);
        args.addAll(List.of("--alerts-out", alerts.toString(), "--provisional-out", provisional.toString(),
                "--engine", "library"));
        CliRun library = CliRun.of(args.toArray(String[]::new));
        assertThat(library.exitCode()).isEqualTo(2);
        assertThat(library.err()).contains("--provisional-out need --engine job");
    }

    @Test
    void badInputLinesAreSkippedAndReportedOrStopAStrictRun() throws Exception {
        Path sim = dir.resolve("sim");
        simulateSmall(sim, 2, 2, 4);
        Path prims = sim.resolve("primitives.jsonl");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(prims));
        lines.add(3, "{\"store_id\":\"S001\",\"lane_id\":\"L01\",\"ts\":\"yesterday\",\"kind\":\"P\"}");
        Files.write(prims, lines);
        Path model = dir.resolve("model.avro");
        CliRun lenient = CliRun.of("mine", "--primitives", prims.toString(), "--tlog", sim.resolve("tlog.jsonl")
                .toString(), "--out", model.toString(), "--lw-max", "5");
        assertThat(lenient.exitCode()).as(lenient.err()).isZero();
        assertThat(lenient.err()).contains("skipped 1 bad input line", prims + ":4: field 'ts': must be an integer");
        CliRun strict = CliRun.of("mine", "--primitives", prims.toString(), "--tlog", sim.resolve("tlog.jsonl")
                .toString(), "--out", model.toString(), "--strict");
        assertThat(strict.exitCode()).isEqualTo(2);
        assertThat(strict.err()).contains(prims + ":4: field 'ts'");
    }

    @Test
    void aMissingOrForeignModelFileIsAClearError() throws Exception {
        Path notModel = dir.resolve("x.avro");
        Files.writeString(notModel, "hello");
        Path empty = dir.resolve("e.jsonl");
        Files.writeString(empty, "");
        CliRun r = CliRun.of("detect", "--primitives", empty.toString(), "--tlog", empty.toString(), "--model",
                notModel.toString(), "--alerts-out", dir.resolve("a.jsonl").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(notModel + ": not a ShrinkWatch model");
        CliRun missing = CliRun.of("detect", "--primitives", empty.toString(), "--tlog", empty.toString(), "--model",
                dir.resolve("none.avro").toString(), "--alerts-out", dir.resolve("a.jsonl").toString());
        assertThat(missing.err()).contains("none.avro: no such model file");
    }
}
