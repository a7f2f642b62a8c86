package io.shrinkwatch.simulator;

/**
 * One unregistered item the simulator injected, with its true motion times on the camera clock.
 *
 * @param kind {@link #SCAN_NO_BARCODE} or {@link #PASS_AROUND}
 * @param sTs time of the scan motion; null when the item went around the scanner
 */
public record GroundTruthItem(String storeId, String laneId, String txnId, String cashierId, String kind, long pTs,
        Long sTs, long dTs, long priceCents, String barcode) {

    /** A full pickup-scan-drop motion over the scanner with no barcode registered (covered barcode, fake scan). */
    public static final String SCAN_NO_BARCODE = "SCAN_NO_BARCODE";
    /** The item is moved around the scanner, with no scan motion over it. */
    public static final String PASS_AROUND = "PASS_AROUND";
}
