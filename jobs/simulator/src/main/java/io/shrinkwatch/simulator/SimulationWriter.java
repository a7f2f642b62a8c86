package io.shrinkwatch.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shrinkwatch.common.jsonl.EventJson;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a simulation to a directory: {@value #PRIMITIVES}, {@value #TLOG}, {@value #INCIDENTS} (the input streams,
 * JSON Lines, in arrival order within each store, stores one after another), {@value #GROUND_TRUTH} (every
 * unregistered item), {@value #LANES} (each lane's true clock) and {@value #CASHIERS} (habits drawn per cashier).
 */
public final class SimulationWriter implements AutoCloseable {

    public static final String PRIMITIVES = "primitives.jsonl";
    public static final String TLOG = "tlog.jsonl";
    public static final String INCIDENTS = "incidents.jsonl";
    public static final String GROUND_TRUTH = "ground_truth.jsonl";
    public static final String LANES = "lanes.jsonl";
    public static final String CASHIERS = "cashiers.jsonl";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Writer primitives;
    private final Writer tlog;
    private final Writer incidents;
    private final Writer truth;
    private final Writer lanes;
    private final Writer cashiers;

    public SimulationWriter(Path dir) throws IOException {
        Files.createDirectories(dir);
        primitives = open(dir.resolve(PRIMITIVES));
        tlog = open(dir.resolve(TLOG));
        incidents = open(dir.resolve(INCIDENTS));
        truth = open(dir.resolve(GROUND_TRUTH));
        lanes = open(dir.resolve(LANES));
        cashiers = open(dir.resolve(CASHIERS));
    }

    private static Writer open(Path p) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8), 1 << 16);
    }

    public void write(Simulator.StoreOutput out) throws IOException {
        for (PrimitiveEvent e : out.primitives()) {
            EventJson.write(e, primitives);
        }
        for (TLogEvent e : out.tlog()) {
            EventJson.write(e, tlog);
        }
        for (ConfirmedIncident e : out.incidents()) {
            EventJson.write(e, incidents);
        }
        for (GroundTruthItem g : out.truth()) {
            line(truth, m -> {
                m.put("store_id", g.storeId());
                m.put("lane_id", g.laneId());
                m.put("txn_id", g.txnId());
                m.put("cashier_id", g.cashierId());
                m.put("kind", g.kind());
                m.put("p_ts", g.pTs());
                m.put("s_ts", g.sTs());
                m.put("d_ts", g.dTs());
                m.put("price_cents", g.priceCents());
                m.put("barcode", g.barcode());
            });
        }
        for (Simulator.LaneClock c : out.clocks()) {
            line(lanes, m -> {
                m.put("store_id", c.storeId());
                m.put("lane_id", c.laneId());
                m.put("clock_offset_ms", c.offsetMs());
                m.put("clock_drift_ppm", c.driftPpm());
            });
        }
        for (Simulator.Cashier c : out.cashiers()) {
            line(cashiers, m -> {
                m.put("cashier_id", c.cashierId());
                m.put("pace", c.pace());
                m.put("parallel_rate", c.parallelRate());
                m.put("fraud_prone", c.fraudProne());
            });
        }
    }

    private static void line(Writer w, Consumer<Map<String, Object>> fill) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        fill.accept(m);
        w.write(MAPPER.writeValueAsString(m));
        w.write('\n');
    }

    @Override
    public void close() throws IOException {
        for (Writer w : new Writer[] {primitives, tlog, incidents, truth, lanes, cashiers}) {
            w.close();
        }
    }
}
