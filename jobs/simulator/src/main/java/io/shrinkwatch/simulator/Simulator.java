package io.shrinkwatch.simulator;

import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.IncidentKind;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded simulator of checkout lanes: camera primitives, the POS log, investigator-confirmed incidents and the
 * ground truth of every unregistered item. Each store draws its cashiers from a generator derived from (seed, store)
 * and each lane its traffic from one derived from (seed, store, lane), so a store's output does not depend on how many
 * stores are simulated (it does depend on the lanes per store, which set its number of cashiers).
 */
public final class Simulator {

    /** One store's output, each list in arrival (delivery) order. */
    public record StoreOutput(String storeId, List<PrimitiveEvent> primitives, List<TLogEvent> tlog,
            List<ConfirmedIncident> incidents, List<GroundTruthItem> truth, List<LaneClock> clocks,
            List<Cashier> cashiers, long transactions, long items) {
    }

    /** A lane's true camera-minus-POS clock: {@code offset(t) = offsetMs + driftPpm * 1e-6 * (t - startMs)}. */
    public record LaneClock(String storeId, String laneId, long offsetMs, double driftPpm) {
    }

    /** A simulated cashier and the habits drawn for them. */
    public record Cashier(String cashierId, double pace, double parallelRate, boolean fraudProne) {
    }

    private final SimulatorConfig cfg;
    private final PriceCatalog catalog;

    public Simulator(SimulatorConfig cfg, PriceCatalog catalog) {
        this.cfg = cfg;
        this.catalog = catalog;
    }

    public static String storeId(int store) {
        return String.format("S%03d", store + 1);
    }

    public static String laneId(int lane) {
        return String.format("L%02d", lane + 1);
    }

    public StoreOutput simulateStore(int store) {
        String storeId = storeId(store);
        SplittableRandom storeRnd = new SplittableRandom(mix(cfg.seed(), store, -1));
        int nCashiers = cfg.lanes() * cfg.shiftsPerLane();
        int fraudProne = (int) Math.round(cfg.fraudCashierShare() * nCashiers);
        boolean[] prone = new boolean[nCashiers];
        for (int placed = 0; placed < fraudProne;) {
            int c = storeRnd.nextInt(nCashiers);
            if (!prone[c]) {
                prone[c] = true;
                placed++;
            }
        }
        List<Cashier> cashiers = new ArrayList<>();
        for (int c = 0; c < nCashiers; c++) {
            double pace = Math.exp(gaussian(storeRnd) * cfg.paceSigma());
            double parallel = cfg.parallelRateMin() + storeRnd.nextDouble() * (cfg.parallelRateMax() - cfg.parallelRateMin());
            cashiers.add(new Cashier(String.format("%s-C%03d", storeId, c + 1), pace, parallel, prone[c]));
        }
        List<Timed<PrimitiveEvent>> prims = new ArrayList<>();
        List<Timed<TLogEvent>> tlog = new ArrayList<>();
        List<ConfirmedIncident> incidents = new ArrayList<>();
        List<GroundTruthItem> truth = new ArrayList<>();
        List<LaneClock> clocks = new ArrayList<>();
        long[] counts = new long[2];
        for (int lane = 0; lane < cfg.lanes(); lane++) {
            new LaneRun(storeId, laneId(lane), lane, new SplittableRandom(mix(cfg.seed(), store, lane)), cashiers, prims,
                    tlog, incidents, truth, clocks, counts).run();
        }
        prims.sort((a, b) -> Long.compare(a.arrival, b.arrival));
        tlog.sort((a, b) -> Long.compare(a.arrival, b.arrival));
        incidents.sort((a, b) -> Long.compare(a.getTs(), b.getTs()));
        truth.sort((a, b) -> Long.compare(a.pTs(), b.pTs()));
        return new StoreOutput(storeId, prims.stream().map(t -> t.value).toList(), tlog.stream().map(t -> t.value).toList(),
                incidents, truth, clocks, cashiers, counts[0], counts[1]);
    }

    private record Timed<T>(T value, long arrival) {
    }

    /** Simulates one lane for the whole day. */
    private final class LaneRun {
        final String storeId;
        final String laneId;
        final int lane;
        final SplittableRandom rnd;
        final List<Cashier> cashiers;
        final List<Timed<PrimitiveEvent>> prims;
        final List<Timed<TLogEvent>> tlog;
        final List<ConfirmedIncident> incidents;
        final List<GroundTruthItem> truth;
        final long[] counts;
        final long offsetMs;
        final double driftPpm;

        LaneRun(String storeId, String laneId, int lane, SplittableRandom rnd, List<Cashier> cashiers,
                List<Timed<PrimitiveEvent>> prims, List<Timed<TLogEvent>> tlog, List<ConfirmedIncident> incidents,
                List<GroundTruthItem> truth, List<LaneClock> clocks, long[] counts) {
            this.storeId = storeId;
            this.laneId = laneId;
            this.lane = lane;
            this.rnd = rnd;
            this.cashiers = cashiers;
            this.prims = prims;
            this.tlog = tlog;
            this.incidents = incidents;
            this.truth = truth;
            this.counts = counts;
            this.offsetMs = cfg.clockOffsetMaxMs() == 0 ? 0
                    : rnd.nextLong(-cfg.clockOffsetMaxMs(), cfg.clockOffsetMaxMs() + 1);
            this.driftPpm = gaussian(rnd) * cfg.clockDriftPpmSigma();
            clocks.add(new LaneClock(storeId, laneId, offsetMs, driftPpm));
        }

