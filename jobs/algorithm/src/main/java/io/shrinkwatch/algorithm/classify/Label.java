package io.shrinkwatch.algorithm.classify;

/** Class of one primitive after voting (KDD'11 section 4.1). */
public enum Label {
    /** Part of a true scan (an item whose barcode was registered). */
    TRUE_SCAN,
    /** Part of a fake scan (an item that crossed the lane unregistered). */
    FAKE_SCAN,
    /** Neither posterior reached the threshold, or no pattern voted. */
    UNCLASSIFIED
}
