package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.shrinkwatch.schema.AlertKind;
import org.junit.jupiter.api.Test;

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
}