        long pos(double camMs) {
            long cam = Math.round(camMs);
            return cam - offsetMs - Math.round(driftPpm * 1e-6 * (cam - cfg.startMs()));
        }

        void run() {
            double end = cfg.startMs() + cfg.hours() * 3_600_000;
            double t = cfg.startMs();
            int txnNo = 0;
            double shiftMs = cfg.hours() * 3_600_000 / cfg.shiftsPerLane();
            double meanTxnMs = ((cfg.fixedSecondsMin() + cfg.fixedSecondsMax()) / 2 + cfg.basketMean() * cfg.secondsPerItem())
                    * 1000;
            while (true) {
                int hour = (int) Math.floorMod(Math.floorDiv((long) t, 3_600_000L), 24L);
                double util = 0.2 + 0.6 * catalog.hourShare(hour) / catalog.maxHourShare();
                t += exponential(meanTxnMs * (1 - util) / util);
                if (t >= end) {
                    return;
                }
                int shift = Math.min(cfg.shiftsPerLane() - 1, (int) ((t - cfg.startMs()) / shiftMs));
                Cashier cashier = cashiers.get(lane * cfg.shiftsPerLane() + shift);
                txnNo++;
                t = transaction(String.format("%s-%s-%05d", storeId, laneId, txnNo), cashier, t);
            }
        }

        double transaction(String txnId, Cashier cashier, double tStart) {
            counts[0]++;
            int n = basketSize();
            double fixed = (cfg.fixedSecondsMin() + rnd.nextDouble() * (cfg.fixedSecondsMax() - cfg.fixedSecondsMin()))
                    * 1000;
            emitTLog(TLogType.TXN_START, tStart, txnId, cashier, null, null, null, null);
            double cur = tStart + 0.2 * fixed;
            int voidIdx = rnd.nextDouble() < cfg.voidRate() ? rnd.nextInt(n) : -1;
            double fraudRate = cashier.fraudProne() ? cfg.fraudRatePerItem() : cfg.honestErrorRatePerItem();
            long total = 0;
            double lastD = cur;
            for (int i = 0; i < n; i++) {
                PriceCatalog.Line line = catalog.draw(rnd);
                String barcode = PriceCatalog.barcode(line.productId());
                double pace = cashier.pace();
                double p = cur;
                double s;
                double d;
                if (rnd.nextDouble() < fraudRate) {
                    boolean around = rnd.nextDouble() < cfg.passAroundShare();
                    if (around) {
                        d = p + (1000 + rnd.nextDouble() * 800) * pace;
                        s = (p + d) / 2;
                        primitive(PrimitiveKind.P, p);
                        if (rnd.nextDouble() < cfg.passAroundScanDetect()) {
                            primitive(PrimitiveKind.S, s);
                        }
                        primitive(PrimitiveKind.D, d);
                    } else {
                        s = p + (500 + rnd.nextDouble() * 600) * pace;
                        d = s + (500 + rnd.nextDouble() * 500) * pace;
                        primitive(PrimitiveKind.P, p);
                        primitive(PrimitiveKind.S, s);
                        primitive(PrimitiveKind.D, d);
                    }
                    long price = line.unitPriceCents() * line.quantity();
                    GroundTruthItem g = new GroundTruthItem(storeId, laneId, txnId, cashier.cashierId(),
                            around ? GroundTruthItem.PASS_AROUND : GroundTruthItem.SCAN_NO_BARCODE, Math.round(p),
                            around ? null : Math.round(s), Math.round(d), price, barcode);
                    truth.add(g);
                    if (rnd.nextDouble() < cfg.incidentConfirmRate()) {
                        incidents.add(ConfirmedIncident.newBuilder().setStoreId(storeId).setLaneId(laneId)
                                .setTxnId(txnId).setTs(Math.round(s)).setKind(IncidentKind.FAKE_SCAN).build());
                    }
                } else {
                    counts[1]++;
                    double beep;
                    primitive(PrimitiveKind.P, p);
                    if (line.department().equals("PRODUCE") && rnd.nextDouble() < cfg.keyInProduceRate()) {
                        beep = p + 1500 + rnd.nextDouble() * 1500;
                        d = beep + 400 + rnd.nextDouble() * 500;
                    } else {
                        s = p + (500 + rnd.nextDouble() * 600) * pace;
                        if (rnd.nextDouble() < cfg.multiScanRate()) {
                            int attempts = 1 + rnd.nextInt(2);
                            for (int a = 0; a < attempts; a++) {
                                primitive(PrimitiveKind.S, s);
                                s += 600 + rnd.nextDouble() * 300;
                            }
                        }
                        primitive(PrimitiveKind.S, s);
                        beep = rnd.nextDouble() < cfg.lateBarcodeRate() ? s + 800 + rnd.nextDouble() * 1700
                                : s + Math.max(-500, Math.min(400, -100 + gaussian(rnd) * 200));
                        d = s + (500 + rnd.nextDouble() * 500) * pace;
                    }
                    primitive(PrimitiveKind.D, d);
                    emitTLog(TLogType.ITEM, beep, txnId, cashier, barcode, line.unitPriceCents(), line.quantity(),
                            null);
                    if (i == voidIdx) {
                        emitTLog(TLogType.VOID, beep + 3000 + rnd.nextDouble() * 5000, txnId, cashier, barcode,
                                line.unitPriceCents(), line.quantity(), null);
                    } else {
                        total += line.unitPriceCents() * line.quantity();
                    }
                }
                double cycle = cfg.secondsPerItem() * 1000 * pace * Math.exp(gaussian(rnd) * 0.25);
                if (rnd.nextDouble() < cashier.parallelRate()) {
                    cur = d - 100 - rnd.nextDouble() * 400;
                } else {
                    cur = Math.max(p + cycle, d + 200 + rnd.nextDouble() * 300);
                }
                lastD = Math.max(lastD, d);
            }
            double tEnd = lastD + 0.8 * fixed;
            emitTLog(TLogType.TXN_END, tEnd, txnId, cashier, null, null, null, total);
            int spurious = poisson(cfg.spuriousPerMinute() * (tEnd - tStart) / 60_000);
            PrimitiveKind[] kinds = PrimitiveKind.values();
            for (int k = 0; k < spurious; k++) {
                emitPrimitive(kinds[rnd.nextInt(3)], tStart + rnd.nextDouble() * (tEnd - tStart));
            }
            return tEnd;
        }

