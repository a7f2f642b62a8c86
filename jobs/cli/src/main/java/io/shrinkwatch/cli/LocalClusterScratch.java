package io.shrinkwatch.cli;

import io.shrinkwatch.common.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Cleans up after an embedded Flink cluster. A local job's MiniCluster shuts down asynchronously after the job, and a
 * CLI that exits right away leaves its {@code minicluster_*} directory and a 21 MB {@code flink-rpc-akka*.jar} in the
 * temp directory for every run. This notes the entries present before the job and, afterwards, waits briefly for the
 * new ones to go and removes what is left of them.
 */
final class LocalClusterScratch {

    private final Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    private final Set<Path> before;

    LocalClusterScratch() {
        this.before = scratch();
    }

    private Set<Path> scratch() {
        Set<Path> out = new HashSet<>();
        try (Stream<Path> s = Files.list(tmp)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("minicluster_") || (n.startsWith("flink-rpc-akka") && n.endsWith(".jar"));
            }).forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Waits up to {@code waitMs} for the job's scratch to vanish, then deletes what remains. */
    void cleanUp(long waitMs) throws InterruptedException {
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        Set<Path> ours = scratch();
        ours.removeAll(before);
        while (!ours.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            ours.removeIf(p -> !Files.exists(p));
        }
        for (Path p : ours) {
            try {
                FileTrees.delete(p);
            } catch (IOException e) {
                System.err.println("could not remove Flink scratch " + p + ": " + e.getMessage());
            }
        }
    }
}
