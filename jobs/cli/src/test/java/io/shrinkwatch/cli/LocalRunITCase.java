package io.shrinkwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.simulator.GroundTruthItem;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5's path at small scale: {@code run} starts its own KRaft broker, bootstraps a model with the re-mining job,
 * streams two simulated stores through the detection job and prints the summary. PostgreSQL is started by the test
 * and passed with {@code --jdbc-url}, so the tables can be checked after the command has shut its services down.
 */
class LocalRunITCase {

    @TempDir
    Path dir;

    @Test
    void runStreamsASimulatedChainIntoTheTablesAndSummarisesItAgainstGroundTruth() throws Exception {
        int webPort;
        int metricsPort;
        try (ServerSocket s = new ServerSocket(0); ServerSocket m = new ServerSocket(0)) {
            webPort = s.getLocalPort();
            metricsPort = m.getLocalPort();
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(() -> CliRun.of("run", "--stores", "2",
                    "--lanes", "3", "--hours", "2", "--seed", "11", "--fraud-share", "0.5", "--fraud-rate", "0.03",
                    "--web-port", Integer.toString(webPort), "--metrics-port", Integer.toString(metricsPort),
                    "--work-dir", dir.resolve("work").toString(), "--jdbc-url", url, "--provisional-alerts",
                    "--align-scans"));
            // Scraped while the command runs: the job's counters must be served at the port it prints. The wait ends
            // when they are, or when the command has ended (then the assertion below says they never were).
            AtomicReference<String> scraped = new AtomicReference<>();
            HttpClient http = HttpClient.newHttpClient();
            StreamKillRestoreITCase.await(() -> {
                try {
                    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                            + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    if (body.contains("flink_taskmanager_job_task_operator_eventsIn{")) {
                        scraped.set(body);
                    }
                } catch (IOException notUpYet) {
                    // The reporter starts with the cluster; until then, and after it, the port refuses.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
                return scraped.get() != null || running.isDone();
            }, Duration.ofMinutes(10), "the job's metrics or the end of the command");
            CliRun run = running.get();
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("Prometheus metrics http://127.0.0.1:" + metricsPort + "/metrics");
            assertThat(scraped.get()).as("the job's metrics served while it ran").isNotNull()
                    .contains("operator_name=\"lane_detector\"");
            assertThat(run.err()).contains("bootstrapped by the re-mining job", "scan alignment on", "events/s",
                    "stopped with a draining savepoint");
            // Checkpoints go to files in the work directory, not the JobManager's memory (which refuses 5 MB).
            try (var jobs = Files.list(dir.resolve("work").resolve("checkpoints"))) {
                assertThat(jobs).isNotEmpty();
            }
            assertThat(run.out()).contains("Per store (from PostgreSQL):", "S001", "S002", "PostgreSQL: " + url,
                    "Flink Web UI");

            // The same simulation, to know the truth.
            List<Simulator.StoreOutput> chain = new ArrayList<>();
            Simulator sim = new Simulator(SimulatorConfig.defaults().withSize(2, 3, 2, 11).withFraud(0.5, 0.03),
                    PriceCatalog.bundled());
            chain.add(sim.simulateStore(0));
            chain.add(sim.simulateStore(1));
            long transactions = chain.stream().mapToLong(o -> o.tlog().stream()
                    .filter(t -> t.getType().name().equals("TXN_END")).count()).sum();
            List<GroundTruthItem> truth = new ArrayList<>();
            chain.forEach(o -> truth.addAll(o.truth()));
            List<GroundTruthMatcher.Detection> alerts = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                assertThat(RunCommand.count(c, "SELECT count(*) FROM transaction_verdicts")).isEqualTo(transactions);
                try (ResultSet r = c.createStatement().executeQuery("SELECT store_id, lane_id, "
                        + "(extract(epoch FROM scan_ts) * 1000)::bigint FROM fake_scan_alerts")) {
                    while (r.next()) {
                        alerts.add(new GroundTruthMatcher.Detection(r.getString(1), r.getString(2), r.getLong(3)));
                    }
                }
                assertThat(RunCommand.count(c, "SELECT coalesce(sum(fake_scans), 0) FROM shrink_metrics WHERE "
                        + "scope = 'store' AND window_end - window_start = interval '1 hour'")).isEqualTo(alerts.size());
                assertThat(RunCommand.count(c, "SELECT count(*) FROM fake_scan_alerts WHERE kind = 'UNSCANNED_ITEM'"))
                        .as("items passed around the scanner, raised as unscanned items").isPositive();
            }
            GroundTruthMatcher.Score s = GroundTruthMatcher.score(truth, alerts, GroundTruthMatcher.DEFAULT_TOLERANCE_MS);
            assertThat(run.out()).contains(String.format("%d alerts, %d correct", alerts.size(), s.truePositives()));
            assertThat(s.precision()).isGreaterThanOrEqualTo(0.8);
            assertThat(s.recall(GroundTruthItem.SCAN_NO_BARCODE)).isGreaterThanOrEqualTo(0.5);
            // Provisional alerts: raised, and each resolved by the end (the job stopped with a draining savepoint).
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Provisional alerts \\(topic [^)]+\\): (\\d+) "
                    + "raised, \\d+ correct, \\d+ false \\(precision [0-9.]+\\); later (\\d+) confirmed, (\\d+) withdrawn")
                    .matcher(run.out());
            assertThat(m.find()).as(run.out()).isTrue();
            int raised = Integer.parseInt(m.group(1));
            assertThat(raised).isPositive();
            assertThat(Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3))).isEqualTo(raised);
            assertThat(Integer.parseInt(m.group(2))).isLessThanOrEqualTo(alerts.size());
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                assertThat(RunCommand.count(c, "SELECT count(*) FROM provisional_alerts")).isEqualTo(raised);
                assertThat(RunCommand.count(c, "SELECT count(*) FROM provisional_alerts WHERE status = 'CONFIRMED'"))
                        .isEqualTo(Integer.parseInt(m.group(2)));
            }
        }
    }
}
