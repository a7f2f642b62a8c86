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

    @Option(names = "--clock-trusted-only", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Leave out the transactions of lanes whose estimated clock offset is not trusted (too few scan "
                    + "motions near barcodes; a short input's lanes), as the streaming job withholds their fake scans; "
                    + "--clock-trusted-only=false takes every estimate (default ${DEFAULT-VALUE}).")
    boolean clockTrustedOnly;

    @Option(names = "--strict", description = "Stop at the first bad input line instead of skipping and counting it.")
    boolean strict;
}
