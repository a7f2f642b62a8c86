package io.shrinkwatch.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of a job's task threads, chosen by name prefix, while it runs in this JVM: what the keyed operator and the
 * sources each cost per event. A descheduled thread accrues none, so other load on the machine shows less here than
 * in events/s; on this machine the figure still spread about as widely between runs (README, "CPU per event").
 *
 * <p>A daemon thread reads the CPU time of every thread whose name starts with one of the given prefixes (Flink
 * names a task thread after its chain, e.g. {@code "lane-detector -> Sink: Writer (1/1)#0"}) every
 * {@link #PERIOD_MS} ms and keeps each thread's latest reading. A task thread's last period before it ends is not
 * seen, so short runs read slightly low (at most {@link #PERIOD_MS} ms per thread).
 */
final class TaskThreadCpu implements AutoCloseable {

    static final long PERIOD_MS = 5;

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final String[] prefixes;
    private final Map<Long, Long> latestNs = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    TaskThreadCpu(String... prefixes) {
        this.prefixes = prefixes;
        this.sampler = new Thread(this::loop, "task-thread-cpu");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        long[] ids = mx.getAllThreadIds();
        for (long id : ids) {
            String name = names.get(id);
            if (name == null) {
                ThreadInfo info = mx.getThreadInfo(id);
                if (info == null) {
                    continue;
                }
                name = info.getThreadName();
                names.put(id, name);
            }
            if (matches(name, prefixes)) {
                long ns = mx.getThreadCpuTime(id);
                if (ns > 0) {
                    latestNs.put(id, ns);
                }
            }
        }
    }

    /** Stops sampling, after one last reading. */
    @Override
    public synchronized void close() {
        running = false;
        sampler.interrupt();
        sample();
    }

    /** CPU nanoseconds of the sampled threads whose names start with one of {@code some} (a subset of the prefixes). */
    synchronized long totalNs(String... some) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : latestNs.entrySet()) {
            if (matches(names.get(e.getKey()), some)) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    private static boolean matches(String name, String[] prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
