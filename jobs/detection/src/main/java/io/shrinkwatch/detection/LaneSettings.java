package io.shrinkwatch.detection;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The per-lane operator's settings in milliseconds, read once from the job configuration.
 *
 * @param allowedLatenessMs events further behind the watermark go to the late side output
 * @param marginBeforeMs primitives this long before TXN_START belong to the transaction
 * @param marginAfterMs primitives this long after TXN_END belong to it
 * @param maxClockOffsetMs largest clock offset searched for, and the extra wait before classifying
 * @param clockWindowMs event time before a transaction's end whose scans and barcodes estimate its clock offset
 * @param laneTtlMs a lane silent this long loses its state
 * @param evidenceMarginMs an alert's evidence clip extends this far before its pickup and after its drop
 * @param pinnedOffsetsMs camera-minus-POS clock offsets configured per lane key ({@code store/lane}); those lanes are
 *     not estimated
 * @param provisionalDelayMs event time after a drop at which provisional alerts are looked for, or -1 for none
 * @param trustedClocksOnly a lane raises fake scans only with a trusted (or pinned) clock offset
 *     ({@link DetectionOptions#TRUSTED_CLOCKS_ONLY})
 * @param clockRefreshMs a lane's trusted clock offset serves its transactions ending less than this much event time
 *     later without a new estimate; 0 estimates every transaction ({@link DetectionOptions#CLOCK_REFRESH})
 */
public record LaneSettings(long allowedLatenessMs, long marginBeforeMs, long marginAfterMs, long maxClockOffsetMs,
        long clockWindowMs, long laneTtlMs, long evidenceMarginMs, Map<String, Long> pinnedOffsetsMs,
        long provisionalDelayMs, boolean trustedClocksOnly, long clockRefreshMs) implements Serializable {

    public LaneSettings {
        pinnedOffsetsMs = new HashMap<>(pinnedOffsetsMs);
    }

    public LaneSettings(long allowedLatenessMs, long marginBeforeMs, long marginAfterMs, long maxClockOffsetMs,
            long clockWindowMs, long laneTtlMs, long evidenceMarginMs) {
        this(allowedLatenessMs, marginBeforeMs, marginAfterMs, maxClockOffsetMs, clockWindowMs, laneTtlMs,
                evidenceMarginMs, Map.of(), -1, true, DetectionOptions.CLOCK_REFRESH.defaultValue().toMillis());
    }

    /** The same settings with provisional alerts looked for {@code delayMs} after each drop (-1: none). */
    public LaneSettings withProvisionalDelay(long delayMs) {
        return new LaneSettings(allowedLatenessMs, marginBeforeMs, marginAfterMs, maxClockOffsetMs, clockWindowMs,
                laneTtlMs, evidenceMarginMs, pinnedOffsetsMs, delayMs, trustedClocksOnly, clockRefreshMs);
    }

    /** The same settings with a trusted clock offset reused for {@code refreshMs} of event time (0: never). */
    public LaneSettings withClockRefresh(long refreshMs) {
        return new LaneSettings(allowedLatenessMs, marginBeforeMs, marginAfterMs, maxClockOffsetMs, clockWindowMs,
                laneTtlMs, evidenceMarginMs, pinnedOffsetsMs, provisionalDelayMs, trustedClocksOnly, refreshMs);
    }

    boolean provisionalAlerts() {
        return provisionalDelayMs >= 0;
    }

    public static LaneSettings from(ReadableConfig c) {
        return new LaneSettings(c.get(DetectionOptions.ALLOWED_LATENESS).toMillis(),
                c.get(DetectionOptions.MARGIN_BEFORE).toMillis(), c.get(DetectionOptions.MARGIN_AFTER).toMillis(),
                c.get(DetectionOptions.MAX_CLOCK_OFFSET).toMillis(), c.get(DetectionOptions.CLOCK_WINDOW).toMillis(),
                c.get(DetectionOptions.LANE_TTL).toMillis(), c.get(DetectionOptions.EVIDENCE_MARGIN).toMillis(),
                parseOffsets(c.get(DetectionOptions.CLOCK_OFFSETS)),
                c.get(DetectionOptions.PROVISIONAL_ALERTS) ? c.get(DetectionOptions.PROVISIONAL_DELAY).toMillis() : -1,
                c.get(DetectionOptions.TRUSTED_CLOCKS_ONLY), c.get(DetectionOptions.CLOCK_REFRESH).toMillis());
    }

    /** Lane key to milliseconds; a value that is not a whole number names its lane in the error. */
    static Map<String, Long> parseOffsets(Map<String, String> raw) {
        Map<String, Long> out = new HashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            if (!e.getKey().contains("/")) {
                throw new IllegalArgumentException(DetectionOptions.CLOCK_OFFSETS.key() + ": lane '" + e.getKey()
                        + "' must be written store/lane");
            }
            try {
                out.put(e.getKey(), Long.parseLong(e.getValue().trim()));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(DetectionOptions.CLOCK_OFFSETS.key() + ": offset of lane '"
                        + e.getKey() + "' is '" + e.getValue() + "', not whole milliseconds");
            }
        }
        return out;
    }

    /** Event time after TXN_END (POS clock) at which no later transaction can claim the transaction's primitives. */
    long settleDelayMs() {
        return maxClockOffsetMs + marginAfterMs + marginBeforeMs;
    }
}
