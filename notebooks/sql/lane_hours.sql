-- Per store, lane and hour of the day (UTC, by transaction start): transactions, registered items and unregistered
-- items per 1,000, the heat map that shows a lane or a shift that stands out.
SELECT store_id,
       lane_id,
       extract(hour FROM start_ts AT TIME ZONE 'UTC')::int                   AS hour,
       count(*)                                                              AS transactions,
       sum(items_registered)                                                 AS items,
       sum(fake_scans)                                                       AS unregistered_items,
       round(1000.0 * sum(fake_scans) / nullif(sum(items_registered), 0), 2) AS per_1000_items
FROM transaction_verdicts
GROUP BY store_id, lane_id, hour
ORDER BY store_id, lane_id, hour;
