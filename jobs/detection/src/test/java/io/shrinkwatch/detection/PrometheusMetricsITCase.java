package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shrinkwatch.localkafka.LocalKafka;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's metrics as Prometheus scrapes them: the production Kafka pipeline on a real KRaft broker and a MiniCluster
 * with the Prometheus reporter {@code flink-conf/config.yaml} configures, scraped over HTTP while the job runs. Every
 * metric the data engineers' Grafana dashboard ({@code helm/shrinkwatch/dashboards/shrinkwatch-job.json}) queries
 * must be in the scrape, and the job's own counters must count what it read.
 */
class PrometheusMetricsITCase {

    private static final int PORT = freePort();
    private static final Path DASHBOARD = Path.of("../../helm/shrinkwatch/dashboards/shrinkwatch-job.json");
    /** A metric name in a PromQL expression: Flink's Prometheus reporter prefixes every one with {@code flink_}. */
    private static final Pattern METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_]+");
    /** A metric with its label matchers, {@code name{...}}. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(flink_[A-Za-z0-9_]+)\\{([^}]*)}");
    /** An exact label match with a literal value (not a regex, not a dashboard variable). */
    private static final Pattern EXACT_LABEL = Pattern.compile("(\\w+)=\"([^\"$]*)\"");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(reporter()).build());

    static KafkaClusterTestKit kafka;
    static PatternModel model;
    static Simulator.StoreOutput day;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reporter as {@code flink-conf/config.yaml} sets it, on a port free on this machine. */
    private static Configuration reporter() {
        Configuration c = new Configuration();
        c.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", Integer.toString(PORT));
        return c;
    }

    @BeforeAll
    static void startKafkaAndSimulate() throws Exception {
        kafka = LocalKafka.start();
        KafkaDetectionITCase.createPipelineTopics(kafka, "prom");
        PriceCatalog catalog = PriceCatalog.bundled();
        Simulator.StoreOutput train = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 21), catalog)
                .simulateStore(0);
        model = DetectionJobITCase.mined(train);
        day = new Simulator(SimulatorConfig.defaults().withSize(1, 3, 6, 22), catalog).simulateStore(0);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static String scrape(HttpClient http) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The sum of a metric's samples whose labels contain every given {@code label="value"}. */
    static double sum(String scrape, String metric, String... labels) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") && Arrays.stream(labels).allMatch(line::contains)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** The metric families of a scrape (from its TYPE lines). */
    static Set<String> families(String scrape) {
        Set<String> out = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                out.add(line.split(" ")[2]);
            }
        }
        return out;
    }

    /** Every metric name the dashboard's panels and variables query. */
    static Set<String> dashboardMetrics(JsonNode dashboard) {
        Set<String> out = new TreeSet<>();
        for (JsonNode node : dashboard.findValues("expr")) {
            add(out, node.asText());
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            add(out, variable.at("/query/query").asText(variable.path("query").asText("")));
        }
        return out;
    }

    private static void add(Set<String> out, String expr) {
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            out.add(m.group());
        }
    }

    @Test
    void theDashboardsMetricsAreInTheScrapeAndTheJobCountsWhatItRead() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            KafkaDetectionITCase.sendDay(day, producer, "prom-primitives", "prom-tlog", ts -> true);
            producer.send(new ProducerRecord<>("prom-primitives", KafkaWiring.laneKey("S001", "L01"),
                    "not avro at all".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        long events = day.primitives().size() + day.tlog().size();
        Configuration conf = KafkaDetectionITCase.conf();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        new KafkaPipeline(kafka.bootstrapServers(), "prom-primitives", "prom-tlog", "prom-alerts",
                "prom-dead-letters", "prom-late", "prom-metrics", null, null, "prom", false)
                .build(env, model, conf, null);
        JobClient job = env.executeAsync("prometheus-metrics-itcase");
        AtomicReference<String> last = new AtomicReference<>("");
        HttpClient http = HttpClient.newHttpClient();
        try {
            // Until everything sent is read, an alert is counted and a checkpoint completed (2 min at most).
            CommonTestUtils.waitUntilCondition(() -> {
                String now = scrape(http);
                last.set(now);
                return sum(now, "flink_taskmanager_job_task_operator_eventsIn") >= events
                        && sum(now, "flink_taskmanager_job_task_operator_alerts") > 0
                        && sum(now, "flink_jobmanager_job_numberOfCompletedCheckpoints") > 0;
            }, 500L, 240);
        } finally {
            job.cancel().get();
            Files.writeString(Path.of("target/prometheus-scrape.txt"), last.get());
        }
        String scrape = last.get();

        // The reporter writes label values with every character outside [A-Za-z0-9_] as '_'.
        String detector = "operator_name=\"lane_detector\"";
        assertThat(sum(scrape, "flink_taskmanager_job_task_operator_eventsIn", detector))
                .as("events the lane detector read, of the %d sent", events).isEqualTo((double) events);
        assertThat(sum(scrape, "flink_taskmanager_job_task_operator_alerts", detector)).isPositive();
        // The day's last transactions wait for event time the unbounded sources never bring.
        assertThat(sum(scrape, "flink_taskmanager_job_task_operator_transactions", detector))
                .isPositive().isLessThanOrEqualTo((double) day.transactions());
        assertThat(sum(scrape, "flink_taskmanager_job_task_operator_currentModelTrainingEndMs", detector))
                .as("the model's training end, on both subtasks").isEqualTo(2.0 * model.getTrainingEndMs());
        assertThat(sum(scrape, "flink_taskmanager_job_task_operator_deadLetters")).isEqualTo(1.0);
        assertThat(sum(scrape, "flink_taskmanager_job_task_operator_lateEvents")).isZero();

        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<String> used = dashboardMetrics(dashboard);
        assertThat(used).as("metrics the dashboard queries").hasSizeGreaterThanOrEqualTo(10);
        Set<String> scraped = families(scrape);
        for (String metric : used) {
            // A summary's samples (a histogram in Flink) carry _count / _sum suffixes on the family name.
            String family = metric.replaceAll("_(count|sum)$", "");
            assertThat(scraped).as("metric %s of the dashboard in the scrape", metric).contains(family);
        }
        // And every exact label match a panel selects by exists on its metric (a label value the reporter spells
        // differently, lane-detector for lane_detector, would leave the panel empty).
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher selector = SELECTOR.matcher(expr.asText());
            while (selector.find()) {
                Matcher label = EXACT_LABEL.matcher(selector.group(2));
                while (label.find()) {
                    String metric = selector.group(1);
                    String match = label.group(1) + "=\"" + label.group(2) + "\"";
                    assertThat(scrape.lines().filter(l -> l.startsWith(metric + "{")).anyMatch(l -> l.contains(match)))
                            .as("%s{%s} in the scrape", metric, match).isTrue();
                }
            }
        }
    }
}
