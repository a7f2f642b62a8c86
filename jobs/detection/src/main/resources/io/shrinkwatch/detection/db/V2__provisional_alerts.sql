-- ShrinkWatch result tables, version 2: provisional alerts (written only when shrinkwatch.provisional-alerts.enabled).
-- One row per provisional alert, keyed by lane and scan time; its status moves from PROVISIONAL to CONFIRMED or
-- WITHDRAWN and never back (the upsert only overwrites a PROVISIONAL row), so a replay cannot reopen a decided alert.

CREATE TABLE IF NOT EXISTS provisional_alerts (
    store_id          TEXT             NOT NULL,
    lane_id           TEXT             NOT NULL,
    scan_ts           TIMESTAMPTZ      NOT NULL,
    status            TEXT             NOT NULL CHECK (status IN ('PROVISIONAL', 'CONFIRMED', 'WITHDRAWN')),
    txn_id            TEXT             NOT NULL,
    cashier_id        TEXT,
    start_ts          TIMESTAMPTZ      NOT NULL,
    end_ts            TIMESTAMPTZ      NOT NULL,
    confidence        DOUBLE PRECISION NOT NULL,
    model_id          TEXT             NOT NULL,
    raised_event_ts   TIMESTAMPTZ      NOT NULL,
    resolved_event_ts TIMESTAMPTZ,
    PRIMARY KEY (store_id, lane_id, scan_ts)
);
COMMENT ON TABLE provisional_alerts IS 'Early alerts raised at the drop, before the transaction ended, and their fate once it settled. Open alerts (status PROVISIONAL) are what a store can act on while the customer is still at the lane; fake_scan_alerts stays the record of settled findings. An unregistered item may be an honest mistake as much as sweethearting; never a finding of theft.';
COMMENT ON COLUMN provisional_alerts.scan_ts IS 'Camera time of the scan motion; with store and lane, the alert''s identity.';
COMMENT ON COLUMN provisional_alerts.status IS 'PROVISIONAL (open), CONFIRMED (the settled transaction has a fake scan at this scan time) or WITHDRAWN (it has none, or the transaction never settled).';
COMMENT ON COLUMN provisional_alerts.txn_id IS 'Transaction the item was assigned to when the alert was raised.';
COMMENT ON COLUMN provisional_alerts.start_ts IS 'Camera time of the pickup (the settled one, once confirmed).';
COMMENT ON COLUMN provisional_alerts.end_ts IS 'Camera time of the drop (the settled one, once confirmed).';
COMMENT ON COLUMN provisional_alerts.confidence IS 'Mean posterior of the fake-scan class over pickup, scan and drop, 0..1.';
COMMENT ON COLUMN provisional_alerts.raised_event_ts IS 'Event time up to which the lane had been seen when the alert was raised (its drop plus the provisional delay, or later).';
COMMENT ON COLUMN provisional_alerts.resolved_event_ts IS 'Event time of the confirmation or withdrawal; null while open.';
