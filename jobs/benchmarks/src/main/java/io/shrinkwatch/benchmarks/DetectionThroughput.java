package io.shrinkwatch.benchmarks;

import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.detection.DetectionJob;
import io.shrinkwatch.detection.LaneEvent;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Issue #6, benchmark 1 (in-memory source): the framework's ceiling against ShrinkWatch in one run. The same
 * simulated chain, interleaved in event time as a live chain delivers it, goes through (a) a trivial keyed job that
 * reads and writes one {@code ValueState} per event and (b) the full detection job, at parallelism 1 and 2, on the
 * heap and RocksDB backends, with checkpoints every 10 s ({@link #CHECKPOINT_INTERVAL_MS}), after unmeasured runs
 * of each job until the JIT has compiled them ({@link #WARM_UP_EVENTS}).
 * Events/s are counted from the first event the source emits to the end of the job; the median of {@code runs} runs
 * per cell is printed, and the ratio (b)/(a). Beside it, the CPU time of the keyed operator's task threads per event
 * ({@link TaskThreadCpu}) and the ratio (a)/(b) of those: what the keyed work itself costs.
 *
 * <p>The source (a data generator over an array in this JVM, parallelism 1) is the same for both jobs, so the ratio
 * measures what the keyed work costs. Usage: {@code java -Xmx8g -cp jobs/benchmarks/target/benchmarks.jar
 * io.shrinkwatch.benchmarks.DetectionThroughput [runs] [stores] [hours] [backend]}; with a backend, only the
 * detection job runs (for a profiler), and a fifth argument {@code trivial} runs the trivial one instead. Job
 * options ({@code shrinkwatch.*}) can be given as system properties.
 */
public final class DetectionThroughput {

    /** The input, shared with the generator through this JVM (the MiniCluster runs in it). */
    static LaneEvent[] events;
    static final AtomicLong FIRST_EMIT = new AtomicLong();
    /** When the source emitted the input's last event (nanoTime), for the tail; 0 when not known (Kafka). */
    static final AtomicLong LAST_EMIT = new AtomicLong();

    private DetectionThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Input input = Input.parse(args);
        int runs = input.runs();
        int stores = input.stores();
        double hours = input.hours();
        PriceCatalog catalog = PriceCatalog.bundled();
        PatternModel model = trainedModel(catalog);
        events = chain(input.simulator(catalog), stores);
        System.out.printf("machine: %d cores, java %s, max heap %d MiB; input: %d stores x 8 lanes x %.1f h = %,d "
                + "events; %d runs per cell, median%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, stores, hours,
                events.length, runs);
        if (args.length > 3) {
            // Profiling mode: only the detection job on the named backend at parallelism 1, `runs` times.
            boolean trivial = args.length > 4 && args[4].equals("trivial");
            for (int r = 0; r < runs; r++) {
                Measured m = run(args[3], 1, trivial ? null : model);
                // The keyed thread's CPU over the source thread's: the source's work does not change with the
                // detection code, and a slow machine slows both, so this compares builds better than either alone.
                System.out.printf("%s on %s: %.0f events/s; CPU per event: keyed thread %.0f ns, source thread %.0f ns"
                        + " (keyed/source %.3f); checkpoints %.0f; tail %.1f ms%n", trivial ? "trivial" : "detection",
                        args[3], m.eventsPerSecond(), m.keyedCpuNsPerEvent(), m.sourceCpuNsPerEvent(),
                        m.keyedCpuNsPerEvent() / m.sourceCpuNsPerEvent(), m.checkpoints(), m.tailMs());
            }
            return;
        }
        table(runs, model, events.length, DetectionThroughput::run);
    }

    /**
     * The throughput benchmarks' input and repetition: {@code [runs] [stores] [hours]} (3, 20, 4), a chain of 8-lane
     * stores simulated with seed 5.
     */
    record Input(int runs, int stores, double hours) {

        static Input parse(String[] args) {
            return new Input(args.length > 0 ? Integer.parseInt(args[0]) : 3,
                    args.length > 1 ? Integer.parseInt(args[1]) : 20,
                    args.length > 2 ? Double.parseDouble(args[2]) : 4);
        }

        Simulator simulator(PriceCatalog catalog) {
            return new Simulator(SimulatorConfig.defaults().withSize(stores, 8, hours, 5), catalog);
        }
    }

    /** Every store's events as the job sees them, interleaved in event time as a live chain delivers them. */
    static LaneEvent[] chain(Simulator sim, int stores) {
        List<LaneEvent> all = new ArrayList<>();
        for (int s = 0; s < stores; s++) {
            Simulator.StoreOutput o = sim.simulateStore(s);
            o.primitives().forEach(e -> all.add(LaneEvent.of(e)));
            o.tlog().forEach(e -> all.add(LaneEvent.of(e)));
        }
        // Stable sort by event time: stores interleaved, each store's small delivery disorder kept within a ts tie.
        all.sort(Comparator.comparingLong(e -> e.ts));
        return all.toArray(new LaneEvent[0]);
    }

    /** One measured run of a job: model null = the trivial job. */
    @FunctionalInterface
    interface Runner {
        Measured run(String backend, int parallelism, PatternModel model) throws Exception;
    }

    /**
     * What one run measured: events/s end to end, CPU ns per event of the keyed and the source task threads, the
     * checkpoints taken while it ran (snapshots of the keyed operator's chain per parallel instance), and the tail: ms
     * from the source's last event until the keyed operators had processed everything (NaN when the source's last
     * event is not known, as from Kafka), where work the watermarks held back shows.
     */
    record Measured(double eventsPerSecond, double keyedCpuNsPerEvent, double sourceCpuNsPerEvent,
            double checkpoints, double tailMs) {
    }

    /**
     * Checkpoint interval of the throughput benchmarks (system property {@code bench.checkpoint-interval-ms}, default
     * 10 s as in {@code flink-conf/config.yaml}). The in-memory runs last 0.2-10 s, and each reports how many
     * checkpoints it took (session 19, heap p = 1 on a loaded machine: 1-2 per run at 10 s, 17-38 at 200 ms), so a
     * short interval can put more of the detection job's barrier flushes into the measurement.
     */
    static final long CHECKPOINT_INTERVAL_MS = Long.getLong("bench.checkpoint-interval-ms", 10_000L);

    /** Snapshots taken by {@link SnapshotCounter}s in this JVM since the last reset. */
    static final AtomicLong SNAPSHOTS = new AtomicLong();

    /** Discards a job's output behind a {@link SnapshotCounter}, so the run counts its checkpoints. */
    static <T> void discardCountingCheckpoints(DataStream<T> out) {
        out.transform("snapshot-counter", out.getType(), new SnapshotCounter<T>()).uid("snapshot-counter")
                .sinkTo(new DiscardingSink<>());
    }

    /**
     * Latest time (nanoTime) a {@link SnapshotCounter} finished in this JVM since the last reset: when the keyed
     * operator before it had processed its whole input, final watermark included, before the job's teardown.
     */
    static final AtomicLong PROCESSED = new AtomicLong();

    /**
     * A pass-through, chained behind the keyed operator, that counts the checkpoints of its chain and notes when the
     * chain finished its input (no state of its own).
     */
    static final class SnapshotCounter<T> extends org.apache.flink.streaming.api.operators.AbstractStreamOperator<T>
            implements org.apache.flink.streaming.api.operators.OneInputStreamOperator<T, T> {
        @Override
        public void processElement(org.apache.flink.streaming.runtime.streamrecord.StreamRecord<T> element) {
            output.collect(element);
        }

        @Override
        public void snapshotState(org.apache.flink.runtime.state.StateSnapshotContext context) throws Exception {
            super.snapshotState(context);
            SNAPSHOTS.incrementAndGet();
        }

        @Override
        public void finish() throws Exception {
            super.finish();
            PROCESSED.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    /** Task-thread name prefixes of the keyed operator in both jobs. */
    static final String[] KEYED_THREADS = {"trivial", "lane-detector"};
    /** Task-thread name prefix of the sources (Flink names them "Source: ..."). */
    static final String SOURCE_THREADS = "Source";

    /**
     * Events each job runs through, unmeasured, before the first measured run (system property
     * {@code bench.warm-up-events}; at least one run each). On this 2-core machine the detection job's rate kept rising
     * over its first five to eight million events (the JIT compiling its settle path on the cores the job runs on;
     * fourteen runs of 649,607 events in one JVM: 264,523, 462,971, 678,841, 688,646, 705,550, 928,884, 1,183,747, then
     * 0.87-1.33M events/s), where the trivial job's levelled off after about two million. Until session 12 one warm-up
     * run of each measured the first cell (heap, p = 1) with the detection job half compiled.
     */
    static final long WARM_UP_EVENTS = Long.getLong("bench.warm-up-events", 8_000_000L);

    /**
     * Warm-up runs of each job, alternating, at heap p = 1 until each has run {@link #WARM_UP_EVENTS} events of
     * {@code eventsPerRun}, then per backend and parallelism {@code runs} runs of the trivial and the detection job,
     * alternating; prints the medians, their ratio and every run.
     */
    static void table(int runs, PatternModel model, long eventsPerRun, Runner runner) throws Exception {
        long warmUps = Math.max(1, (WARM_UP_EVENTS + eventsPerRun - 1) / eventsPerRun);
        System.out.printf("warm-up: %d runs of each job (%,d events each)%n", warmUps, warmUps * eventsPerRun);
        for (long w = 0; w < warmUps; w++) {
            runner.run("hashmap", 1, null);
            runner.run("hashmap", 1, model);
        }
        System.out.println("backend   p  trivial_ev/s  detection_ev/s  ratio  trivial_cpu_ns/ev  detection_cpu_ns/ev"
                + "  cpu_ratio");
        for (String backend : List.of("hashmap", "rocksdb")) {
            for (int p : new int[] {1, 2}) {
                double[] trivial = new double[runs];
                double[] full = new double[runs];
                double[] trivialCpu = new double[runs];
                double[] fullCpu = new double[runs];
                double[] trivialCheckpoints = new double[runs];
                double[] fullCheckpoints = new double[runs];
                double[] trivialTail = new double[runs];
                double[] fullTail = new double[runs];
                for (int r = 0; r < runs; r++) {
                    Measured a = runner.run(backend, p, null);
                    Measured b = runner.run(backend, p, model);
                    trivial[r] = a.eventsPerSecond();
                    trivialCpu[r] = a.keyedCpuNsPerEvent();
                    full[r] = b.eventsPerSecond();
                    fullCpu[r] = b.keyedCpuNsPerEvent();
                    trivialCheckpoints[r] = a.checkpoints();
                    fullCheckpoints[r] = b.checkpoints();
                    trivialTail[r] = a.tailMs();
                    fullTail[r] = b.tailMs();
                }
                double t = median(trivial);
                double f = median(full);
                double tc = median(trivialCpu);
                double fc = median(fullCpu);
                System.out.printf("%-8s  %d  %12.0f  %14.0f  %5.2f  %17.0f  %19.0f  %9.2f   (trivial %s; detection %s;"
                        + " cpu ns/ev trivial %s, detection %s; checkpoints per run trivial %s, detection %s;"
                        + " tail ms trivial %s, detection %s)%n",
                        backend, p, t, f, f / t, tc, fc, tc / fc,
                        Arrays.toString(round(trivial)), Arrays.toString(round(full)),
                        Arrays.toString(round(trivialCpu)), Arrays.toString(round(fullCpu)),
                        Arrays.toString(trivialCheckpoints), Arrays.toString(fullCheckpoints),
                        millis(trivialTail), millis(fullTail));
            }
        }
    }

    /** The model the detection benchmarks run: mined from a simulated 6-lane day with the paper's parameters. */
    static PatternModel trainedModel(PriceCatalog catalog) {
        Simulator.StoreOutput train = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 3), catalog)
                .simulateStore(0);
        return new Miner().mine(new LaneSequenceBuilder().buildEstimatingClocks(train.primitives(), train.tlog(),
                new LaneSequenceBuilder.Stats()), train.incidents(), MiningOptions.defaults(), 0, m -> { }).model();
    }

    /** One run; model null = the trivial job. */
    static Measured run(String backend, int parallelism, PatternModel model) throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        io.shrinkwatch.detection.RocksDbOptions.applyTo(conf);
        productionCheckpoints(conf);
        applyJobProperties(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
        FIRST_EMIT.set(0);
        DataStream<LaneEvent> in = env.fromSource(new DataGeneratorSource<>(DetectionThroughput::event,
                events.length, RateLimiterStrategy.noOp(), TypeInformation.of(LaneEvent.class)),
                DetectionJob.watermarks(conf), "chain").setParallelism(1);
        if (model == null) {
            discardCountingCheckpoints(in.keyBy(LaneEvent::laneKey).process(new CountPerLane()).uid("trivial")
                    .name("trivial"));
        } else {
            // Two filters chained to the source stand in for production's two Kafka sources.
            DetectionJob.Outputs outs = new DetectionJob(model, conf).wire(
                    in.filter(LaneEvent::isPrimitive).setParallelism(1),
                    in.filter(e -> !e.isPrimitive()).setParallelism(1));
            discardCountingCheckpoints(outs.alerts());
        }
        return measure(env, model == null ? "trivial" : "detection", events.length, FIRST_EMIT);
    }

    private static Path checkpointDir;

    /**
     * Checkpoints as {@code flink-conf/config.yaml} takes them: incremental, to files (here a temporary directory,
     * deleted when the JVM exits). Flink's default, full snapshots into the JobManager's memory, refuses a state over
     * 5 MB, so a chain of some thousand lanes failed every checkpoint and restarted without end (session 11).
     */
    static synchronized void productionCheckpoints(Configuration conf) throws IOException {
        if (checkpointDir == null) {
            checkpointDir = Files.createTempDirectory("shrinkwatch-bench-checkpoints");
            Path dir = checkpointDir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    io.shrinkwatch.common.FileTrees.delete(dir);
                } catch (Exception e) {
                    System.err.println("could not delete " + dir + ": " + e);
                }
            }));
        }
        DetectionJob.checkpointToFiles(conf, checkpointDir);
    }

    /** Job options ({@code shrinkwatch.*}, see {@code DetectionOptions}) given as system properties. */
    static void applyJobProperties(Configuration conf) {
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("shrinkwatch.")) {
                conf.set(org.apache.flink.configuration.ConfigOptions.key(key).stringType().noDefaultValue(),
                        System.getProperty(key));
            }
        }
    }

    /** Executes the job with its task threads' CPU sampled; events/s counted from {@code firstNanos}. */
    static Measured measure(StreamExecutionEnvironment env, String name, long eventCount, AtomicLong firstNanos)
            throws Exception {
        long keyedNs;
        long sourceNs;
        SNAPSHOTS.set(0);
        PROCESSED.set(0);
        try (TaskThreadCpu cpu = new TaskThreadCpu(KEYED_THREADS[0], KEYED_THREADS[1], SOURCE_THREADS)) {
            env.execute(name);
            cpu.close();
            keyedNs = cpu.totalNs(KEYED_THREADS);
            sourceNs = cpu.totalNs(SOURCE_THREADS);
        }
        long elapsed = System.nanoTime() - firstNanos.get();
        double tailMs = LAST_EMIT.get() > 0 && PROCESSED.get() > 0 ? (PROCESSED.get() - LAST_EMIT.get()) / 1e6
                : Double.NaN;
        LAST_EMIT.set(0);
        return new Measured(eventCount / (elapsed / 1e9), (double) keyedNs / eventCount,
                (double) sourceNs / eventCount, SNAPSHOTS.get() / (double) env.getParallelism(), tailMs);
    }

    static LaneEvent event(long i) {
        if (i == 0) {
            FIRST_EMIT.set(System.nanoTime());
        } else if (i == events.length - 1) {
            LAST_EMIT.set(System.nanoTime());
        }
        return events[(int) i];
    }

    /** The framework's ceiling: one keyed ValueState read and write per event, nothing emitted. */
    static final class CountPerLane extends KeyedProcessFunction<String, LaneEvent, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(LaneEvent e, Context ctx, Collector<Long> out) throws Exception {
            Long c = count.value();
            count.update(c == null ? 1 : c + 1);
        }
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Whole milliseconds, "-" where not known. */
    static String millis(double[] a) {
        return Arrays.stream(a).mapToObj(v -> Double.isNaN(v) ? "-" : String.valueOf(Math.round(v)))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    static long[] round(double[] a) {
        return Arrays.stream(a).mapToLong(Math::round).toArray();
    }
}
