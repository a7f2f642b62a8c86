package io.shrinkwatch.algorithm.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups labelled symbols into true and fake scans (KDD'11 section 4.2).
 *
 * <p>Within each maximal run of T labels every B anchors a true scan; within each maximal run of F labels every S
 * anchors a candidate fake scan. An anchor's window is the run, cut at the neighbouring anchors (the "non-B
 * primitives around the anchor" of the paper). In it the nearest unused D after the anchor is preferred (else the
 * nearest before), and the nearest unused P and S before it (else the nearest after, but not beyond that D: an item
 * ends with its drop, and the paper leaves the window's extent open); each primitive joins at most one scan. A true
 * scan missing P, S or D gets one created at the B's time. A fake scan needs a real P, S and D, and starts at least
 * {@code minFakeGapMs} (paper: 3 s, measured between scan motions) after the previous fake scan of the sequence.
 *
 * <p>Two extensions, each off when its {@link SegmentationRules} values are 0 ({@link SegmentationRules#paper()}).
 * Temporal plausibility: a fake scan's pickup must precede its scan motion by at least {@code minPickupToScanMs} and
 * its drop follow by at least {@code minScanToDropMs}; the miner learns both as a low quantile of the gaps in the
 * training lanes' true scans, so detector double fires and a neighbour's primitives, tens of milliseconds apart, no
 * longer pass for an item; when the nearest pickup or drop is too close, the nearest unused one farther out on the same
 * side (within the anchor's window) that is not stands in, so a double fire next to the scan motion does not veto the
 * item's real pickup or drop (twelve simulated days: 400 correct / 88 false alerts against 396 / 88 without; with scan
 * alignment 386 / 44 against 382 / 44). Barcode reconciliation: the paper's checkout patterns must end with a drop, so
 * no positive pattern covers a barcode registered after the drop ("PSDB", named as common noise in section 3.3), and a
 * stray pickup or drop between a barcode and its scan motion ("PBPSD") breaks every pattern too. Such items look like
 * fake scans while their barcode sits next to them with no scan motion of its own. A fake-scan candidate is therefore
 * withdrawn when a barcode registered between {@code reconcileBeforeMs} before and {@code reconcileAfterMs} after its
 * scan motion is orphaned: claimed by no true scan, or by one whose scan motion had to be created and that lacks a real
 * pickup or drop too (a barcode between its own item's P and D is that item's, whose S the camera missed: "PBD", the
 * paper's most repeated pattern). Each such barcode explains at most one candidate.
 *
 * <p>Scan alignment ({@link SegmentationRules#alignScans()}, off by default): a barcode the true scans claimed can
 * still be a candidate's own, registered late, when the true scan that claimed it took it from the next item, whose
 * own barcode came later still (a chain of late registrations). Barcodes register in the order of their scan motions,
 * so the transaction's scan motions and barcodes are aligned in order at minimum cost: a pair costs nothing within
 * {@link #ALIGN_FREE_MS} of each other and rises linearly to the cost of leaving both unpaired (1 + 1) at the
 * reconciliation window's edges, beyond which it cannot pair; adjacent scan motions under {@link #ALIGN_REPEAT_MS}
 * apart are one item's repeated attempts and pair as one. A candidate whose scan motion is paired is withdrawn too.
 * Twelve simulated days (seeds 7-117): 400 correct / 88 false alerts without, 386 / 44 with it.
 */
public final class Segmenter {

    private final SegmentationRules rules;

    public Segmenter(SegmentationRules rules) {
        this.rules = rules;
    }

    /** The paper's segmentation exactly ({@link SegmentationRules#paper()}). */
    public static Segmenter paperRules() {
        return new Segmenter(SegmentationRules.paper());
    }

    public SegmentationRules rules() {
        return rules;
    }

    /** True scans then fake scans, each in sequence order. */
    public List<ScanEvent> segment(CharSequence symbols, long[] times, Classification c) {
        List<ScanEvent> out = new ArrayList<>();
        boolean[] used = new boolean[symbols.length()];
        boolean[] orphan = new boolean[symbols.length()];
        segment(symbols, times, c, Label.TRUE_SCAN, 'B', used, orphan, null, out);
        for (int j = 0; j < orphan.length; j++) {
            orphan[j] = symbols.charAt(j) == 'B' && !used[j];
        }
        for (ScanEvent e : out) {
            if (e.sIndex() < 0 && (e.pIndex() < 0 || e.dIndex() < 0)) {
                orphan[e.anchorIndex()] = true;
            }
        }
        boolean[] paired = rules.alignScans() ? pairedScans(symbols, times) : null;
        segment(symbols, times, c, Label.FAKE_SCAN, 'S', used, orphan, paired, out);
        return out;
    }

    private void segment(CharSequence sym, long[] times, Classification c, Label label, char anchor, boolean[] used,
            boolean[] orphan, boolean[] paired, List<ScanEvent> out) {
        Label[] labels = c.labels();
        boolean fake = label == Label.FAKE_SCAN;
        long lastFakeScanTs = Long.MIN_VALUE;
        int i = 0;
        while (i < labels.length) {
            if (labels[i] != label) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < labels.length && labels[i] == label) {
                i++;
            }
            int runEnd = i;
            List<Integer> anchors = new ArrayList<>();
            for (int j = runStart; j < runEnd; j++) {
                if (sym.charAt(j) == anchor) {
                    anchors.add(j);
                }
            }
            for (int a = 0; a < anchors.size(); a++) {
                int at = anchors.get(a);
                int lo = a == 0 ? runStart : anchors.get(a - 1) + 1;
                int hi = a == anchors.size() - 1 ? runEnd : anchors.get(a + 1);
                int d = nearest(sym, used, 'D', at, lo, hi, false);
                // An item ends with its drop: a P or S after that drop belongs to the next item.
                int pickupHi = d > at ? d : hi;
                int p = nearest(sym, used, 'P', at, lo, pickupHi, true);
                int s = fake ? at : nearest(sym, used, 'S', at, lo, pickupHi, true);
                if (fake) {
                    if (p < 0 || d < 0 || (lastFakeScanTs != Long.MIN_VALUE
                            && times[at] - lastFakeScanTs < rules.minFakeGapMs())) {
                        continue;
                    }
                    if (!plausible(times[p], times[at], times[d])) {
                        // A detector's double fire (a second P a few ms before the S, a second D just after it)
                        // must not veto the item's real pickup and drop a little farther out.
                        p = nearestPlausible(sym, times, used, 'P', p, at, lo - 1, -1);
                        d = nearestPlausible(sym, times, used, 'D', d, at, hi, +1);
                        if (p < 0 || d < 0 || !plausible(times[p], times[at], times[d])) {
                            continue;
                        }
                    }
                    if (paired != null && paired[at]) {
                        continue;
                    }
                    int explaining = orphanBarcode(times, orphan, at);
                    if (explaining >= 0) {
                        orphan[explaining] = false;
                        continue;
                    }
                    lastFakeScanTs = times[at];
                }
                used[at] = true;
                double conf = 0;
                int members = 0;
                for (int m : new int[] {p, s, d, fake ? -1 : at}) {
                    if (m >= 0) {
                        used[m] = true;
                        conf += fake ? c.posteriorFake(m) : c.posteriorTrue(m);
                        members++;
                    }
                }
                long t = times[at];
                out.add(new ScanEvent(fake, at, p, s, d, p >= 0 ? times[p] : t, s >= 0 ? times[s] : t,
                        d >= 0 ? times[d] : t, conf / members));
            }
        }
    }

    /** Scan alignment: a pair this close in time costs nothing. */
    static final long ALIGN_FREE_MS = 500;
    /** Scan alignment: adjacent scan motions this close are one item's repeated attempts. */
    static final long ALIGN_REPEAT_MS = 1_200;

    /** The cost of pairing a scan motion with a barcode {@code dt} after it (negative: before). */
    private double pairCost(long dt) {
        long before = rules.reconcileBeforeMs();
        long after = rules.reconcileAfterMs();
        if (dt < -before || dt > after) {
            return Double.POSITIVE_INFINITY;
        }
        if (dt > ALIGN_FREE_MS) {
            return after > ALIGN_FREE_MS ? 2.0 * (dt - ALIGN_FREE_MS) / (after - ALIGN_FREE_MS) : 2;
        }
        if (dt < -ALIGN_FREE_MS) {
            return before > ALIGN_FREE_MS ? 2.0 * (-ALIGN_FREE_MS - dt) / (before - ALIGN_FREE_MS) : 2;
        }
        return 0;
    }

    /** Which scan motions the minimum-cost in-order alignment to the barcodes pairs (see the class comment). */
    boolean[] pairedScans(CharSequence sym, long[] times) {
        int n = sym.length();
        int[] first = new int[n];
        int[] last = new int[n];
        int[] barcodes = new int[n];
        int groups = 0;
        int nb = 0;
        for (int i = 0; i < n; i++) {
            if (sym.charAt(i) == 'S') {
                if (groups > 0 && last[groups - 1] == i - 1 && times[i] - times[i - 1] <= ALIGN_REPEAT_MS) {
                    last[groups - 1] = i;
                } else {
                    first[groups] = i;
                    last[groups++] = i;
                }
            } else if (sym.charAt(i) == 'B') {
                barcodes[nb++] = i;
            }
        }
        double[][] pair = new double[groups][nb];
        for (int g = 0; g < groups; g++) {
            for (int b = 0; b < nb; b++) {
                double best = Double.POSITIVE_INFINITY;
                for (int k = first[g]; k <= last[g]; k++) {
                    best = Math.min(best, pairCost(times[barcodes[b]] - times[k]));
                }
                pair[g][b] = best;
            }
        }
        // cost[g][b]: the first g scan groups aligned with the first b barcodes; leaving one unpaired costs 1.
        double[][] cost = new double[groups + 1][nb + 1];
        for (int g = 0; g <= groups; g++) {
            for (int b = 0; b <= nb; b++) {
                if (g == 0 && b == 0) {
                    continue;
                }
                double best = Double.POSITIVE_INFINITY;
                if (g > 0 && b > 0) {
                    best = cost[g - 1][b - 1] + pair[g - 1][b - 1];
                }
                if (g > 0) {
                    best = Math.min(best, cost[g - 1][b] + 1);
                }
                if (b > 0) {
                    best = Math.min(best, cost[g][b - 1] + 1);
                }
                cost[g][b] = best;
            }
        }
        // Traced back preferring a pair on ties: an ambiguous candidate is withdrawn.
        boolean[] paired = new boolean[n];
        int g = groups;
        int b = nb;
        while (g > 0 || b > 0) {
            if (g > 0 && b > 0 && cost[g][b] == cost[g - 1][b - 1] + pair[g - 1][b - 1]) {
                for (int k = first[g - 1]; k <= last[g - 1]; k++) {
                    paired[k] = true;
                }
                g--;
                b--;
            } else if (g > 0 && cost[g][b] == cost[g - 1][b] + 1) {
                g--;
            } else {
                b--;
            }
        }
        return paired;
    }

    /**
     * From the nearest {@code want} ({@code P} or {@code D}) on one side of the scan motion at {@code at}
     * ({@code step} -1: before, +1: after), the nearest unused one on that side, up to {@code bound} (exclusive),
     * whose gap to the scan motion is plausible; {@code from} itself when it is, -1 when there is none. A primitive
     * on the other side of the scan motion is returned as it is (it cannot be plausible).
     */
    private int nearestPlausible(CharSequence sym, long[] times, boolean[] used, char want, int from, int at, int bound,
            int step) {
        long minGap = want == 'P' ? rules.minPickupToScanMs() : rules.minScanToDropMs();
        if (minGap <= 0 || (from - at) * step <= 0) {
            return from;
        }
        for (int j = from; j != bound; j += step) {
            if (sym.charAt(j) == want && !used[j] && Math.abs(times[j] - times[at]) >= minGap) {
                return j;
            }
        }
        return -1;
    }

    private boolean plausible(long p, long s, long d) {
        if (rules.minPickupToScanMs() > 0 && s - p < rules.minPickupToScanMs()) {
            return false;
        }
        return rules.minScanToDropMs() <= 0 || d - s >= rules.minScanToDropMs();
    }

    /** The orphaned barcode nearest in time to the scan motion at {@code at} within the windows, or -1. */
    private int orphanBarcode(long[] times, boolean[] orphan, int at) {
        int best = -1;
        long bestDist = Long.MAX_VALUE;
        for (int j = 0; j < orphan.length; j++) {
            long dt = times[j] - times[at];
            if (orphan[j] && dt >= -rules.reconcileBeforeMs() && dt <= rules.reconcileAfterMs()
                    && Math.abs(dt) < bestDist) {
                best = j;
                bestDist = Math.abs(dt);
            }
        }
        return best;
    }

    private static int nearest(CharSequence sym, boolean[] used, char want, int at, int lo, int hi, boolean preferBefore) {
        int before = -1;
        for (int j = at - 1; j >= lo; j--) {
            if (sym.charAt(j) == want && !used[j]) {
                before = j;
                break;
            }
        }
        int after = -1;
        for (int j = at + 1; j < hi; j++) {
            if (sym.charAt(j) == want && !used[j]) {
                after = j;
                break;
            }
        }
        if (preferBefore) {
            return before >= 0 ? before : after;
        }
        return after >= 0 ? after : before;
    }
}
