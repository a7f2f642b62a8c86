package io.shrinkwatch.detection;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes alerts, verdicts, metrics (and provisional alerts when on) to the PostgreSQL result tables ({@link Migrations}) with upserts on their
 * natural keys: at-least-once delivery, made idempotent, so replays and restarts rewrite rows and never add any.
 *
 * @param url JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/shrinkwatch}
 * @param user database user
 * @param password database password
 */
public record ResultTables(String url, String user, String password) implements Serializable {

    static final String UPSERT_ALERT = "INSERT INTO fake_scan_alerts (store_id, lane_id, txn_id, scan_ts, cashier_id, "
            + "start_ts, end_ts, evidence_start_ts, evidence_end_ts, confidence, model_id, kind) VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, lane_id, txn_id, scan_ts) DO UPDATE SET "
            + "cashier_id = EXCLUDED.cashier_id, start_ts = EXCLUDED.start_ts, end_ts = EXCLUDED.end_ts, "
            + "evidence_start_ts = EXCLUDED.evidence_start_ts, evidence_end_ts = EXCLUDED.evidence_end_ts, "
            + "confidence = EXCLUDED.confidence, model_id = EXCLUDED.model_id, kind = EXCLUDED.kind";

    static final String UPSERT_VERDICT = "INSERT INTO transaction_verdicts (store_id, lane_id, txn_id, cashier_id, "
            + "start_ts, end_ts, items_registered, registered_value_cents, true_scans, fake_scans, "
            + "unclassified_primitives, model_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (store_id, lane_id, txn_id) DO UPDATE SET cashier_id = EXCLUDED.cashier_id, "
            + "start_ts = EXCLUDED.start_ts, end_ts = EXCLUDED.end_ts, items_registered = EXCLUDED.items_registered, "
            + "registered_value_cents = EXCLUDED.registered_value_cents, true_scans = EXCLUDED.true_scans, "
            + "fake_scans = EXCLUDED.fake_scans, unclassified_primitives = EXCLUDED.unclassified_primitives, "
            + "model_id = EXCLUDED.model_id";

    static final String UPSERT_METRICS = "INSERT INTO shrink_metrics (scope, scope_id, window_start, window_end, "
            + "store_id, transactions, registered_items, registered_value_cents, true_scans, fake_scans, "
            + "unclassified_primitives, fake_scans_per_1000_items, estimated_loss_cents) VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, scope_id, window_start, window_end) DO UPDATE "
            + "SET store_id = EXCLUDED.store_id, transactions = EXCLUDED.transactions, "
            + "registered_items = EXCLUDED.registered_items, registered_value_cents = EXCLUDED.registered_value_cents, "
            + "true_scans = EXCLUDED.true_scans, fake_scans = EXCLUDED.fake_scans, "
            + "unclassified_primitives = EXCLUDED.unclassified_primitives, "
            + "fake_scans_per_1000_items = EXCLUDED.fake_scans_per_1000_items, "
            + "estimated_loss_cents = EXCLUDED.estimated_loss_cents";

    /** A PROVISIONAL record inserts; a later status overwrites only an open row (a replay cannot reopen one). */
    static final String UPSERT_PROVISIONAL = "INSERT INTO provisional_alerts AS p (store_id, lane_id, scan_ts, status, "
            + "txn_id, cashier_id, start_ts, end_ts, confidence, model_id, raised_event_ts, resolved_event_ts, kind) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, lane_id, scan_ts) DO UPDATE SET "
            + "status = EXCLUDED.status, txn_id = EXCLUDED.txn_id, cashier_id = EXCLUDED.cashier_id, "
            + "start_ts = EXCLUDED.start_ts, end_ts = EXCLUDED.end_ts, confidence = EXCLUDED.confidence, "
            + "model_id = EXCLUDED.model_id, resolved_event_ts = EXCLUDED.resolved_event_ts, kind = EXCLUDED.kind "
            + "WHERE p.status = 'PROVISIONAL' AND EXCLUDED.status <> 'PROVISIONAL'";

    private JdbcConnectionOptions connection() {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder().withUrl(url).withDriverName("org.postgresql.Driver")
                .withUsername(user).withPassword(password).build();
    }

    private static JdbcExecutionOptions batches() {
        return JdbcExecutionOptions.builder().withBatchSize(500).withBatchIntervalMs(1_000).withMaxRetries(3).build();
    }

