package io.shrinkwatch.algorithm.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups labelled symbols into true and fake scans (KDD'11 section 4.2).
 *
 * <p>Within each maximal run of T labels every B anchors a true scan; within each maximal run of F labels every S
 * anchors a candidate fake scan. An anchor's window is the run, cut at the neighbouring anchors (the "non-B
 * primitives around the anchor" of the paper). In it the nearest unused P and S before the anchor are preferred (else
 * the nearest after), and the nearest unused D after it (else before); each primitive joins at most one scan. A true
 * scan missing P, S or D gets one created at the B's time. A fake scan needs a real P, S and D, and starts at least
 * {@code minFakeGapMs} (paper: 3 s, measured between scan motions) after the previous fake scan of the sequence.
 */
public final class Segmenter {

    /** The paper's minimum time between two successive fake scans. */
    public static final long DEFAULT_MIN_FAKE_GAP_MS = 3_000;

    private final long minFakeGapMs;

    public Segmenter() {
        this(DEFAULT_MIN_FAKE_GAP_MS);
    }

    public Segmenter(long minFakeGapMs) {
        if (minFakeGapMs < 0) {
            throw new IllegalArgumentException("minFakeGapMs must be >= 0");
        }
        this.minFakeGapMs = minFakeGapMs;
    }

    /** True scans then fake scans, each in sequence order. */
    public List<ScanEvent> segment(CharSequence symbols, long[] times, Classification c) {
        List<ScanEvent> out = new ArrayList<>();
        boolean[] used = new boolean[symbols.length()];
        segment(symbols, times, c, Label.TRUE_SCAN, 'B', used, out);
        segment(symbols, times, c, Label.FAKE_SCAN, 'S', used, out);
        return out;
    }

    private void segment(CharSequence sym, long[] times, Classification c, Label label, char anchor, boolean[] used,
            List<ScanEvent> out) {
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
                int p = nearest(sym, used, 'P', at, lo, hi, true);
                int s = fake ? at : nearest(sym, used, 'S', at, lo, hi, true);
                int d = nearest(sym, used, 'D', at, lo, hi, false);
                if (fake) {
                    if (p < 0 || d < 0 || (lastFakeScanTs != Long.MIN_VALUE && times[at] - lastFakeScanTs < minFakeGapMs)) {
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
