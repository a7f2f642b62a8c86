package io.shrinkwatch.detection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the versioned DDL of the result tables ({@code db/V<n>__*.sql} beside this class) that a database does
 * not have yet, each in its own transaction, recording it in {@code shrinkwatch_schema_version}.
 */
public final class Migrations {

    /** Every migration in order; append, never edit or reorder. */
    static final List<String> SCRIPTS = List.of("V1__result_tables.sql", "V2__provisional_alerts.sql",
            "V3__alert_kind.sql", "V4__provisional_alert_kind.sql");

    private Migrations() {
    }

    /** @return how many migrations were applied now */
    public static int apply(String jdbcUrl, String user, String password) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            return apply(c);
        }
    }

    public static int apply(Connection c) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS shrinkwatch_schema_version (version INTEGER PRIMARY KEY, "
                    + "script TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        }
        int applied = 0;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int i = 0; i < SCRIPTS.size(); i++) {
                int version = i + 1;
                if (isApplied(c, version)) {
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    s.execute(read(SCRIPTS.get(i)));
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO shrinkwatch_schema_version (version, script) VALUES (?, ?)")) {
                    p.setInt(1, version);
                    p.setString(2, SCRIPTS.get(i));
                    p.executeUpdate();
                }
                c.commit();
                applied++;
            }
        } catch (SQLException | IOException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return applied;
    }

    private static boolean isApplied(Connection c, int version) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM shrinkwatch_schema_version WHERE version = ?")) {
            p.setInt(1, version);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static String read(String script) throws IOException {
        try (InputStream in = Migrations.class.getResourceAsStream("db/" + script)) {
            if (in == null) {
                throw new IOException("migration " + script + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
