package io.shrinkwatch.cli;

import io.shrinkwatch.algorithm.lane.ClockOffsets;
import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.common.jsonl.BadLine;
import io.shrinkwatch.common.jsonl.EventJson;
import io.shrinkwatch.common.jsonl.JsonLinesReader;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Reads the JSON Lines input streams and builds transaction sequences, reporting bad lines on stderr. */
final class InputFiles {

    /** Transactions and what was skipped on the way. */
    record Loaded(List<TransactionSequence> transactions, List<ConfirmedIncident> incidents, long badLines,
            LaneSequenceBuilder.Stats stats) {
    }

    private InputFiles() {
    }

    /** Prints how many lines a reader skipped and the first ten, as {@code FILE:LINE: field 'F': reason}. */
    static void reportBadLines(JsonLinesReader reader, PrintStream err) {
        if (reader.badLineCount() > 0) {
            err.printf("skipped %d bad input line(s); the first ones:%n", reader.badLineCount());
            for (BadLine b : reader.badLines().subList(0, Math.min(10, reader.badLines().size()))) {
                err.println("  " + b);
            }
        }
    }

    static Loaded load(Path primitives, Path tlog, Path incidentsFile, boolean strict, long marginBeforeMs,
            long marginAfterMs, boolean estimateClock, PrintStream err) throws IOException {
        return load(primitives, tlog, incidentsFile, strict, marginBeforeMs, marginAfterMs, estimateClock, true, err);
    }

    /**
     * @param clockTrustedOnly with {@code estimateClock}: leave out the transactions of lanes whose clock estimate is
     *     not trusted (and say how many), as the streaming job withholds their fake scans
     */
    static Loaded load(Path primitives, Path tlog, Path incidentsFile, boolean strict, long marginBeforeMs,
            long marginAfterMs, boolean estimateClock, boolean clockTrustedOnly, PrintStream err) throws IOException {
        JsonLinesReader reader = new JsonLinesReader(strict);
        List<PrimitiveEvent> prims = reader.readAll(primitives, EventJson.PRIMITIVE);
        List<TLogEvent> lines = reader.readAll(tlog, EventJson.TLOG);
        List<ConfirmedIncident> incidents = incidentsFile == null ? List.of()
                : reader.readAll(incidentsFile, EventJson.INCIDENT);
        reportBadLines(reader, err);
        LaneSequenceBuilder.Stats stats = new LaneSequenceBuilder.Stats();
        LaneSequenceBuilder builder = new LaneSequenceBuilder(marginBeforeMs, marginAfterMs);
        List<TransactionSequence> txns = estimateClock
                ? builder.buildEstimatingClocks(prims, lines, clockTrustedOnly, stats)
                : builder.build(prims, lines, ClockOffsets.none(), stats);
        if (stats.untrustedClockTransactions > 0) {
            err.printf("left out %d transaction(s) of %d lane(s) whose camera/POS clock offset estimate is not trusted "
                    + "(too few scan motions near barcodes, or a rival offset as likely; a wrong offset misplaces every "
                    + "barcode); --clock-trusted-only=false keeps them, --no-clock-estimate takes the clocks as equal%n",
                    stats.untrustedClockTransactions, stats.untrustedClockLanes);
        }
        return new Loaded(txns, incidents, reader.badLineCount(), stats);
    }
}
