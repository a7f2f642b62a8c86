package io.shrinkwatch.simulator;

/**
 * Every knob of the checkout-lane simulator, with a default and where the default comes from.
 *
 * <p>Sources: [KDD] Gabbur et al., KDD'11 section 6.1 (6 lanes, ~16 h, 18 cashiers, 1,660 transactions,
 * 32,969 items, 13 fake scans); [RATE] published cashier scan-rate counts, as summarised in ShrinkWatch issue #2
 * (~2.9 s per item, 35-41 s fixed per customer); [CJ] the Complete Journey receipt lines in
 * {@code shared/data/completejourney} (prices, quantities, hour-of-day traffic); [ASSUMED] our assumption for a
 * motion detector like the paper's [14], to be replaced by measurements from a real deployment.
 *
 * @param stores stores simulated
 * @param lanes lanes per store
 * @param hours opening hours simulated, from {@code startMs}
 * @param startMs camera time the lanes open (default 2026-01-01 07:00 UTC)
 * @param seed everything random derives from it
 * @param secondsPerItem mean cashier time per item [RATE]
 * @param fixedSecondsMin lower bound of the fixed time per customer [RATE]
 * @param fixedSecondsMax upper bound of the fixed time per customer [RATE]
 * @param basketMean mean items per transaction: 32,969 / 1,660 = 19.9 [KDD]
 * @param basketShape gamma shape of the basket-size mixture (negative binomial; 1.5 gives sd ~ 17) [ASSUMED]
 * @param shiftsPerLane cashier shifts per lane per day: 18 cashiers over 6 lanes = 3 [KDD]
 * @param paceSigma log-normal sigma of a cashier's pace multiplier [ASSUMED]
 * @param fraudCashierShare share of cashiers prone to unregistered items ("concentrated in a few") [ASSUMED]
 * @param fraudRatePerItem per-item rate of unregistered items for those cashiers [ASSUMED]
 * @param honestErrorRatePerItem per-item rate for everybody else (honest mistakes) [ASSUMED]
 * @param passAroundShare share of unregistered items passed around the scanner rather than fake-scanned [ASSUMED]
 * @param passAroundScanDetect chance the detector still fires S when an item is passed around [ASSUMED]
 * @param missP chance a pickup is not detected [ASSUMED]
 * @param missS chance a scan motion is not detected [ASSUMED]
 * @param missD chance a drop is not detected [ASSUMED]
 * @param duplicateRate chance a detected primitive is reported twice [ASSUMED]
 * @param spuriousPerMinute detector fires with no motion, per lane-minute of transaction [ASSUMED]
 * @param multiScanRate chance an item needs extra scan attempts before its barcode registers [ASSUMED]
 * @param lateBarcodeRate chance the barcode registers 0.8-2.5 s after the scan motion [ASSUMED]
 * @param keyInProduceRate chance a PRODUCE item is weighed and keyed in with no scan motion [ASSUMED]
 * @param voidRate chance per transaction that one item is voided after registration [ASSUMED]
 * @param parallelRateMin lowest per-cashier chance of picking the next item before dropping this one [ASSUMED]
 * @param parallelRateMax highest such chance [ASSUMED]
 * @param clockOffsetMaxMs camera-minus-POS clock offset per lane, uniform in +/- this [ASSUMED]
 * @param clockDriftPpmSigma normal sigma of the per-lane clock drift, parts per million [ASSUMED]
 * @param deliveryDelayMeanMs mean exponential delivery delay, so files are not in time order [ASSUMED]
 * @param lateDeliveryRate chance an event arrives 2-10 s late [ASSUMED]
 * @param incidentConfirmRate share of unregistered items an investigator confirms (incidents.jsonl) [ASSUMED]
 */
