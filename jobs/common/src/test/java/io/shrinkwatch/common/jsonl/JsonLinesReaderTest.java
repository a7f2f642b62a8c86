package io.shrinkwatch.common.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.PrimitiveKind;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of the JSON Lines interchange format: the contract examples, bad lines, strict mode and round trips. */
class JsonLinesReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, List.of(lines));
        return p;
    }

    @Test
    void readsTheContractExamplesExactly() throws Exception {
        Path prims = file("p.jsonl", "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261601394,\"kind\":\"P\"}");
        Path tlog = file("t.jsonl", "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261601779,\"type\":\"ITEM\","
                + "\"txn_id\":\"S001-L03-00001\",\"cashier_id\":\"S001-C009\",\"barcode\":\"7678446616181\","
                + "\"price_cents\":459,\"qty\":1}",
                "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261609000,\"type\":\"TXN_END\","
                        + "\"txn_id\":\"S001-L03-00001\",\"total_cents\":459}");
        Path inc = file("i.jsonl", "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"txn_id\":\"S001-L03-00001\","
                + "\"ts\":1767261602000,\"kind\":\"FAKE_SCAN\"}");
        JsonLinesReader r = new JsonLinesReader(true);
        PrimitiveEvent p = r.readAll(prims, EventJson.PRIMITIVE).get(0);
        assertThat(p.getKind()).isEqualTo(PrimitiveKind.P);
        assertThat(p.getTs()).isEqualTo(1767261601394L);
        List<TLogEvent> t = r.readAll(tlog, EventJson.TLOG);
        assertThat(t.get(0).getBarcode()).isEqualTo("7678446616181");
        assertThat(t.get(0).getPriceCents()).isEqualTo(459L);
        assertThat(t.get(1).getTotalCents()).isEqualTo(459L);
        ConfirmedIncident i = r.readAll(inc, EventJson.INCIDENT).get(0);
        assertThat(i.getTxnId()).isEqualTo("S001-L03-00001");
    }

    @Test
    void skipsAndCountsBadLinesNamingFileLineAndField() throws Exception {
        Path p = file("p.jsonl",
                "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261601394,\"kind\":\"P\"}",
                "not json",
                "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261601394,\"kind\":\"X\"}",
                "",
                "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"kind\":\"S\"}",
                "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261601,\"kind\":\"S\"}",
                "{\"store_id\":7,\"lane_id\":\"L03\",\"ts\":1767261601394,\"kind\":\"S\"}",
                "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261601999,\"kind\":\"D\"}");
        JsonLinesReader r = new JsonLinesReader(false);
        assertThat(r.readAll(p, EventJson.PRIMITIVE)).hasSize(2);
        assertThat(r.badLineCount()).isEqualTo(5);
        assertThat(r.badLines()).extracting(BadLine::line, BadLine::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, "-"), org.assertj.core.groups.Tuple.tuple(3L, "kind"),
                org.assertj.core.groups.Tuple.tuple(5L, "ts"), org.assertj.core.groups.Tuple.tuple(6L, "ts"),
                org.assertj.core.groups.Tuple.tuple(7L, "store_id"));
        assertThat(r.badLines().get(1).toString()).isEqualTo(p + ":3: field 'kind': unknown primitive kind 'X' "
                + "(expected P, S or D)");
    }

    @Test
    void strictModeStopsAtTheFirstBadLine() throws Exception {
        Path p = file("t.jsonl", "{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261601779,\"type\":\"ITEM\","
                + "\"txn_id\":\"T\",\"barcode\":\"1\",\"price_cents\":-5}");
        assertThatThrownBy(() -> new JsonLinesReader(true).readAll(p, EventJson.TLOG))
                .isInstanceOf(BadInputException.class).hasMessage(p + ":1: field 'price_cents': must be >= 0, got -5");
    }

    @Test
    void keepsTLogTypesItDoesNotKnowAsUnknown() throws Exception {
        Path p = file("t.jsonl", "{\"store_id\":\"S\",\"lane_id\":\"L\",\"ts\":1767261601779,\"type\":\"COUPON\","
                + "\"txn_id\":\"T\"}");
        assertThat(new JsonLinesReader(true).readAll(p, EventJson.TLOG)).singleElement()
                .extracting(TLogEvent::getType).isEqualTo(TLogType.UNKNOWN);
    }

    @Test
    void writesWhatItReads() throws Exception {
        TLogEvent e = TLogEvent.newBuilder().setStoreId("S001").setLaneId("L03").setTs(1767261601779L)
                .setType(TLogType.ITEM).setTxnId("T1").setCashierId("C9").setBarcode("123").setPriceCents(459L).setQty(2)
                .build();
        StringWriter w = new StringWriter();
        EventJson.write(e, w);
        assertThat(w.toString()).isEqualTo("{\"store_id\":\"S001\",\"lane_id\":\"L03\",\"ts\":1767261601779,"
                + "\"type\":\"ITEM\",\"txn_id\":\"T1\",\"cashier_id\":\"C9\",\"barcode\":\"123\",\"price_cents\":459,"
                + "\"qty\":2}\n");
        Path p = file("t.jsonl", w.toString().strip());
        assertThat(new JsonLinesReader(true).readAll(p, EventJson.TLOG)).containsExactly(e);
    }

    @Test
    void namesAMissingFile() {
        assertThatThrownBy(() -> new JsonLinesReader(false).readAll(dir.resolve("nope.jsonl"), EventJson.TLOG))
                .hasMessageContaining("nope.jsonl: no such file");
    }
}