    /** Attaches the upsert sink of {@code provisional_alerts} (only for jobs with provisional alerts on). */
    public void attachProvisional(DataStream<ProvisionalAlert> provisional) {
        provisional.sinkTo(JdbcSink.<ProvisionalAlert>builder().withExecutionOptions(batches())
                .withQueryStatement(UPSERT_PROVISIONAL, ResultTables::bindProvisional)
                .buildAtLeastOnce(connection())).name("provisional-alerts-postgres")
                .uid("provisional-alerts-postgres");
    }

    /** Binds one provisional record to {@link #UPSERT_PROVISIONAL}'s parameters. */
    static void bindProvisional(PreparedStatement ps, ProvisionalAlert a) throws SQLException {
        boolean open = ProvisionalAlert.PROVISIONAL.equals(a.status);
        ps.setString(1, a.storeId);
        ps.setString(2, a.laneId);
        ps.setTimestamp(3, new Timestamp(a.scanTs));
        ps.setString(4, a.status);
        ps.setString(5, a.txnId);
        ps.setString(6, a.cashierId);
        ps.setTimestamp(7, new Timestamp(a.startTs));
        ps.setTimestamp(8, new Timestamp(a.endTs));
        ps.setDouble(9, a.confidence);
        ps.setString(10, a.modelId);
        // Only an insert sets raised_event_ts; a resolution finding no row (not expected) gives its own time.
        ps.setTimestamp(11, new Timestamp(a.decidedTs));
        ps.setTimestamp(12, open ? null : new Timestamp(a.decidedTs));
        ps.setString(13, a.kind());
    }

    /** Attaches the three upsert sinks. */
    public void attach(DetectionJob.Outputs outs, DataStream<ShrinkMetrics> metrics) {
        outs.alerts().sinkTo(JdbcSink.<FakeScanAlert>builder().withExecutionOptions(batches())
                .withQueryStatement(UPSERT_ALERT, (ps, a) -> {
                    ps.setString(1, a.storeId);
                    ps.setString(2, a.laneId);
                    ps.setString(3, a.txnId);
                    ps.setTimestamp(4, new Timestamp(a.scanTs));
                    ps.setString(5, a.cashierId);
                    ps.setTimestamp(6, new Timestamp(a.startTs));
                    ps.setTimestamp(7, new Timestamp(a.endTs));
                    ps.setTimestamp(8, new Timestamp(a.evidenceStartTs));
                    ps.setTimestamp(9, new Timestamp(a.evidenceEndTs));
                    ps.setDouble(10, a.confidence);
                    ps.setString(11, a.modelId);
                    ps.setString(12, a.kind);
                }).buildAtLeastOnce(connection())).name("alerts-postgres").uid("alerts-postgres");
        outs.verdicts().sinkTo(JdbcSink.<TransactionVerdict>builder().withExecutionOptions(batches())
                .withQueryStatement(UPSERT_VERDICT, (ps, v) -> {
                    ps.setString(1, v.storeId);
                    ps.setString(2, v.laneId);
                    ps.setString(3, v.txnId);
                    ps.setString(4, v.cashierId);
                    ps.setTimestamp(5, new Timestamp(v.startTs));
                    ps.setTimestamp(6, new Timestamp(v.endTs));
                    ps.setInt(7, v.itemsRegistered);
                    ps.setLong(8, v.registeredValueCents);
                    ps.setInt(9, v.trueScans);
                    ps.setInt(10, v.fakeScans);
                    ps.setInt(11, v.unclassifiedPrimitives);
                    ps.setString(12, v.modelId);
                }).buildAtLeastOnce(connection())).name("verdicts-postgres").uid("verdicts-postgres");
        metrics.sinkTo(JdbcSink.<ShrinkMetrics>builder().withExecutionOptions(batches())
                .withQueryStatement(UPSERT_METRICS, (ps, m) -> {
                    ps.setString(1, m.scope);
                    ps.setString(2, m.scopeId);
                    ps.setTimestamp(3, new Timestamp(m.windowStart));
                    ps.setTimestamp(4, new Timestamp(m.windowEnd));
                    ps.setString(5, m.storeId);
                    ps.setLong(6, m.transactions);
                    ps.setLong(7, m.registeredItems);
                    ps.setLong(8, m.registeredValueCents);
                    ps.setLong(9, m.trueScans);
                    ps.setLong(10, m.fakeScans);
                    ps.setLong(11, m.unclassifiedPrimitives);
                    ps.setDouble(12, m.fakeScansPerThousandItems());
                    ps.setLong(13, m.estimatedLossCents());
                }).buildAtLeastOnce(connection())).name("metrics-postgres").uid("metrics-postgres");
    }
}
