package io.shrinkwatch.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deletes directory trees, also ones a Flink job may still be writing to or discarding from. */
public final class FileTrees {

    private static final int ATTEMPTS = 5;
    private static final long RETRY_PAUSE_MS = 500;

    private FileTrees() {
    }

    /**
     * Deletes {@code dir} and everything below it (links are deleted, not followed); a missing {@code dir} is no error.
     * A cancelled job may still be discarding its last checkpoint while this walks, so a file can vanish mid-walk (seen:
     * NoSuchFileException, which once lost a benchmark's results) or appear in a directory about to go; the walk is
     * retried, five times at most, half a second apart.
     *
     * @throws IOException naming the directory and the last failure when it is still there after the last attempt
     */
    public static void delete(Path dir) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
                for (Path p : deepestFirst) {
                    Files.deleteIfExists(p);
                }
            } catch (UncheckedIOException e) {
                last = e.getCause();
            } catch (IOException e) {
                last = e;
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Thread.sleep(RETRY_PAUSE_MS);
        }
        throw new IOException("could not delete " + dir + (last == null ? "" : ": " + last), last);
    }
}
