package io.shrinkwatch.algorithm.classify;

/**
 * One segmented item checkout: a true scan anchored on a B, a fake scan anchored on an F-labelled S, or an unscanned
 * item (a fake scan with no scan motion) anchored on its F-labelled P.
 *
 * @param fake whether this is a fake scan
 * @param anchorIndex index of the anchoring B (true), S (fake) or P (unscanned item) in the sequence
 * @param pIndex index of the pickup, or -1 when it was created (true scans only)
 * @param sIndex index of the scan motion, or -1 when created (true scans) or absent (unscanned items)
 * @param dIndex index of the drop, or -1 when created
 * @param pTs pickup time (the anchor's time when created)
 * @param sTs scan motion time (an unscanned item: the midpoint of its pickup and drop)
 * @param dTs drop time
 * @param confidence mean posterior of the scan's class over its real P, S, D (and B)
 */
public record ScanEvent(boolean fake, int anchorIndex, int pIndex, int sIndex, int dIndex, long pTs, long sTs,
        long dTs, double confidence) {

    /** Whether this is an unscanned item: a fake scan with no scan motion. */
    public boolean unscanned() {
        return fake && sIndex < 0;
    }
}