        /** A real motion, seen through the detector: maybe missed, timing jitter, maybe reported twice. */
        void primitive(PrimitiveKind kind, double t) {
            double miss = switch (kind) {
                case P -> cfg.missP();
                case S -> cfg.missS();
                case D -> cfg.missD();
            };
            if (rnd.nextDouble() < miss) {
                return;
            }
            double seen = t + gaussian(rnd) * (miss > 0 ? 60 : 0);
            emitPrimitive(kind, seen);
            if (rnd.nextDouble() < cfg.duplicateRate()) {
                emitPrimitive(kind, seen + 150 + rnd.nextDouble() * 300);
            }
        }

        void emitPrimitive(PrimitiveKind kind, double t) {
            long ts = Math.round(t);
            prims.add(new Timed<>(PrimitiveEvent.newBuilder().setStoreId(storeId).setLaneId(laneId).setTs(ts)
                    .setKind(kind).build(), ts + delay()));
        }

        void emitTLog(TLogType type, double camT, String txnId, Cashier cashier, String barcode, Long price,
                Integer qty, Long total) {
            TLogEvent e = TLogEvent.newBuilder().setStoreId(storeId).setLaneId(laneId).setTs(pos(camT)).setType(type)
                    .setTxnId(txnId).setCashierId(cashier.cashierId()).setBarcode(barcode).setPriceCents(price)
                    .setQty(qty).setTotalCents(total).build();
            tlog.add(new Timed<>(e, Math.round(camT) + delay()));
        }

        long delay() {
            long d = cfg.deliveryDelayMeanMs() > 0 ? Math.round(exponential(cfg.deliveryDelayMeanMs())) : 0;
            if (rnd.nextDouble() < cfg.lateDeliveryRate()) {
                d += 2000 + rnd.nextLong(8000);
            }
            return d;
        }

        int basketSize() {
            double lambda = gamma(cfg.basketShape()) * cfg.basketMean() / cfg.basketShape();
            return Math.max(1, poisson(lambda));
        }

        double exponential(double mean) {
            return -mean * Math.log(1 - rnd.nextDouble());
        }

        int poisson(double lambda) {
            if (lambda <= 0) {
                return 0;
            }
            if (lambda > 60) {
                return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rnd)));
            }
            double l = Math.exp(-lambda);
            double p = 1;
            int k = 0;
            do {
                k++;
                p *= rnd.nextDouble();
            } while (p > l);
            return k - 1;
        }

        /** Marsaglia-Tsang gamma(shape, 1). */
        double gamma(double shape) {
            if (shape < 1) {
                return gamma(shape + 1) * Math.pow(rnd.nextDouble(), 1 / shape);
            }
            double d = shape - 1.0 / 3;
            double c = 1 / Math.sqrt(9 * d);
            while (true) {
                double x = gaussian(rnd);
                double v = 1 + c * x;
                if (v <= 0) {
                    continue;
                }
                v = v * v * v;
                double u = rnd.nextDouble();
                if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                    return d * v;
                }
            }
        }
    }

    static double gaussian(SplittableRandom rnd) {
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static long mix(long seed, int store, int lane) {
        long z = seed * 0x9E3779B97F4A7C15L + store * 0xBF58476D1CE4E5B9L + (lane + 7L) * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
