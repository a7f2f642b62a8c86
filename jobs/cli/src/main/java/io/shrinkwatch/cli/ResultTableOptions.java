package io.shrinkwatch.cli;

import io.shrinkwatch.detection.Migrations;
import io.shrinkwatch.detection.ResultTables;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/** The PostgreSQL result-table options of {@code replay} and {@code stream}, and their start-up migration. */
final class ResultTableOptions {

    @Option(names = "--jdbc-url", description = "Also write the PostgreSQL result tables (alerts, verdicts, metrics), "
            + "e.g. jdbc:postgresql://127.0.0.1:5432/shrinkwatch; migrations are applied on start. Upserts: replays "
            + "and restarts rewrite rows, never add them.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "postgres", description = "Default ${DEFAULT-VALUE}.")
    String jdbcUser;

    /** Environment variable read for the password when {@code --jdbc-password} is not given. */
    static final String PASSWORD_ENV = "SHRINKWATCH_JDBC_PASSWORD";

    @Option(names = "--jdbc-password", description = "Default: the environment variable " + PASSWORD_ENV
            + ", else empty. Prefer the variable: an argument shows in the process list.")
    String jdbcPassword;

    /** The password: the option, else the environment variable, else empty. */
    String password() {
        return password(System::getenv);
    }

    String password(UnaryOperator<String> env) {
        if (jdbcPassword != null) {
            return jdbcPassword;
        }
        String fromEnv = env.apply(PASSWORD_ENV);
        return fromEnv == null ? "" : fromEnv;
    }

    /** Applies pending migrations and returns the tables to write, or null without {@code --jdbc-url}. */
    ResultTables migrateAndOpen() throws Exception {
        if (jdbcUrl == null) {
            return null;
        }
        String password = password();
        System.err.printf("result tables: %d migration(s) applied to %s%n",
                Migrations.apply(jdbcUrl, jdbcUser, password), jdbcUrl);
        return new ResultTables(jdbcUrl, jdbcUser, password);
    }
}
