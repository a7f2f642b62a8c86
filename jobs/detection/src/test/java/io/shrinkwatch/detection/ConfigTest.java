package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;

/** flink-conf/config.yaml is read by Flink as intended: every value comes back through its ConfigOption. */
class ConfigTest {

    private static Configuration load() {
        return GlobalConfiguration.loadConfiguration(Path.of("../../flink-conf").toAbsolutePath().toString());
    }

    @Test
    void selectsRocksDbWithIncrementalExactlyOnceCheckpoints() {
        Configuration c = load();
        assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("file:///");
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(c.get(org.apache.flink.state.rocksdb.RocksDBOptions.OPTIONS_FACTORY))
                .isEqualTo(RocksDbOptions.class.getName());
        assertThat(((RocksDbOptions) new RocksDbOptions().configure(c)).maxManifestBytes()).isEqualTo(1 << 20);
        assertThat(c.getString("metrics.reporter.prom.factory.class", null))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    }

    @Test
    void setsEveryShrinkWatchOptionToItsDocumentedValue() {
        LaneSettings s = LaneSettings.from(load());
        assertThat(s).isEqualTo(new LaneSettings(10_000, 3_000, 3_000, 5_000, 1_800_000, 1_800_000, 5_000));
        assertThat(s.trustedClocksOnly()).isTrue();
        assertThat(load().get(DetectionOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(2));
        assertThat(load().get(DetectionOptions.WATERMARK_STEP)).isEqualTo(Duration.ofMinutes(1));
        assertThat(load().get(DetectionOptions.MAX_HEAP_EVENTS)).isEqualTo(1_000_000);
        assertThat(load().get(DetectionOptions.ARCHIVE_DIR)).isEqualTo("file:///var/lib/shrinkwatch/archive");
        assertThat(load().get(DetectionOptions.SOURCE_IDLENESS)).isEqualTo(Duration.ofSeconds(30));
        assertThat(load().get(DetectionOptions.METRIC_WINDOWS)).containsExactly(Duration.ofMinutes(1),
                Duration.ofHours(1));
        assertThat(load().get(DetectionOptions.PROVISIONAL_ALERTS)).isFalse();
        assertThat(load().get(DetectionOptions.PROVISIONAL_DELAY)).isEqualTo(Duration.ofMillis(2_500));
        assertThat(load().get(DetectionOptions.PROVISIONAL_TOPIC)).isEqualTo("shrinkwatch.provisional-alerts");
        assertThat(load().get(DetectionOptions.PROVISIONAL_DELIVERY))
                .isEqualTo(org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE);
    }

    @Test
    void provisionalAlertsWithoutDeliveryGuaranteeAreRefusedByName() {
        assertThatThrownBy(() -> KafkaWiring.provisionalSink("127.0.0.1:9092", "t", "p",
                org.apache.flink.connector.base.DeliveryGuarantee.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shrinkwatch.provisional-alerts.delivery-guarantee");
    }

    @Test
    void provisionalAlertsTurnedOnCarryTheirDelayIntoTheLaneSettings() {
        Configuration c = load();
        c.set(DetectionOptions.PROVISIONAL_ALERTS, true);
        assertThat(LaneSettings.from(c).provisionalDelayMs()).isEqualTo(2_500);
        c.set(DetectionOptions.PROVISIONAL_DELAY, Duration.ofSeconds(1));
        assertThat(LaneSettings.from(c).provisionalDelayMs()).isEqualTo(1_000);
    }
}
