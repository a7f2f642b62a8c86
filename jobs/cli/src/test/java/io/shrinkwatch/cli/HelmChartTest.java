package io.shrinkwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.shrinkwatch.detection.LaneSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * The Helm chart in {@code helm/shrinkwatch}, linted and rendered with Helm's own library (helm-java): what it
 * renders, that its command lines are ones {@code shrinkwatch.jar} accepts, and that its Flink configuration is
 * {@code flink-conf/config.yaml}'s. No Kubernetes runs here, so nothing is installed.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("../../helm/shrinkwatch");
    private static final Path FLINK_CONF = Path.of("../../flink-conf");
    /** Keys the chart sets differently from flink-conf/config.yaml on purpose: paths on its volume, one port a pod. */
    private static final Set<String> OVERRIDDEN = Set.of("execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir", "shrinkwatch.archive.dir", "metrics.reporter.prom.port");

    @TempDir
    Path tmp;

    @Test
    void lintsWithoutErrorsOrWarnings() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void rendersTheJobManagerTaskManagersReMiningAndStorageWithStandardLabels() {
        List<Map<String, Object>> docs = render(t -> t);
        Set<String> kinds = docs.stream().map(d -> (String) d.get("kind")).collect(Collectors.toSet());
        assertThat(kinds).containsExactlyInAnyOrder("ConfigMap", "Job", "Service", "Deployment", "CronJob",
                "PersistentVolumeClaim", "ServiceAccount", "Role", "RoleBinding");
        for (Map<String, Object> d : docs) {
            Map<String, Object> labels = map(map(d, "metadata"), "labels");
            assertThat(labels).as(d.get("kind") + " labels").containsEntry("app.kubernetes.io/name", "shrinkwatch")
                    .containsEntry("app.kubernetes.io/instance", "sw").containsEntry("app.kubernetes.io/part-of",
                            "shrinkwatch").containsKeys("app.kubernetes.io/version", "app.kubernetes.io/managed-by",
                            "helm.sh/chart");
        }
        Map<String, Object> tm = one(docs, "Deployment");
        assertThat(map(map(map(tm, "spec"), "selector"), "matchLabels").entrySet())
                .isSubsetOf(podLabels(tm).entrySet());
        Map<String, Object> jmService = one(docs, "Service");
        assertThat(map(map(jmService, "spec"), "selector").entrySet()).isSubsetOf(podLabels(one(docs, "Job"))
                .entrySet());
        assertThat(map(map(jmService, "spec"), "selector")).containsEntry("app.kubernetes.io/component", "jobmanager");
        assertThat(map(jmService, "metadata").get("name")).isEqualTo("sw-shrinkwatch-jobmanager");
    }

    @Test
    void theJobManagerRunsTheStreamCommandWithArgumentsTheCliAccepts() {
        List<Map<String, Object>> docs = render(t -> t.set("kafka.bootstrap", "broker-0:9092")
                .set("jdbc.url", "jdbc:postgresql://pg:5432/shrinkwatch").set("jdbc.passwordSecret.name", "pg-secret"));
        Map<String, Object> container = container(map(map(one(docs, "Job"), "spec"), "template"));
        List<String> args = strings(container.get("args"));
        assertThat(args.subList(0, 3)).containsExactly("standalone-job", "--job-classname",
                ShrinkWatchCli.class.getName());
        CommandLine.ParseResult stream = new CommandLine(new ShrinkWatchCli()).parseArgs(
                args.subList(3, args.size()).toArray(String[]::new)).subcommand();
        assertThat(stream.commandSpec().name()).isEqualTo("stream");
        assertThat((String) stream.matchedOptionValue("--bootstrap", null)).isEqualTo("broker-0:9092");
        assertThat(stream.matchedOptionValue("--model", Path.of(""))).isEqualTo(Path.of("/data/models"));
        assertThat(stream.matchedOptionValue("--flink-conf", Path.of(""))).isEqualTo(Path.of("/opt/flink/conf"));
        // The password is not an argument (arguments show in the process list): the CLI reads it from the
        // environment, which the named Secret fills.
        assertThat(stream.hasMatchedOption("--jdbc-password")).isFalse();
        assertThat(args).noneMatch(a -> a.contains("PASSWORD"));
        List<Map<String, Object>> env = list(container.get("env"));
        assertThat(env).anySatisfy(e -> {
            assertThat(e.get("name")).isEqualTo(ResultTableOptions.PASSWORD_ENV);
            assertThat(map(map(e, "valueFrom"), "secretKeyRef")).containsEntry("name", "pg-secret");
        });
    }

    @Test
    void theCronJobRunsTheRemineCommandWithArgumentsTheCliAccepts() {
        List<Map<String, Object>> docs = render(t -> t.set("remine.lastDays", 14).set("remine.schedule", "0 2 * * *"));
        Map<String, Object> cron = one(docs, "CronJob");
        assertThat(map(cron, "spec")).containsEntry("schedule", "0 2 * * *").containsEntry("concurrencyPolicy",
                "Forbid");
        Map<String, Object> container = container(map(map(map(map(cron, "spec"), "jobTemplate"), "spec"),
                "template"));
        assertThat(strings(container.get("command"))).endsWith("-jar", "/opt/flink/usrlib/shrinkwatch.jar");
        CommandLine.ParseResult remine = new CommandLine(new ShrinkWatchCli()).parseArgs(
                strings(container.get("args")).toArray(String[]::new)).subcommand();
        assertThat(remine.commandSpec().name()).isEqualTo("remine");
        assertThat((Integer) remine.matchedOptionValue("--last-days", 0)).isEqualTo(14);
        assertThat(remine.matchedOptionValue("--models-dir", Path.of(""))).isEqualTo(Path.of("/data/models"));
        assertThat(remine.matchedOptionValue("--archive", Path.of(""))).isEqualTo(Path.of("/data/archive"));
    }

    @Test
    void theFlinkConfigurationIsFlinkConfsWithPathsOnTheVolume() throws Exception {
        List<Map<String, Object>> docs = render(t -> t);
        String yaml = (String) map(one(docs, "ConfigMap"), "data").get("config.yaml");
        Files.writeString(tmp.resolve("config.yaml"), yaml);
        Configuration chart = GlobalConfiguration.loadConfiguration(tmp.toString());
        Map<String, String> fromChart = chart.toMap();
        Map<String, String> fromFlinkConf = GlobalConfiguration.loadConfiguration(FLINK_CONF.toString()).toMap();
        for (Map.Entry<String, String> e : fromFlinkConf.entrySet()) {
            if (OVERRIDDEN.contains(e.getKey())) {
                assertThat(fromChart).containsKey(e.getKey());
            } else {
                assertThat(fromChart).as(e.getKey()).containsEntry(e.getKey(), e.getValue());
            }
        }
        assertThat(fromChart).containsEntry("execution.checkpointing.dir", "file:///data/checkpoints")
                .containsEntry("shrinkwatch.archive.dir", "file:///data/archive")
                .containsEntry("metrics.reporter.prom.port", "9249")
                .containsEntry("jobmanager.rpc.address", "sw-shrinkwatch-jobmanager")
                .containsEntry("high-availability.type", "kubernetes")
                .containsEntry("taskmanager.numberOfTaskSlots", "2");
        // The job's own options parse from it (a bad duration or number would throw here).
        assertThat(LaneSettings.from(chart).clockWindowMs()).isEqualTo(30 * 60_000L);
    }

    @Test
    void optionalPartsFollowTheirValues() {
        List<Map<String, Object>> docs = render(t -> t.set("remine.enabled", false)
                .set("storage.existingClaim", "shared-data").set("highAvailability.enabled", false));
        Set<String> kinds = docs.stream().map(d -> (String) d.get("kind")).collect(Collectors.toSet());
        assertThat(kinds).doesNotContain("CronJob", "PersistentVolumeClaim", "Role", "RoleBinding");
        List<Map<String, Object>> volumes = list(map(map(map(one(docs, "Deployment"), "spec"), "template"), "spec")
                .get("volumes"));
        assertThat(volumes).anySatisfy(v -> assertThat(map(v, "persistentVolumeClaim"))
                .containsEntry("claimName", "shared-data"));
        assertThat((String) map(one(docs, "ConfigMap"), "data").get("config.yaml"))
                .doesNotContain("high-availability");
    }

    @Test
    void valuesOfTheWrongTypeOrUnknownKeysAreRefusedByTheSchema() {
        assertThat(catchThrowable(() -> render(t -> t.set("taskManager.replicas", "two"))))
                .hasMessageContaining("replicas");
        assertThat(catchThrowable(() -> render(t -> t.set("remine.lastDay", 3)))).hasMessageContaining("lastDay");
        assertThat(catchThrowable(() -> render(t -> t.set("image.pullPolicy", "Sometimes"))))
                .hasMessageContaining("pullPolicy");
    }

    @Test
    void rendersTheGrafanaDashboardForTheSidecarOnlyWhenAskedTo() throws Exception {
        assertThat(render(t -> t)).noneMatch(d -> name(d).endsWith("-grafana-dashboard"));
        List<Map<String, Object>> docs = render(t -> t.set("grafana.dashboard.enabled", "true")
                .set("grafana.dashboard.folder", "Shrink"));
        Map<String, Object> cm = docs.stream().filter(d -> name(d).equals("sw-shrinkwatch-grafana-dashboard"))
                .findFirst().orElseThrow();
        assertThat(cm.get("kind")).isEqualTo("ConfigMap");
        assertThat(map(map(cm, "metadata"), "labels")).containsEntry("grafana_dashboard", "1")
                .containsEntry("app.kubernetes.io/name", "shrinkwatch")
                .containsEntry("app.kubernetes.io/component", "dashboard");
        assertThat(map(map(cm, "metadata"), "annotations")).containsEntry("grafana_folder", "Shrink");
        ObjectMapper json = new ObjectMapper();
        assertThat(map(cm, "data")).containsOnlyKeys("shrinkwatch.json", "shrinkwatch-job.json");
        for (String file : List.of("shrinkwatch.json", "shrinkwatch-job.json")) {
            assertThat(json.readTree((String) map(cm, "data").get(file))).as(file)
                    .isEqualTo(json.readTree(Files.readString(CHART.resolve("dashboards").resolve(file))));
        }
        List<Map<String, Object>> relabelled = render(t -> t.set("grafana.dashboard.enabled", "true")
                .set("grafana.dashboard.label", "dashboards").set("grafana.dashboard.labelValue", "shrink"));
        assertThat(map(map(relabelled.stream().filter(d -> name(d).endsWith("-grafana-dashboard")).findFirst()
                .orElseThrow(), "metadata"), "labels")).containsEntry("dashboards", "shrink")
                .doesNotContainKey("grafana_dashboard");
    }

    private static String name(Map<String, Object> doc) {
        return (String) map(doc, "metadata").get("name");
    }

    private List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
        String out = values.apply(new Helm(CHART).template().withName("sw").withNamespace("shrink")).call();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out)) {
            if (doc != null) {
                docs.add(cast(doc));
            }
        }
        return docs;
    }

    private static Map<String, Object> one(List<Map<String, Object>> docs, String kind) {
        List<Map<String, Object>> of = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(of).as(kind).hasSize(1);
        return of.get(0);
    }

    private static Map<String, Object> podLabels(Map<String, Object> workload) {
        return map(map(map(map(workload, "spec"), "template"), "metadata"), "labels");
    }

    private static Map<String, Object> container(Map<String, Object> podTemplate) {
        List<Map<String, Object>> containers = list(map(podTemplate, "spec").get("containers"));
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, Object> map(Map<String, Object> m, String key) {
        assertThat(m).as("has " + key).containsKey(key);
        return cast(m.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static List<String> strings(Object o) {
        return ((List<?>) o).stream().map(String::valueOf).toList();
    }
}
