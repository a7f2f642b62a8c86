package io.shrinkwatch.cli;

import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import picocli.CommandLine.Option;

/** Options shared by every command that reads the input streams. */
final class SequenceOptions {

    @Option(names = "--margin-before-ms", defaultValue = "" + LaneSequenceBuilder.DEFAULT_MARGIN_BEFORE_MS,
            description = "Primitives up to this long before TXN_START belong to the transaction (default ${DEFAULT-VALUE}).")
    long marginBeforeMs;

    @Option(names = "--margin-after-ms", defaultValue = "" + LaneSequenceBuilder.DEFAULT_MARGIN_AFTER_MS,
            description = "Primitives up to this long after TXN_END belong to the transaction (default ${DEFAULT-VALUE}).")
    long marginAfterMs;

    @Option(names = "--no-clock-estimate", description = "Take camera and POS clocks as equal instead of estimating "
            + "each lane's offset from scan motions and barcodes.")
    boolean noClockEstimate;

    @Option(names = "--strict", description = "Stop at the first bad input line instead of skipping and counting it.")
    boolean strict;
}
