package io.shrinkwatch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The files of a detection run, shared by {@code detect} (library) and {@code replay} (Flink job). */
final class DetectionFiles {

    @Option(names = "--primitives", required = true, description = "Primitive events, JSON Lines.")
    Path primitives;

    @Option(names = "--tlog", required = true, description = "TLog events, JSON Lines.")
    Path tlog;

    @Option(names = "--model", required = true, description = "Model file written by 'mine'.")
    Path model;

    @Option(names = "--alerts-out", required = true, description = "Alerts to write, JSON Lines.")
    Path alertsOut;
}
