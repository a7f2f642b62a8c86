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
 *
 * <p>Unscanned items ({@link SegmentationRules#findsUnscannedItems()}, on by default, off in the paper's rules): an
 * item passed around the scanner, or scanned where the camera missed the motion, leaves a pickup and a drop with
 * neither a scan motion nor a barcode between them, which no S-anchored rule can raise. "PD" is the negative pattern
 * of the paper's most repeated checkout "PBD", so its votes label both F. After the S-anchored fake scans, every
 * unused pickup whose next symbol other than a pickup is an unused drop, both labelled F, with the drop between
 * {@code minPickupToDropMs} and {@code maxPickupToDropMs} after it (a low and a high quantile of the training true
 * scans' pickup-to-drop times, learned by the miner: a cashier's next pickup before the previous item's drop, a
 * parallel checkout, is far quicker, and a stray pickup and drop at the end of a transaction far slower), not within
 * {@code minFakeGapMs} of another fake scan, not claimed by a true scan that lacks its own pickup or drop (the nearest
 * unused one before, or after, it), and with no orphaned barcode from {@code reconcileBeforeMs} before the pickup to
 * {@code reconcileAfterMs} after the drop (which explains one such item, as it explains one candidate), is a fake
 * scan with no scan motion: its {@code sIndex} is -1 and its scan time the midpoint of pickup and drop. This is not
 * in the paper, which anchors every fake scan on an S. Twelve simulated days (seeds 7-117): 459 correct / 105 false
 * alerts against 400 / 88 without; of the items with a scan motion 392 found against 382, of those passed around the
 * scanner 67 of 118 against 18; on twelve held-out days (seeds 127-237) 427 / 112 against 364 / 96.
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

    /** True scans in sequence order, then fake scans (unscanned items among them) in time order. */
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
        if (rules.findsUnscannedItems()) {
            unscannedItems(symbols, times, c, used, orphan, out);
        }
        return out;
    }

    /** Adds the unscanned items (see the class comment), the fake scans in time order after them. */
    private void unscannedItems(CharSequence sym, long[] times, Classification c, boolean[] used, boolean[] orphan,
            List<ScanEvent> out) {
        Label[] labels = c.labels();
        List<Long> fakeTimes = new ArrayList<>();
        for (ScanEvent e : out) {
            if (e.fake()) {
                fakeTimes.add(e.sTs());
            }
        }
        int before = out.size();
        int n = sym.length();
        // A true scan whose pickup (drop) had to be created lays claim to the nearest unused pickup before (drop after)
        // its scan motion and barcode, within the item's longest span: a stray drop between a pickup and its scan
        // motion, or a parallel checkout's next pickup before this item's drop, must not make an unscanned item of
        // primitives that belong to a registered one.
        boolean[] claimed = new boolean[n];
        for (ScanEvent e : out) {
            if (e.fake()) {
                continue;
            }
            int first = e.sIndex() >= 0 ? Math.min(e.sIndex(), e.anchorIndex()) : e.anchorIndex();
            int last = e.sIndex() >= 0 ? Math.max(e.sIndex(), e.anchorIndex()) : e.anchorIndex();
            if (e.pIndex() < 0) {
                for (int j = first - 1; j >= 0 && times[first] - times[j] <= rules.maxPickupToDropMs(); j--) {
                    if (sym.charAt(j) == 'P' && !used[j]) {
                        claimed[j] = true;
                        break;
                    }
                }
            }
            if (e.dIndex() < 0) {
                for (int j = last + 1; j < n && times[j] - times[last] <= rules.maxPickupToDropMs(); j++) {
                    if (sym.charAt(j) == 'D' && !used[j]) {
                        claimed[j] = true;
                        break;
                    }
                }
            }
        }
        for (int p = 0; p < n; p++) {
            if (sym.charAt(p) != 'P' || used[p] || claimed[p] || labels[p] != Label.FAKE_SCAN) {
                continue;
            }
            int d = p + 1;
            while (d < n && sym.charAt(d) == 'P') {
                d++;
            }
            if (d == n || sym.charAt(d) != 'D' || used[d] || claimed[d] || labels[d] != Label.FAKE_SCAN) {
                continue;
            }
            long span = times[d] - times[p];
            if (span < rules.minPickupToDropMs() || span > rules.maxPickupToDropMs()) {
                continue;
            }
            long mid = times[p] + span / 2;
            if (nearAny(fakeTimes, mid, rules.minFakeGapMs())) {
                continue;
            }
            int explaining = orphanBarcode(times, orphan, times[p] - rules.reconcileBeforeMs(),
                    times[d] + rules.reconcileAfterMs(), mid);
            if (explaining >= 0) {
                orphan[explaining] = false;
                continue;
            }
            used[p] = true;
            used[d] = true;
            fakeTimes.add(mid);
            out.add(new ScanEvent(true, p, p, -1, d, times[p], mid, times[d],
                    (c.posteriorFake(p) + c.posteriorFake(d)) / 2));
        }
        if (out.size() > before) {
            // Fake scans stay in time order (the S-anchored ones already are; the sort is stable).
            int firstFake = 0;
            while (!out.get(firstFake).fake()) {
                firstFake++;
            }
            out.subList(firstFake, out.size()).sort(java.util.Comparator.comparingLong(ScanEvent::sTs));
        }
    }

    private static boolean nearAny(List<Long> times, long t, long gap) {
        for (long f : times) {
            if (Math.abs(f - t) < gap) {
                return true;
            }
        }
        return false;
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
        return orphanBarcode(times, orphan, times[at] - rules.reconcileBeforeMs(),
                times[at] + rules.reconcileAfterMs(), times[at]);
    }

    /** The orphaned barcode in [{@code from}, {@code to}] nearest in time to {@code t}, or -1. */
    private static int orphanBarcode(long[] times, boolean[] orphan, long from, long to, long t) {
        int best = -1;
        long bestDist = Long.MAX_VALUE;
        for (int j = 0; j < orphan.length; j++) {
            if (orphan[j] && times[j] >= from && times[j] <= to && Math.abs(times[j] - t) < bestDist) {
                best = j;
                bestDist = Math.abs(times[j] - t);
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
