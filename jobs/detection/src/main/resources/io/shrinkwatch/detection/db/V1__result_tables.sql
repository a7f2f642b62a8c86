-- ShrinkWatch result tables, version 1. Applied once by Migrations; never edit an applied version, add a V2.
-- Every row has a natural key, and the job writes with INSERT .. ON CONFLICT .. DO UPDATE, so a restart or a replay
-- rewrites the same rows instead of adding new ones.

CREATE TABLE IF NOT EXISTS fake_scan_alerts (
    store_id          TEXT             NOT NULL,
    lane_id           TEXT             NOT NULL,
    txn_id            TEXT             NOT NULL,
    scan_ts           TIMESTAMPTZ      NOT NULL,
    cashier_id        TEXT,
    start_ts          TIMESTAMPTZ      NOT NULL,
    end_ts            TIMESTAMPTZ      NOT NULL,
    evidence_start_ts TIMESTAMPTZ      NOT NULL,
    evidence_end_ts   TIMESTAMPTZ      NOT NULL,
    confidence        DOUBLE PRECISION NOT NULL,
    model_id          TEXT             NOT NULL,
    PRIMARY KEY (store_id, lane_id, txn_id, scan_ts)
);
COMMENT ON TABLE fake_scan_alerts IS 'One row per unregistered item the detection job found: an item that crossed the lane without its barcode being registered. It may be an honest mistake as much as sweethearting; it is never a finding of theft.';
COMMENT ON COLUMN fake_scan_alerts.store_id IS 'Store, e.g. S001.';
COMMENT ON COLUMN fake_scan_alerts.lane_id IS 'Checkout lane within the store, e.g. L03.';
COMMENT ON COLUMN fake_scan_alerts.txn_id IS 'POS transaction during which the item crossed the lane.';
COMMENT ON COLUMN fake_scan_alerts.scan_ts IS 'Camera time of the scan motion without a barcode.';
COMMENT ON COLUMN fake_scan_alerts.cashier_id IS 'Cashier logged in at the POS, when known.';
COMMENT ON COLUMN fake_scan_alerts.start_ts IS 'Camera time of the pickup.';
COMMENT ON COLUMN fake_scan_alerts.end_ts IS 'Camera time of the drop.';
COMMENT ON COLUMN fake_scan_alerts.evidence_start_ts IS 'Start of the video clip to keep as evidence (pickup minus the evidence margin).';
COMMENT ON COLUMN fake_scan_alerts.evidence_end_ts IS 'End of the video clip to keep (drop plus the evidence margin).';
COMMENT ON COLUMN fake_scan_alerts.confidence IS 'Mean posterior of the fake-scan class over pickup, scan and drop, 0..1.';
COMMENT ON COLUMN fake_scan_alerts.model_id IS 'Pattern model that classified the transaction.';

CREATE TABLE IF NOT EXISTS transaction_verdicts (
    store_id                TEXT        NOT NULL,
    lane_id                 TEXT        NOT NULL,
    txn_id                  TEXT        NOT NULL,
    cashier_id              TEXT,
    start_ts                TIMESTAMPTZ NOT NULL,
    end_ts                  TIMESTAMPTZ NOT NULL,
    items_registered        INTEGER     NOT NULL,
    registered_value_cents  BIGINT      NOT NULL,
    true_scans              INTEGER     NOT NULL,
    fake_scans              INTEGER     NOT NULL,
    unclassified_primitives INTEGER     NOT NULL,
    model_id                TEXT        NOT NULL,
    PRIMARY KEY (store_id, lane_id, txn_id)
);
COMMENT ON TABLE transaction_verdicts IS 'What the detection job concluded about each transaction.';
COMMENT ON COLUMN transaction_verdicts.start_ts IS 'Camera time of the first primitive or barcode of the transaction.';
COMMENT ON COLUMN transaction_verdicts.end_ts IS 'Camera time of the last one.';
COMMENT ON COLUMN transaction_verdicts.items_registered IS 'Barcodes registered at the POS (voided ones included).';
COMMENT ON COLUMN transaction_verdicts.registered_value_cents IS 'Value of the registered items in cents, voided items excluded.';
COMMENT ON COLUMN transaction_verdicts.true_scans IS 'Item checkouts with a registered barcode found in the video primitives.';
COMMENT ON COLUMN transaction_verdicts.fake_scans IS 'Unregistered items found (see fake_scan_alerts).';
COMMENT ON COLUMN transaction_verdicts.unclassified_primitives IS 'Camera primitives the pattern votes left unlabelled: a measure of how noisy the lane was.';
COMMENT ON COLUMN transaction_verdicts.model_id IS 'Pattern model that classified the transaction.';

CREATE TABLE IF NOT EXISTS shrink_metrics (
    scope                     TEXT             NOT NULL,
    scope_id                  TEXT             NOT NULL,
    window_start              TIMESTAMPTZ      NOT NULL,
    window_end                TIMESTAMPTZ      NOT NULL,
    store_id                  TEXT             NOT NULL,
    transactions              BIGINT           NOT NULL,
    registered_items          BIGINT           NOT NULL,
    registered_value_cents    BIGINT           NOT NULL,
    true_scans                BIGINT           NOT NULL,
    fake_scans                BIGINT           NOT NULL,
    unclassified_primitives   BIGINT           NOT NULL,
    fake_scans_per_1000_items DOUBLE PRECISION NOT NULL,
    estimated_loss_cents      BIGINT           NOT NULL,
    PRIMARY KEY (scope, scope_id, window_start, window_end)
);
COMMENT ON TABLE shrink_metrics IS 'Shrink figures per store, lane or cashier over tumbling event-time windows (1 minute and 1 hour by default). A transaction counts in the window holding its end.';
COMMENT ON COLUMN shrink_metrics.scope IS 'store, lane or cashier.';
COMMENT ON COLUMN shrink_metrics.scope_id IS 'S001 for a store, S001/L03 for a lane, S001-C009 for a cashier.';
COMMENT ON COLUMN shrink_metrics.fake_scans_per_1000_items IS 'Unregistered items per 1,000 registered items.';
COMMENT ON COLUMN shrink_metrics.estimated_loss_cents IS 'An estimate, not a count: fake scans times the mean registered value per item of the same scope and window.';