public record SimulatorConfig(int stores, int lanes, double hours, long startMs, long seed, double secondsPerItem,
        double fixedSecondsMin, double fixedSecondsMax, double basketMean, double basketShape, int shiftsPerLane,
        double paceSigma, double fraudCashierShare, double fraudRatePerItem, double honestErrorRatePerItem,
        double passAroundShare, double passAroundScanDetect, double missP, double missS, double missD,
        double duplicateRate, double spuriousPerMinute, double multiScanRate, double lateBarcodeRate,
        double keyInProduceRate, double voidRate, double parallelRateMin, double parallelRateMax,
        long clockOffsetMaxMs, double clockDriftPpmSigma, double deliveryDelayMeanMs, double lateDeliveryRate,
        double incidentConfirmRate) {

    public static final long DEFAULT_START_MS = 1_767_250_800_000L;

    public SimulatorConfig {
        if (stores < 1 || lanes < 1 || !(hours > 0) || shiftsPerLane < 1) {
            throw new IllegalArgumentException("stores, lanes, hours and shifts must be positive");
        }
        if (stores > 9999 || lanes > 99) {
            throw new IllegalArgumentException("at most 9999 stores and 99 lanes per store");
        }
        if (!(fixedSecondsMin <= fixedSecondsMax) || !(secondsPerItem > 0) || !(basketMean >= 1)) {
            throw new IllegalArgumentException("timing and basket parameters out of range");
        }
    }

    /** The paper's store: 6 lanes for one 16-hour day. */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(1, 6, 16, DEFAULT_START_MS, 42, 2.9, 35, 41, 19.9, 1.5, 3, 0.15, 0.17, 0.006,
                0.0002, 0.2, 0.25, 0.04, 0.05, 0.04, 0.03, 0.3, 0.05, 0.03, 0.5, 0.04, 0.1, 0.35, 1_500, 10, 150, 0.005,
                1.0);
    }

    public SimulatorConfig withSize(int stores, int lanes, double hours, long seed) {
        return new SimulatorConfig(stores, lanes, hours, startMs, seed, secondsPerItem, fixedSecondsMin,
                fixedSecondsMax, basketMean, basketShape, shiftsPerLane, paceSigma, fraudCashierShare,
                fraudRatePerItem, honestErrorRatePerItem, passAroundShare, passAroundScanDetect, missP, missS, missD,
                duplicateRate, spuriousPerMinute, multiScanRate, lateBarcodeRate, keyInProduceRate, voidRate,
                parallelRateMin, parallelRateMax, clockOffsetMaxMs, clockDriftPpmSigma, deliveryDelayMeanMs,
                lateDeliveryRate, incidentConfirmRate);
    }

    /**
     * The same lanes opening at another hour (UTC) of the default day, 2026-01-01: benchmarks and tests pick a stretch
     * of the simulated day with steady traffic.
     */
    public SimulatorConfig withStartHourUtc(int hour) {
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("start hour must be 0-23 (UTC), got " + hour);
        }
        long start = Math.floorDiv(DEFAULT_START_MS, 86_400_000L) * 86_400_000L + hour * 3_600_000L;
        return new SimulatorConfig(stores, lanes, hours, start, seed, secondsPerItem, fixedSecondsMin,
                fixedSecondsMax, basketMean, basketShape, shiftsPerLane, paceSigma, fraudCashierShare,
                fraudRatePerItem, honestErrorRatePerItem, passAroundShare, passAroundScanDetect, missP, missS, missD,
                duplicateRate, spuriousPerMinute, multiScanRate, lateBarcodeRate, keyInProduceRate, voidRate,
                parallelRateMin, parallelRateMax, clockOffsetMaxMs, clockDriftPpmSigma, deliveryDelayMeanMs,
                lateDeliveryRate, incidentConfirmRate);
    }

    /**
     * Detector and POS noise multiplied by {@code scale}: missed, duplicated and spurious primitives, multi-scans, late
     * barcodes and late deliveries (rates capped at 0.5). 1 = the defaults; the README reports results per scale.
     */
    public SimulatorConfig withNoiseScale(double scale) {
        if (!(scale >= 0)) {
            throw new IllegalArgumentException("noise scale must be >= 0, got " + scale);
        }
        return new SimulatorConfig(stores, lanes, hours, startMs, seed, secondsPerItem, fixedSecondsMin,
                fixedSecondsMax, basketMean, basketShape, shiftsPerLane, paceSigma, fraudCashierShare,
                fraudRatePerItem, honestErrorRatePerItem, passAroundShare, passAroundScanDetect, cap(missP * scale),
                cap(missS * scale), cap(missD * scale), cap(duplicateRate * scale), spuriousPerMinute * scale,
                cap(multiScanRate * scale), cap(lateBarcodeRate * scale), keyInProduceRate, voidRate, parallelRateMin,
                parallelRateMax, clockOffsetMaxMs, clockDriftPpmSigma, deliveryDelayMeanMs,
                cap(lateDeliveryRate * scale), incidentConfirmRate);
    }

    /**
     * Another fraud level: the share of cashiers prone to unregistered items and their per-item rate. Tests that need
     * many incidents in a short stretch use it; the defaults keep the paper's rarity (13 in a day of 6 lanes).
     */
    public SimulatorConfig withFraud(double cashierShare, double ratePerItem) {
        if (!(cashierShare >= 0 && cashierShare <= 1 && ratePerItem >= 0 && ratePerItem <= 0.5)) {
            throw new IllegalArgumentException("fraud cashier share must be in [0, 1] and the rate in [0, 0.5]");
        }
        return new SimulatorConfig(stores, lanes, hours, startMs, seed, secondsPerItem, fixedSecondsMin,
                fixedSecondsMax, basketMean, basketShape, shiftsPerLane, paceSigma, cashierShare, ratePerItem,
                honestErrorRatePerItem, passAroundShare, passAroundScanDetect, missP, missS, missD, duplicateRate,
                spuriousPerMinute, multiScanRate, lateBarcodeRate, keyInProduceRate, voidRate, parallelRateMin,
                parallelRateMax, clockOffsetMaxMs, clockDriftPpmSigma, deliveryDelayMeanMs, lateDeliveryRate,
                incidentConfirmRate);
    }

    private static double cap(double rate) {
        return Math.min(0.5, rate);
    }

    /** Same lanes and timing with detector noise, clock error and delivery disorder off: a clean reference. */
    public SimulatorConfig noiseless() {
        return new SimulatorConfig(stores, lanes, hours, startMs, seed, secondsPerItem, fixedSecondsMin,
                fixedSecondsMax, basketMean, basketShape, shiftsPerLane, paceSigma, fraudCashierShare,
                fraudRatePerItem, honestErrorRatePerItem, passAroundShare, passAroundScanDetect, 0, 0, 0, 0, 0, 0, 0,
                0, 0, parallelRateMin, parallelRateMax, 0, 0, 0, 0, incidentConfirmRate);
    }
}
