package io.shrinkwatch.detection;

import java.io.Serializable;
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
 */
public record LaneSettings(long allowedLatenessMs, long marginBeforeMs, long marginAfterMs, long maxClockOffsetMs,
        long clockWindowMs, long laneTtlMs, long evidenceMarginMs) implements Serializable {

    public static LaneSettings from(ReadableConfig c) {
        return new LaneSettings(c.get(DetectionOptions.ALLOWED_LATENESS).toMillis(),
                c.get(DetectionOptions.MARGIN_BEFORE).toMillis(), c.get(DetectionOptions.MARGIN_AFTER).toMillis(),
                c.get(DetectionOptions.MAX_CLOCK_OFFSET).toMillis(), c.get(DetectionOptions.CLOCK_WINDOW).toMillis(),
                c.get(DetectionOptions.LANE_TTL).toMillis(), c.get(DetectionOptions.EVIDENCE_MARGIN).toMillis());
    }

    /** Event time after TXN_END (POS clock) at which no later transaction can claim the transaction's primitives. */
    long settleDelayMs() {
        return maxClockOffsetMs + marginAfterMs + marginBeforeMs;
    }
}
