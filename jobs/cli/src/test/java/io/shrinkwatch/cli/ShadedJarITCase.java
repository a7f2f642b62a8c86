package io.shrinkwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command on the packaged {@code shrinkwatch.jar}, in a JVM of its own: the other tests run on
 * the module's class path, which has every test and runtime dependency, so a library missing from the shaded jar
 * (as snakeyaml once was, which Kafka's broker needs at start) would pass them and fail a newcomer's first run.
 */
class ShadedJarITCase {

    @TempDir
    Path dir;

    @Test
    void runOnThePackagedJarStartsItsServicesStreamsASmallChainAndPrintsTheSummary() throws Exception {
        Path jar = Path.of("target", "shrinkwatch.jar");
        assertThat(jar).as("built by the package phase before the integration tests").isRegularFile();
        int webPort;
        try (ServerSocket s = new ServerSocket(0)) {
            webPort = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(List.of(java, "-Xmx2g", "-jar", jar.toString(), "run", "--stores", "1",
                "--lanes", "2", "--hours", "1", "--seed", "3", "--web-port", Integer.toString(webPort), "--work-dir",
                dir.resolve("work").toString()))
                .directory(new File("."))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String stderr = Files.readString(err);
        assertThat(ended).as("ended within 5 minutes; stderr:%n%s", stderr).isTrue();
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(Files.readString(out)).contains("Per store (from PostgreSQL):", "S001", "Flink Web UI");
        assertThat(stderr).contains("bootstrapped by the re-mining job", "stopped with a draining savepoint");
    }
}
