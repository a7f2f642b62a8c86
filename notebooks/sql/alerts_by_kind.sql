-- Per store, the unregistered items by what the camera saw: FAKE_SCAN (a scan motion without a barcode) or
-- UNSCANNED_ITEM (a pickup and a drop with neither), with each kind's share of the store's alerts.
SELECT store_id,
       kind,
       count(*)                                                                  AS alerts,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY store_id), 1)  AS percent_of_store
FROM fake_scan_alerts
GROUP BY store_id, kind
ORDER BY store_id, kind;
