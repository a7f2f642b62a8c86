package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.AlertKind;
import org.junit.jupiter.api.Test;

/** Tests of the alert records' conversion to and from Avro, kinds included. */
class AlertsTest {

    private static FakeScanAlert alert() {
        FakeScanAlert a = new FakeScanAlert();
        a.storeId = "S001";
        a.laneId = "L03";
        a.txnId = "S001-L03-00001";
        a.scanTs = 1_500;
        a.startTs = 1_000;
        a.endTs = 2_000;
        a.confidence = 0.9;
        a.modelId = "m-1";
        a.evidenceStartTs = -4_000;
        a.evidenceEndTs = 7_000;
        return a;
    }

    @Test
    void anAlertIsAFakeScanUnlessToldOtherwise() {
        assertThat(Alerts.fromBytes(Alerts.toBytes(alert())).getKind()).isEqualTo(AlertKind.FAKE_SCAN);
    }

    @Test
    void keepsAnUnscannedItemsKindThroughTheAvroRecord() {
        FakeScanAlert a = alert();
        a.kind = FakeScanAlert.UNSCANNED_ITEM;
        io.shrinkwatch.schema.FakeScanAlert back = Alerts.fromBytes(Alerts.toBytes(a));
        assertThat(back.getKind()).isEqualTo(AlertKind.UNSCANNED_ITEM);
        assertThat(back.getScanTs()).isEqualTo(1_500);
        assertThat(a).isNotEqualTo(alert());
    }

    @Test
    void aProvisionalRecordCarriesItsAlertsKindAndOneRestoredWithoutAKindIsAFakeScan() {
        FakeScanAlert a = alert();
        a.kind = FakeScanAlert.UNSCANNED_ITEM;
        ProvisionalAlert p = ProvisionalAlert.of(ProvisionalAlert.PROVISIONAL, a, 2_500);
        assertThat(Alerts.provisionalFromBytes(Alerts.toBytes(p)).getKind()).isEqualTo(AlertKind.UNSCANNED_ITEM);
        assertThat(p.as(ProvisionalAlert.WITHDRAWN, 3_000).kind()).isEqualTo(FakeScanAlert.UNSCANNED_ITEM);
        ProvisionalAlert restored = ProvisionalAlert.of(ProvisionalAlert.PROVISIONAL, alert(), 2_500);
        restored.kind = null;
        assertThat(Alerts.provisionalFromBytes(Alerts.toBytes(restored)).getKind()).isEqualTo(AlertKind.FAKE_SCAN);
        assertThat(restored).isEqualTo(ProvisionalAlert.of(ProvisionalAlert.PROVISIONAL, alert(), 2_500));
    }
}
