package io.shrinkwatch.common.jsonl;

/**
 * One rejected input line.
 *
 * @param file the file it came from
 * @param line 1-based line number
 * @param field the offending field, or "-" when the line is not a JSON object at all
 * @param reason what is wrong
 */
public record BadLine(String file, long line, String field, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ": field '" + field + "': " + reason;
    }
}
