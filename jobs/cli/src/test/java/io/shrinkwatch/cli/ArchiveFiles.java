package io.shrinkwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/** Reads an archive directory the way an analyst would: every committed Avro file under it. */
final class ArchiveFiles {

    private ArchiveFiles() {
    }

    static List<Path> committed(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".avro"))
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    static long count(Path root) throws IOException {
        long n = 0;
        for (Path f : committed(root)) {
            try (DataFileReader<GenericRecord> r = new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
                while (r.hasNext()) {
                    r.next();
                    n++;
                }
            }
        }
        return n;
    }

    static List<String> partitions(Path root) throws IOException {
        return committed(root).stream().map(f -> root.relativize(f.getParent()).toString()).distinct().toList();
    }
}
