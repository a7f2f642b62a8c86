package io.shrinkwatch.remining;

import io.shrinkwatch.algorithm.evaluation.Evaluation;
import io.shrinkwatch.schema.WeightScheme;
import java.util.Locale;

/**
 * The paper's Figure 4 as SVG: detected fake scans (and, with labels, true positives) summed over the lane divisions,
 * against the classification threshold, one line per weight scheme.
 */
final class Figure4 {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
    private static final int W = 640;
    private static final int H = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private Figure4() {
    }

    static String svg(Evaluation.Report e, String modelId) {
        double[] th = Evaluation.PAPER_THRESHOLDS;
        long max = 1;
        for (WeightScheme s : WeightScheme.values()) {
            for (double t : th) {
                max = Math.max(max, e.total(s, t).fakeScans());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">Detected fake scans vs threshold "
                + "(%d divisions, model %s)</text>%n", LEFT, e.trainingLanes().size(), modelId));
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, TOP + plotH, LEFT + plotW, TOP + plotH));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, TOP, LEFT, TOP + plotH));
        for (int i = 0; i < th.length; i++) {
            double x = LEFT + plotW * i / (double) (th.length - 1);
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>%n", x,
                    TOP + plotH + 18, th[i]));
        }
        for (int k = 0; k <= 4; k++) {
            double y = TOP + plotH - plotH * k / 4.0;
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>%n", LEFT - 6,
                    y + 4, Math.round(max * k / 4.0)));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, LEFT + plotW, y));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">threshold</text>%n",
                LEFT + plotW / 2, H - 10));
        int legend = 0;
        for (WeightScheme s : WeightScheme.values()) {
            if (e.rows().stream().noneMatch(r -> r.scheme() == s)) {
                continue;
            }
            String colour = COLOURS[s.ordinal() % COLOURS.length];
            StringBuilder fake = new StringBuilder();
            StringBuilder tp = new StringBuilder();
            for (int i = 0; i < th.length; i++) {
                Evaluation.Row t = e.total(s, th[i]);
                double x = LEFT + plotW * i / (double) (th.length - 1);
                fake.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, TOP + plotH - plotH * t.fakeScans() / (double) max));
                if (t.truePositives() != null) {
                    tp.append(String.format(Locale.ROOT, "%.1f,%.1f ", x,
                            TOP + plotH - plotH * t.truePositives() / (double) max));
                }
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    colour, fake.toString().trim()));
            if (tp.length() > 0) {
                sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                        + "stroke-dasharray=\"5,4\" points=\"%s\"/>%n", colour, tp.toString().trim()));
            }
            int ly = TOP + 10 + 20 * legend++;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", LEFT + plotW + 12, ly, LEFT + plotW + 36, ly, colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 42, ly + 4,
                    s.name().toLowerCase(Locale.ROOT)));
        }
        if (e.labelled()) {
            int ly = TOP + 10 + 20 * legend;
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">dashed: confirmed</text>%n",
                    LEFT + plotW + 12, ly + 4));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }
}
