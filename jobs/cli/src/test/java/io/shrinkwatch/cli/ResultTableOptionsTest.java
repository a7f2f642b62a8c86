package io.shrinkwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Where the result tables' password comes from. */
class ResultTableOptionsTest {

    static ResultTableOptions parsed(String... args) {
        ResultTableOptions o = new ResultTableOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    @Test
    void readsThePasswordFromTheEnvironmentWhenNoOptionGivesIt() {
        ResultTableOptions o = parsed("--jdbc-url", "jdbc:postgresql://pg/db");
        assertThat(o.password(Map.of(ResultTableOptions.PASSWORD_ENV, "s3cret")::get)).isEqualTo("s3cret");
        assertThat(o.password(Map.<String, String>of()::get)).isEmpty();
    }

    @Test
    void anExplicitPasswordWinsOverTheEnvironmentEvenWhenEmpty() {
        assertThat(parsed("--jdbc-password", "given").password(Map.of(ResultTableOptions.PASSWORD_ENV, "env")::get))
                .isEqualTo("given");
        assertThat(parsed("--jdbc-password=").password(Map.of(ResultTableOptions.PASSWORD_ENV, "env")::get))
                .isEmpty();
    }

    @Test
    void theHelpNamesTheVariable() {
        assertThat(new CommandLine(new ResultTableOptions()).getUsageMessage())
                .contains(ResultTableOptions.PASSWORD_ENV);
    }
}
