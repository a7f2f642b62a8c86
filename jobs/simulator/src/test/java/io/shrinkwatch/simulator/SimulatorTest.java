package io.shrinkwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.shrinkwatch.schema.PrimitiveEvent;
import io.shrinkwatch.schema.TLogEvent;
import io.shrinkwatch.schema.TLogType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tests of the checkout-lane simulator: determinism, traffic shape and ground truth. */
class SimulatorTest {

    private static final PriceCatalog CATALOG = PriceCatalog.bundled();

    private static Simulator.StoreOutput run(SimulatorConfig cfg) {
        return new Simulator(cfg, CATALOG).simulateStore(0);
    }

    @Test
    void theSameSeedGivesTheSameOutput() {
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(1, 2, 1, 11);
        assertThat(run(cfg).primitives()).isEqualTo(run(cfg).primitives());
        assertThat(run(cfg).tlog()).isEqualTo(run(cfg).tlog());
        assertThat(run(cfg.withSize(1, 2, 1, 12)).primitives()).isNotEqualTo(run(cfg).primitives());
    }

    @Test
    void aStoresOutputDoesNotDependOnHowManyStoresAreSimulated() {
        Simulator one = new Simulator(SimulatorConfig.defaults().withSize(1, 2, 1, 3), CATALOG);
        Simulator three = new Simulator(SimulatorConfig.defaults().withSize(3, 2, 1, 3), CATALOG);
        List<PrimitiveEvent> alone = one.simulateStore(0).primitives();
        assertThat(three.simulateStore(0).primitives()).isEqualTo(alone);
        assertThat(three.simulateStore(1).primitives()).isNotEqualTo(alone);
    }

    @Test
    void producesTheTrafficOfThePapersStore() {
        Simulator.StoreOutput o = run(SimulatorConfig.defaults().withSize(1, 6, 16, 1));
        // KDD'11: 6 lanes, ~16 h, 1,660 transactions, 32,969 items (19.9 per transaction).
        assertThat(o.transactions()).isBetween(1_300L, 2_600L);
        assertThat((double) o.items() / o.transactions()).isBetween(16.0, 24.0);
        assertThat(o.cashiers()).hasSize(18);
        assertThat(o.cashiers().stream().filter(Simulator.Cashier::fraudProne).count()).isEqualTo(3);
        Set<String> prone = o.cashiers().stream().filter(Simulator.Cashier::fraudProne)
                .map(Simulator.Cashier::cashierId).collect(Collectors.toSet());
        long byProne = o.truth().stream().filter(g -> prone.contains(g.cashierId())).count();
        assertThat(byProne).as("unregistered items concentrate in a few cashiers").isGreaterThan(o.truth().size() / 2);
    }

    @Test
    void unregisteredItemsHaveNoBarcodeAndTheRightMotions() {
        Simulator.StoreOutput o = run(SimulatorConfig.defaults().withSize(1, 6, 8, 2).noiseless());
        Set<String> barcodesLogged = o.tlog().stream().filter(t -> t.getType() == TLogType.ITEM)
                .map(t -> t.getTxnId() + "/" + t.getBarcode()).collect(Collectors.toSet());
        assertThat(o.truth()).isNotEmpty().allSatisfy(g -> {
            assertThat(g.pTs()).isLessThan(g.dTs());
            if (g.kind().equals(GroundTruthItem.SCAN_NO_BARCODE)) {
                assertThat(g.sTs()).isBetween(g.pTs(), g.dTs());
            } else {
                assertThat(g.sTs()).isNull();
            }
        });
        long clashes = o.truth().stream().filter(g -> barcodesLogged.contains(g.txnId() + "/" + g.barcode())).count();
        assertThat(clashes).as("an unregistered item's barcode only appears if the basket holds the same product")
                .isLessThan(Math.max(2, o.truth().size() / 10));
        assertThat(o.incidents()).hasSize(o.truth().size());
    }

    @Test
    void noiselessLanesHaveOnePickupScanAndDropPerScannedItem() {
        Simulator.StoreOutput o = run(SimulatorConfig.defaults().withSize(1, 1, 2, 5).noiseless());
        long p = o.primitives().stream().filter(e -> e.getKind().name().equals("P")).count();
        long d = o.primitives().stream().filter(e -> e.getKind().name().equals("D")).count();
        assertThat(p).isEqualTo(d).isEqualTo(o.items() + o.truth().size());
        List<TLogEvent> items = o.tlog().stream().filter(t -> t.getType() == TLogType.ITEM).toList();
        assertThat(items).hasSize((int) o.items());
    }

    @Test
    void theBundledPriceTableIsTheCompleteJourneyDerivation() throws Exception {
        Path dir = Path.of("../../../shared/data/completejourney");
        assumeThat(Files.isDirectory(dir)).as("shared/ beside the repository").isTrue();
        PriceCatalog fromSource = PriceCatalog.fromCompleteJourney(dir);
        assertThat(fromSource.size()).isEqualTo(CATALOG.size());
        assertThat(fromSource.maxHourShare()).isEqualTo(CATALOG.maxHourShare());
    }

    @Test
    void barcodesAreValidEan13() {
        String b = PriceCatalog.barcode("940996");
        assertThat(b).hasSize(13).startsWith("2");
        int sum = 0;
        for (int i = 0; i < 13; i++) {
            sum += (b.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        assertThat(sum % 10).isZero();
    }
}
