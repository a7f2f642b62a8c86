package io.shrinkwatch.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shrinkwatch.detection.DetectionJob;
import io.shrinkwatch.detection.FakeScanAlert;
import io.shrinkwatch.detection.LaneEvent;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Issue #6, benchmark 3: keyed state of the detection job per active lane. A simulated chain of N lanes goes through
 * the job as fast as it runs (RocksDB, full checkpoints every 2 s, parallelism 2); the checkpoint statistics of the
 * MiniCluster's REST API give the largest full checkpoint and its duration. (A paced source, with Flink's per-second
 * rate limiter, left the job idle in a first attempt; not investigated.) Usage: {@code java -Xmx12g -cp
 * jobs/benchmarks/target/benchmarks.jar io.shrinkwatch.benchmarks.StateSize LANES:MINUTES[:START_HOUR] ...}, e.g.
 * {@code 10000:15 100000:3}; START_HOUR (UTC, default 7, the simulator's opening time) picks the stretch of the
 * simulated day, so runs of different length can be compared at steady traffic (12:00-16:00 varies by under 10%).
 * Each row also gives the scan motions and barcodes per lane in the run's last 30 minutes, the span the clock-offset
 * history keeps, so state can be compared with traffic. Job options ({@code shrinkwatch.*}) can be given as system
 * properties, e.g. {@code -Dshrinkwatch.watermark-step=0ms}.
 */
public final class StateSize {

    static LaneEvent[] events;

    private StateSize() {
    }

    public static void main(String[] args) throws Exception {
        PriceCatalog catalog = PriceCatalog.bundled();
        PatternModel model = DetectionThroughput.trainedModel(catalog);
        System.out.printf("machine: %d cores, java %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("lanes  start  minutes  events  S+B_per_lane_last_30min  checkpoints  max_state_MB  "
                + "bytes_per_lane  duration_ms_of_max");
        for (String a : args) {
            String[] f = a.split(":");
            int lanes = Integer.parseInt(f[0]);
            double minutes = Double.parseDouble(f[1]);
            int startHour = f.length > 2 ? Integer.parseInt(f[2]) : 7;
            int perStore = 50;
            int stores = lanes / perStore;
            SimulatorConfig cfg = SimulatorConfig.defaults().withSize(stores, perStore, minutes / 60.0, 9)
                    .withStartHourUtc(startHour);
            long start = cfg.startMs();
            events = DetectionThroughput.chain(new Simulator(cfg, catalog), stores);
            long recentFrom = start + (long) (minutes * 60_000) - 30 * 60_000L;
            long recent = java.util.Arrays.stream(events).filter(e -> e.ts >= recentFrom
                    && ("S".equals(e.kind) || "ITEM".equals(e.kind))).count();
            long[] result = run(model);
            System.out.printf("%6d  %02d:00  %7.1f  %,d  %23d  %11d  %12.1f  %14d  %d%n", lanes, startHour, minutes,
                    events.length, recent / lanes, result[0], result[1] / 1e6, result[1] / lanes, result[2]);
            events = null;
        }
    }

    /** False once the job has ended (the local cluster then shuts down and stops answering). */
    static boolean running(JobClient job) {
        try {
            return !job.getJobStatus().get().isGloballyTerminalState();
        } catch (Exception | Error e) {
            return false;
        }
    }

    /** Returns {completed checkpoints, largest full state size in bytes, duration of that checkpoint in ms}. */
    static long[] run(PatternModel model) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        io.shrinkwatch.detection.RocksDbOptions.applyTo(conf);
        DetectionThroughput.applyJobProperties(conf);
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);
        // Checkpoints to files, as in production: the default JobManager storage refuses a subtask state above 5 MB,
        // so at 100k lanes every checkpoint failed, the job restarted and never finished (the first attempt's "did
        // not finish").
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("shrinkwatch-state-size");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        conf.set(RestOptions.PORT, port);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(2);
        env.enableCheckpointing(2_000);
        DataStream<LaneEvent> in = env.fromSource(new DataGeneratorSource<>(i -> events[(int) (long) i], events.length,
                RateLimiterStrategy.noOp(), TypeInformation.of(LaneEvent.class)),
                DetectionJob.watermarks(conf), "chain").setParallelism(1);
        DetectionJob.Outputs outs = new DetectionJob(model, conf).wire(in.filter(LaneEvent::isPrimitive)
                .setParallelism(1), in.filter(e -> !e.isPrimitive()).setParallelism(1));
        outs.alerts().sinkTo(new DiscardingSink<FakeScanAlert>());
        JobClient job = env.executeAsync("state-size");
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper mapper = new ObjectMapper();
        long count = 0;
        long maxState = 0;
        long maxDuration = 0;
        while (running(job)) {
            Thread.sleep(1_000);
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/"
                        + job.getJobID() + "/checkpoints")).build(), HttpResponse.BodyHandlers.ofString()).body();
                JsonNode root = mapper.readTree(body);
                count = Math.max(count, root.path("counts").path("completed").asLong());
                JsonNode c = root.path("latest").path("completed");
                if (!c.isMissingNode() && !c.isNull() && c.path("state_size").asLong() > maxState) {
                    maxState = c.path("state_size").asLong();
                    maxDuration = c.path("end_to_end_duration").asLong();
                }
            } catch (java.io.IOException e) {
                // The REST endpoint goes away when the job ends; the last answer stands.
            }
        }
        io.shrinkwatch.common.FileTrees.delete(dir);
        return new long[] {count, maxState, maxDuration};
    }
}
