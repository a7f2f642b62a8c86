-- ShrinkWatch result tables, version 3: what kind of unregistered item an alert is (session 10's unscanned items).
-- Rows written before it are scan motions without a barcode, the only kind there was.

ALTER TABLE fake_scan_alerts ADD COLUMN IF NOT EXISTS kind TEXT NOT NULL DEFAULT 'FAKE_SCAN'
    CHECK (kind IN ('FAKE_SCAN', 'UNSCANNED_ITEM'));
COMMENT ON COLUMN fake_scan_alerts.kind IS 'FAKE_SCAN: a scan motion without a barcode. UNSCANNED_ITEM: a pickup and a drop with neither a scan motion nor a barcode between them (passed around the scanner, or scanned where the camera missed the motion); scan_ts is then the midpoint of pickup and drop.';
