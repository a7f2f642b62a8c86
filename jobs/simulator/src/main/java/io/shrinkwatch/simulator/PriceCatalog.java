package io.shrinkwatch.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Real grocery receipt lines (Complete Journey, CC0) to draw item prices, quantities and hour-of-day traffic from.
 *
 * <p>The bundled {@code price-lines.csv.gz} was derived from {@code shared/data/completejourney} as its SOURCE.md
 * advises: FUEL, MISCELLANEOUS, unknown products and quantity 0 dropped (and the 10 lines with quantity above 50),
 * shelf unit price = (sales_value + retail_disc + coupon_match_disc) / quantity in cents, hour from the timestamp.
 * {@link #fromCompleteJourney(Path)} does the same from the original two files.
 */
public final class PriceCatalog {

    /** One receipt line. */
    public record Line(String productId, String department, long unitPriceCents, int quantity, int hour) {
    }

    private final List<Line> lines;
    private final double[] hourShare = new double[24];

    private PriceCatalog(List<Line> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("price catalog is empty");
        }
        this.lines = lines;
        for (Line l : lines) {
            hourShare[l.hour()] += 1.0 / lines.size();
        }
    }

    public static PriceCatalog bundled() {
        try (InputStream in = PriceCatalog.class.getResourceAsStream("price-lines.csv.gz")) {
            if (in == null) {
                throw new IllegalStateException("bundled price-lines.csv.gz missing from the classpath");
            }
            List<Line> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                    StandardCharsets.UTF_8))) {
                r.readLine();
                String s;
                while ((s = r.readLine()) != null) {
                    String[] f = s.split(",", -1);
                    lines.add(new Line(f[0], f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4])));
                }
            }
            return new PriceCatalog(lines);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled price table", e);
        }
    }

    /** Reads {@code products.csv.gz} and {@code transactions_sample.csv.gz} from a Complete Journey directory. */
    public static PriceCatalog fromCompleteJourney(Path dir) throws IOException {
        Map<String, String> department = new HashMap<>();
        forEachCsv(dir.resolve("products.csv.gz"), f -> department.put(f.get(0), f.get(2)));
        List<Line> lines = new ArrayList<>();
        forEachCsv(dir.resolve("transactions_sample.csv.gz"), f -> {
            String dept = department.get(f.get(3));
            double qty = Double.parseDouble(f.get(4));
            if (dept == null || dept.isEmpty() || dept.equals("FUEL") || dept.equals("MISCELLANEOUS") || qty <= 0
                    || qty > 50) {
                return;
            }
            double unit = (Double.parseDouble(f.get(5)) + Double.parseDouble(f.get(6)) + Double.parseDouble(f.get(8)))
                    / qty;
            long cents = Math.round(unit * 100);
            if (cents > 0) {
                lines.add(new Line(f.get(3), dept, cents, (int) qty, Integer.parseInt(f.get(10).substring(11, 13))));
            }
        });
        return new PriceCatalog(lines);
    }

    private static void forEachCsv(Path file, java.util.function.Consumer<List<String>> row) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            r.readLine();
            String s;
            while ((s = r.readLine()) != null) {
                row.accept(parseCsvLine(s));
            }
        }
    }

    static List<String> parseCsvLine(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    public Line draw(SplittableRandom rnd) {
        return lines.get(rnd.nextInt(lines.size()));
    }

    public int size() {
        return lines.size();
    }

    /** Share of receipt lines in each hour of the day. */
    public double hourShare(int hour) {
        return hourShare[Math.floorMod(hour, 24)];
    }

    public double maxHourShare() {
        double m = 0;
        for (double s : hourShare) {
            m = Math.max(m, s);
        }
        return m;
    }

    /** A deterministic EAN-13 for a product id (prefix 2 = in-store numbering, so no real GTIN is implied). */
    public static String barcode(String productId) {
        String digits = String.format("2%011d", Math.abs(Long.parseLong(productId)) % 100_000_000_000L);
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int d = digits.charAt(i) - '0';
            sum += (i % 2 == 0) ? d : 3 * d;
        }
        return digits + ((10 - sum % 10) % 10);
    }
}
