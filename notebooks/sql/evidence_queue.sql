-- The review queue: the last day's alerts (up to the newest one) with the camera clip to pull for each, most
-- confident first. evidence_start_ts / evidence_end_ts are the pickup and drop widened by the job's evidence margin.
SELECT store_id, lane_id, txn_id, cashier_id, kind, scan_ts, evidence_start_ts, evidence_end_ts, confidence, model_id
FROM fake_scan_alerts
WHERE scan_ts > (SELECT max(scan_ts) FROM fake_scan_alerts) - interval '1 day'
ORDER BY confidence DESC, scan_ts, store_id, lane_id
LIMIT 100;
