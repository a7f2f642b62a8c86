-- Cashiers by unregistered items per 1,000 registered items (at least 200 registered, so that one alert moves a rate
-- by at most 5 per 1,000; raise it for a month's league table), with how many of them were
-- unscanned items (passed around the scanner, or scanned unseen). An alert marks an unregistered item, an honest
-- mistake as often as sweethearting: a high rate is a reason to look at the evidence clips or to coach, never proof.
WITH items AS (
    SELECT store_id, cashier_id, count(*) AS transactions, sum(items_registered) AS items
    FROM transaction_verdicts
    WHERE cashier_id IS NOT NULL
    GROUP BY store_id, cashier_id),
alerts AS (
    SELECT store_id, cashier_id, count(*) AS alerts, count(*) FILTER (WHERE kind = 'UNSCANNED_ITEM') AS unscanned
    FROM fake_scan_alerts
    WHERE cashier_id IS NOT NULL
    GROUP BY store_id, cashier_id)
SELECT i.store_id,
       i.cashier_id,
       i.transactions,
       i.items,
       coalesce(a.alerts, 0)                                                  AS unregistered_items,
       coalesce(a.unscanned, 0)                                               AS unscanned_items,
       round(1000.0 * coalesce(a.alerts, 0) / nullif(i.items, 0), 2)         AS per_1000_items
FROM items i
LEFT JOIN alerts a USING (store_id, cashier_id)
WHERE i.items >= 200
ORDER BY per_1000_items DESC, i.store_id, i.cashier_id;
