package io.shrinkwatch.cli;

import io.shrinkwatch.detection.Migrations;
import io.shrinkwatch.detection.ResultTables;
import picocli.CommandLine.Option;

/** The PostgreSQL result-table options of {@code replay} and {@code stream}, and their start-up migration. */
final class ResultTableOptions {

    @Option(names = "--jdbc-url", description = "Also write the PostgreSQL result tables (alerts, verdicts, metrics), "
            + "e.g. jdbc:postgresql://127.0.0.1:5432/shrinkwatch; migrations are applied on start. Upserts: replays "
            + "and restarts rewrite rows, never add them.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "postgres", description = "Default ${DEFAULT-VALUE}.")
    String jdbcUser;

    @Option(names = "--jdbc-password", defaultValue = "", description = "Default: empty.")
    String jdbcPassword;

    /** Applies pending migrations and returns the tables to write, or null without {@code --jdbc-url}. */
    ResultTables migrateAndOpen() throws Exception {
        if (jdbcUrl == null) {
            return null;
        }
        System.err.printf("result tables: %d migration(s) applied to %s%n",
                Migrations.apply(jdbcUrl, jdbcUser, jdbcPassword), jdbcUrl);
        return new ResultTables(jdbcUrl, jdbcUser, jdbcPassword);
    }
}
