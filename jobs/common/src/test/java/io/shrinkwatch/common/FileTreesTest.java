package io.shrinkwatch.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileTrees#delete}: nested trees, missing directories, links. */
class FileTreesTest {

    @TempDir
    Path tmp;

    @Test
    void deletesANestedTreeWithItsFiles() throws Exception {
        Path root = tmp.resolve("checkpoints");
        Files.createDirectories(root.resolve("chk-1/shared"));
        Files.writeString(root.resolve("chk-1/_metadata"), "x");
        Files.writeString(root.resolve("chk-1/shared/part"), "y");
        FileTrees.delete(root);
        assertThat(root).doesNotExist();
        assertThat(tmp).exists();
    }

    @Test
    void aMissingDirectoryIsNoError() throws Exception {
        FileTrees.delete(tmp.resolve("never-made"));
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aLinkInsideIsDeletedButWhatItPointsToIsKept() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "z");
        Path root = Files.createDirectories(tmp.resolve("work"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        FileTrees.delete(root);
        assertThat(root).doesNotExist();
        assertThat(outside.resolve("keep")).hasContent("z");
    }
}
