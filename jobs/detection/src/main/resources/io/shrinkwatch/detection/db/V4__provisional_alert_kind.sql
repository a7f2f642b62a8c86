-- ShrinkWatch result tables, version 4: provisional alerts say what kind of unregistered item they are, as settled
-- alerts do since version 3. Rows written before it are scan motions without a barcode.

ALTER TABLE provisional_alerts ADD COLUMN IF NOT EXISTS kind TEXT NOT NULL DEFAULT 'FAKE_SCAN'
    CHECK (kind IN ('FAKE_SCAN', 'UNSCANNED_ITEM'));
COMMENT ON COLUMN provisional_alerts.kind IS 'FAKE_SCAN: a scan motion without a barcode. UNSCANNED_ITEM: a pickup and a drop with neither a scan motion nor a barcode between them; scan_ts is then the midpoint of pickup and drop. Once confirmed, the settled alert''s kind.';
