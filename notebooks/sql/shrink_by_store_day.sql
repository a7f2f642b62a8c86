-- Shrink per store and day (UTC), the regional manager's table: transactions, registered items, unregistered items
-- found (fake scans and unscanned items), their rate per 1,000 registered items and the estimated loss (each
-- unregistered item valued at the mean registered value per item of its store and hour; its own price is unknown).
-- From the hourly store windows the metrics job writes.
SELECT store_id,
       (window_start AT TIME ZONE 'UTC')::date                                           AS day,
       sum(transactions)                                                                 AS transactions,
       sum(registered_items)                                                             AS items,
       sum(fake_scans)                                                                   AS unregistered_items,
       round(1000.0 * sum(fake_scans) / nullif(sum(registered_items), 0), 2)            AS per_1000_items,
       round(sum(estimated_loss_cents) / 100.0, 2)                                       AS estimated_loss
FROM shrink_metrics
WHERE scope = 'store' AND window_end - window_start = interval '1 hour'
GROUP BY store_id, day
ORDER BY day, store_id;
