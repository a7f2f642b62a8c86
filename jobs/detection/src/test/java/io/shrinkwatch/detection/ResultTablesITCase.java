package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job's result tables on a real PostgreSQL (embedded server binary from Maven): idempotent across replays. */
class ResultTablesITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static EmbeddedPostgres postgres;
    static String url;
    static PatternModel model;
    static Simulator.StoreOutput day;

    @BeforeAll
    static void startPostgresAndSimulate() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        url = postgres.getJdbcUrl("postgres", "postgres");
        PriceCatalog catalog = PriceCatalog.bundled();
        Simulator.StoreOutput train = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 31), catalog)
                .simulateStore(0);
        model = DetectionJobITCase.mined(train);
        day = new Simulator(SimulatorConfig.defaults().withSize(1, 3, 4, 32), catalog).simulateStore(0);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The detection graph over the simulated day on RocksDB, p = 2, checkpoints every 500 ms. */
    static DetectionJob.Outputs wireDay(Configuration conf) {
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        TypeInformation<LaneEvent> type = TypeInformation.of(LaneEvent.class);
        DataStream<LaneEvent> prims = env.fromData(day.primitives().stream().map(LaneEvent::of).toList(), type)
                .assignTimestampsAndWatermarks(DetectionJob.watermarks(conf));
        DataStream<LaneEvent> tlog = env.fromData(day.tlog().stream().map(LaneEvent::of).toList(), type)
                .assignTimestampsAndWatermarks(DetectionJob.watermarks(conf));
        return new DetectionJob(model, conf).wire(prims, tlog);
    }

    /** Runs the job over the simulated day into the tables; returns the alerts it emitted. */
    static List<FakeScanAlert> runOnce() throws Exception {
        Configuration conf = new Configuration();
        DetectionJob.Outputs outs = wireDay(conf);
        new ResultTables(url, "postgres", "").attach(outs,
                MetricsJob.wire(outs.verdicts(), conf.get(DetectionOptions.METRIC_WINDOWS)));
        List<FakeScanAlert> alerts = new ArrayList<>();
        try (CloseableIterator<FakeScanAlert> it = outs.alerts().executeAndCollect("result-tables")) {
            it.forEachRemaining(alerts::add);
        }
        return alerts;
    }

    @Test
    void migrationsApplyOnceAndCommentTheTablesForAnalysts() throws Exception {
        assertThat(Migrations.apply(url, "postgres", "")).isLessThanOrEqualTo(4);
        assertThat(Migrations.apply(url, "postgres", "")).isZero();
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            assertThat(count(c, "SELECT count(*) FROM shrinkwatch_schema_version")).isEqualTo(4);
            assertThat(count(c, "SELECT count(*) FROM pg_description d JOIN pg_class t ON d.objoid = t.oid "
                    + "WHERE t.relname IN ('fake_scan_alerts', 'transaction_verdicts', 'shrink_metrics', "
                    + "'provisional_alerts') AND d.objsubid = 0")).isEqualTo(4);
        }
    }

    @Test
    void provisionalAlertsMoveFromOpenToTheirFateAndAReplayNeverReopensThem() throws Exception {
        Migrations.apply(url, "postgres", "");
        List<ProvisionalAlert> first = runProvisional();
        long raised = first.stream().filter(p -> p.status.equals(ProvisionalAlert.PROVISIONAL)).count();
        long confirmed = first.stream().filter(p -> p.status.equals(ProvisionalAlert.CONFIRMED)).count();
        assertThat(raised).isPositive();
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            assertThat(count(c, "SELECT count(*) FROM provisional_alerts")).isEqualTo(raised);
            assertThat(count(c, "SELECT count(*) FROM provisional_alerts WHERE status = 'PROVISIONAL'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM provisional_alerts WHERE status = 'CONFIRMED'"))
                    .isEqualTo(confirmed);
            assertThat(count(c, "SELECT count(*) FROM provisional_alerts WHERE resolved_event_ts IS NULL "
                    + "OR resolved_event_ts < raised_event_ts")).isZero();
            // A confirmed row carries the settled alert's kind; a withdrawn one keeps the kind it was raised with.
            assertThat(count(c, "SELECT count(*) FROM provisional_alerts WHERE kind = 'UNSCANNED_ITEM'"))
                    .isPositive().isEqualTo(finalKinds(first, FakeScanAlert.UNSCANNED_ITEM));
        }
        // A replay of only the raises (as after a restore cut between a raise and its fate) changes nothing.
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                var ps = c.prepareStatement(ResultTables.UPSERT_PROVISIONAL)) {
            for (ProvisionalAlert p : first) {
                if (p.status.equals(ProvisionalAlert.PROVISIONAL)) {
                    ResultTables.bindProvisional(ps, p);
                    ps.executeUpdate();
                }
            }
            assertThat(count(c, "SELECT count(*) FROM provisional_alerts WHERE status = 'PROVISIONAL'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM provisional_alerts")).isEqualTo(raised);
        }
    }

    /** How many provisional alerts end with {@code kind}: the last record of each (the table keeps the fate). */
    static long finalKinds(List<ProvisionalAlert> records, String kind) {
        Map<String, String> last = new HashMap<>();
        for (ProvisionalAlert p : records) {
            last.put(p.storeId + "/" + p.laneId + "/" + p.scanTs, p.kind());
        }
        return last.values().stream().filter(kind::equals).count();
    }

    /** Runs the job with provisional alerts on into the tables; returns the provisional records it emitted. */
    static List<ProvisionalAlert> runProvisional() throws Exception {
        Configuration conf = new Configuration();
        conf.set(DetectionOptions.PROVISIONAL_ALERTS, true);
        DetectionJob.Outputs outs = wireDay(conf);
        new ResultTables(url, "postgres", "").attachProvisional(outs.provisional());
        List<ProvisionalAlert> out = new ArrayList<>();
        try (CloseableIterator<ProvisionalAlert> it = outs.provisional().executeAndCollect("provisional-tables")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void aReplayRewritesTheSameRowsAndNeverDoubleCounts() throws Exception {
        Migrations.apply(url, "postgres", "");
        List<FakeScanAlert> first = runOnce();
        long verdicts;
        long metrics;
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            assertThat(count(c, "SELECT count(*) FROM fake_scan_alerts")).isEqualTo(first.size());
            assertThat(count(c, "SELECT count(*) FROM fake_scan_alerts WHERE kind = 'UNSCANNED_ITEM'"))
                    .isEqualTo(first.stream().filter(a -> FakeScanAlert.UNSCANNED_ITEM.equals(a.kind)).count());
            verdicts = count(c, "SELECT count(*) FROM transaction_verdicts");
            metrics = count(c, "SELECT count(*) FROM shrink_metrics");
            assertThat(verdicts).isEqualTo(day.transactions());
            assertThat(count(c, "SELECT coalesce(sum(fake_scans), 0) FROM transaction_verdicts"))
                    .isEqualTo(first.size());
            assertThat(count(c, "SELECT coalesce(sum(fake_scans), 0) FROM shrink_metrics WHERE scope = 'store' "
                    + "AND window_end - window_start = interval '1 hour'")).isEqualTo(first.size());
        }
        List<FakeScanAlert> second = runOnce();
        assertThat(second).hasSameSizeAs(first);
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            assertThat(count(c, "SELECT count(*) FROM fake_scan_alerts")).isEqualTo(first.size());
            assertThat(count(c, "SELECT count(*) FROM transaction_verdicts")).isEqualTo(verdicts);
            assertThat(count(c, "SELECT count(*) FROM shrink_metrics")).isEqualTo(metrics);
        }
    }

    /** The analysts' queries of {@code notebooks/sql}, run as they are. */
    static List<Map<String, Object>> query(Connection c, String file) throws Exception {
        return rows(c, Files.readString(Path.of("../../notebooks/sql", file)));
    }

    private static long sum(List<Map<String, Object>> rows, String column) {
        return rows.stream().mapToLong(r -> ((Number) r.get(column)).longValue()).sum();
    }

    @Test
    void theAnalystQueriesRunOnTheTablesAndAddUpToThem() throws Exception {
        Migrations.apply(url, "postgres", "");
        List<FakeScanAlert> alerts = runOnce();
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            List<Map<String, Object>> days = query(c, "shrink_by_store_day.sql");
            assertThat(days).isNotEmpty().allSatisfy(r -> assertThat(r.get("store_id")).isEqualTo("S001"));
            assertThat(sum(days, "unregistered_items")).isEqualTo(alerts.size());
            assertThat(sum(days, "transactions")).isEqualTo(day.transactions());

            List<Map<String, Object>> cashiers = query(c, "cashier_rates.sql");
            assertThat(cashiers).isNotEmpty().allSatisfy(r -> {
                assertThat(((Number) r.get("items")).longValue()).isGreaterThanOrEqualTo(200);
                assertThat(((Number) r.get("unregistered_items")).longValue()).isEqualTo(alerts.stream()
                        .filter(a -> r.get("cashier_id").equals(a.cashierId)).count());
            });
            List<Double> rates = cashiers.stream().map(r -> ((Number) r.get("per_1000_items")).doubleValue())
                    .toList();
            assertThat(rates).isSortedAccordingTo(Comparator.reverseOrder());

            List<Map<String, Object>> kinds = query(c, "alerts_by_kind.sql");
            assertThat(sum(kinds, "alerts")).isEqualTo(alerts.size());
            assertThat(kinds).allSatisfy(r -> assertThat(r.get("alerts")).isEqualTo(alerts.stream()
                    .filter(a -> a.kind.equals(r.get("kind"))).count()));

            List<Map<String, Object>> queue = query(c, "evidence_queue.sql");
            assertThat(queue).hasSize((int) Math.min(100, alerts.size())).allSatisfy(r -> {
                Timestamp scan = (Timestamp) r.get("scan_ts");
                assertThat((Timestamp) r.get("evidence_start_ts")).isBefore(scan);
                assertThat((Timestamp) r.get("evidence_end_ts")).isAfter(scan);
            });

            List<Map<String, Object>> hours = query(c, "lane_hours.sql");
            assertThat(sum(hours, "unregistered_items")).isEqualTo(alerts.size());
            assertThat(sum(hours, "transactions")).isEqualTo(day.transactions());
        }
    }

    private static final Path DASHBOARD = Path.of("../../helm/shrinkwatch/dashboards/shrinkwatch.json");
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");

    /**
     * A panel or variable query as Grafana's PostgreSQL data source sends it: {@code $__timeFilter(col)} becomes
     * {@code col BETWEEN 'from' AND 'to'} (RFC 3339, UTC) and a multi-value variable its values quoted and joined by
     * commas. No Grafana runs here; a query with any other macro fails the test instead of being guessed at.
     */
    static String expand(String sql, Instant from, Instant to, List<String> stores) {
        String out = TIME_FILTER.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(
                m.group(1) + " BETWEEN '" + from + "' AND '" + to + "'"));
        String quoted = String.join(",", stores.stream().map(v -> "'" + v.replace("'", "''") + "'").toList());
        out = out.replace("${store}", quoted).replace("$store", quoted);
        assertThat(out).as("a macro this test does not expand").doesNotContain("$");
        return out;
    }

    /** Every row of a query, each as column label to value in column order. */
    static List<Map<String, Object>> rows(Connection c, String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Each panel's one query, by panel title, expanded for the given range and stores, and run. */
    static Map<String, List<Map<String, Object>>> panels(Connection c, JsonNode dashboard, Instant from, Instant to,
            List<String> stores) throws Exception {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.get("panels")) {
            JsonNode targets = panel.get("targets");
            assertThat(targets).as(panel.get("title").asText()).hasSize(1);
            out.put(panel.get("title").asText(), rows(c, expand(targets.get(0).get("rawSql").asText(), from, to,
                    stores)));
        }
        return out;
    }

    private static long number(List<Map<String, Object>> rows, String column) {
        assertThat(rows).hasSize(1);
        return ((Number) rows.get(0).get(column)).longValue();
    }

    @Test
    void theDashboardPanelsQueryTheTablesForTheTimeRangeAndAddUpToTheAlerts() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<Long> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asLong())).as("unique panel id").isTrue();
            assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.at("/targets/0/datasource/uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.at("/gridPos/x").asInt() + panel.at("/gridPos/w").asInt()).isLessThanOrEqualTo(24);
        }
        Migrations.apply(url, "postgres", "");
        List<FakeScanAlert> alerts = runOnce();
        long first = day.tlog().stream().mapToLong(e -> e.getTs()).min().orElseThrow();
        long last = day.tlog().stream().mapToLong(e -> e.getTs()).max().orElseThrow();
        Instant from = Instant.ofEpochMilli(first).minusSeconds(3600);
        Instant to = Instant.ofEpochMilli(last).plusSeconds(3600);
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            JsonNode storeVar = dashboard.at("/templating/list/1");
            assertThat(storeVar.get("name").asText()).isEqualTo("store");
            List<String> stores = rows(c, expand(storeVar.get("query").asText(), from, to, List.of())).stream()
                    .map(r -> (String) r.values().iterator().next()).toList();
            assertThat(stores).containsExactly("S001");

            Map<String, List<Map<String, Object>>> p = panels(c, dashboard, from, to, stores);
            assertThat(number(p.get("Unregistered items"), "unregistered items")).isEqualTo(alerts.size());
            assertThat(number(p.get("Transactions"), "transactions")).isEqualTo(day.transactions());
            List<Map<String, Object>> storeRows = p.get("Stores, highest rate first");
            assertThat(storeRows).hasSize(1);
            assertThat(sum(storeRows, "unregistered_items")).isEqualTo(alerts.size());
            assertThat(sum(storeRows, "transactions")).isEqualTo(day.transactions());
            assertThat(((Number) p.get("Per 1,000 registered items").get(0).get("per 1,000 items")).doubleValue())
                    .isEqualTo(((Number) storeRows.get(0).get("per_1000_items")).doubleValue());
            assertThat(((Number) p.get("Estimated loss").get(0).get("estimated loss")).doubleValue())
                    .isEqualTo(((Number) storeRows.get(0).get("estimated_loss")).doubleValue()).isPositive();

            List<Map<String, Object>> series =
                    p.get("Unregistered items per 1,000 registered items, per store and hour (the 10 highest)");
            assertThat(series).hasSizeGreaterThanOrEqualTo(4).allSatisfy(r -> {
                assertThat(r.get("time")).isInstanceOf(Timestamp.class);
                assertThat(r.get("metric")).isEqualTo("S001");
                assertThat(r.get("value")).isInstanceOf(Number.class);
            });
            assertThat(sum(p.get("Unregistered items by kind"), "alerts")).isEqualTo(alerts.size());
            assertThat(sum(p.get("Lanes by hour of day"), "unregistered_items")).isEqualTo(alerts.size());
            List<Map<String, Object>> cashiers = p.get("Cashiers, highest rate first");
            assertThat(cashiers).isNotEmpty().allSatisfy(r ->
                    assertThat(((Number) r.get("items")).longValue()).isGreaterThanOrEqualTo(200));
            assertThat(cashiers.stream().map(r -> ((Number) r.get("per_1000_items")).doubleValue()).toList())
                    .isSortedAccordingTo(Comparator.reverseOrder());
            assertThat(p.get("Review queue: alerts and the camera clip to pull"))
                    .hasSize((int) Math.min(100, alerts.size())).allSatisfy(r -> {
                        Timestamp scan = (Timestamp) r.get("scan_ts");
                        assertThat((Timestamp) r.get("evidence_start_ts")).isBefore(scan);
                        assertThat((Timestamp) r.get("evidence_end_ts")).isAfter(scan);
                    });

            // A range before the day: the time filter, not the data, decides what the panels show.
            Map<String, List<Map<String, Object>>> none = panels(c, dashboard, from.minusSeconds(86_400 * 30),
                    from.minusSeconds(86_400 * 29), stores);
            assertThat(number(none.get("Unregistered items"), "unregistered items")).isZero();
            assertThat(number(none.get("Transactions"), "transactions")).isZero();
            assertThat(none.get("Stores, highest rate first")).isEmpty();
            assertThat(none.get("Review queue: alerts and the camera clip to pull")).isEmpty();
            assertThat(none.get("Lanes by hour of day")).isEmpty();
            // And a store that is not there selects nothing.
            assertThat(number(panels(c, dashboard, from, to, List.of("S999")).get("Unregistered items"),
                    "unregistered items")).isZero();
        }
    }
}
