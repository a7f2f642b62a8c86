package io.shrinkwatch.common.jsonl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads a JSON Lines file record by record. A bad line is reported with its file, line number and field, counted,
 * and skipped; the read goes on unless the reader is strict. Blank lines are skipped; {@code .gz} files are
 * decompressed.
 */
public final class JsonLinesReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_KEPT_BAD_LINES = 1000;

    private final boolean strict;
    private final List<BadLine> badLines = new ArrayList<>();
    private long badLineCount;
    private long goodLineCount;

    public JsonLinesReader(boolean strict) {
        this.strict = strict;
    }

    /**
     * Streams every good record of {@code file} to {@code sink}.
     *
     * @throws BadInputException in strict mode, at the first bad line
     * @throws IOException when the file cannot be read at all
     */
    public <T> void read(Path file, RecordDecoder<T> decoder, Consumer<? super T> sink) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        var in = Files.newInputStream(file);
        var stream = file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            long lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = MAPPER.readTree(line);
                } catch (JsonProcessingException e) {
                    bad(new BadLine(file.toString(), lineNo, "-", "not valid JSON: " + e.getOriginalMessage()));
                    continue;
                }
                if (node == null || !node.isObject()) {
                    bad(new BadLine(file.toString(), lineNo, "-", "not a JSON object"));
                    continue;
                }
                T record;
                try {
                    record = decoder.decode(node);
                } catch (FieldException e) {
                    bad(new BadLine(file.toString(), lineNo, e.field(), e.getMessage()));
                    continue;
                }
                goodLineCount++;
                sink.accept(record);
            }
        }
    }

    /** Reads a whole file into a list. */
    public <T> List<T> readAll(Path file, RecordDecoder<T> decoder) throws IOException {
        List<T> out = new ArrayList<>();
        read(file, decoder, out::add);
        return out;
    }

    private void bad(BadLine b) {
        if (strict) {
            throw new BadInputException(b);
        }
        badLineCount++;
        if (badLines.size() < MAX_KEPT_BAD_LINES) {
            badLines.add(b);
        }
    }

    /** The first {@value #MAX_KEPT_BAD_LINES} bad lines. */
    public List<BadLine> badLines() {
        return badLines;
    }

    public long badLineCount() {
        return badLineCount;
    }

    public long goodLineCount() {
        return goodLineCount;
    }
}
