package io.shrinkwatch.algorithm.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of section 4.2's segmentation into true and fake scans and of each withdrawal rule beyond the paper. */
class SegmenterTest {

    private static Classification labels(String l) {
        Label[] out = new Label[l.length()];
        double[] t = new double[l.length()];
        double[] f = new double[l.length()];
        for (int i = 0; i < l.length(); i++) {
            out[i] = switch (l.charAt(i)) {
                case 'T' -> Label.TRUE_SCAN;
                case 'F' -> Label.FAKE_SCAN;
                default -> Label.UNCLASSIFIED;
            };
            t[i] = out[i] == Label.TRUE_SCAN ? 1 : 0;
            f[i] = out[i] == Label.FAKE_SCAN ? 1 : 0;
        }
        return new Classification(t, f, out);
    }

    private static long[] times(long... t) {
        return t;
    }

    @Test
    void anchorsTrueScansOnBarcodesWithNearestPrimitives() {
        List<ScanEvent> scans = Segmenter.paperRules().segment("PSBDPSBD", times(0, 500, 600, 1200, 2000, 2500, 2600, 3200),
                labels("TTTTTTTT"));
        assertThat(scans).hasSize(2);
        assertThat(scans.get(0)).extracting(ScanEvent::pIndex, ScanEvent::sIndex, ScanEvent::dIndex)
                .containsExactly(0, 1, 3);
        assertThat(scans.get(1)).extracting(ScanEvent::pIndex, ScanEvent::sIndex, ScanEvent::dIndex)
                .containsExactly(4, 5, 7);
    }

    @Test
    void createsMissingPrimitivesOfATrueScanAtTheBarcodesTime() {
        List<ScanEvent> scans = Segmenter.paperRules().segment("PBD", times(0, 700, 1400), labels("TTT"));
        assertThat(scans).singleElement().satisfies(s -> {
            assertThat(s.sIndex()).isEqualTo(-1);
            assertThat(s.sTs()).isEqualTo(700);
            assertThat(s.fake()).isFalse();
        });
    }

    @Test
    void needsARealPickupScanAndDropForAFakeScan() {
        assertThat(Segmenter.paperRules().segment("PSD", times(0, 600, 1200), labels("FFF"))).singleElement()
                .satisfies(s -> {
                    assertThat(s.fake()).isTrue();
                    assertThat(s.pTs()).isZero();
                    assertThat(s.sTs()).isEqualTo(600);
                    assertThat(s.dTs()).isEqualTo(1200);
                });
        assertThat(Segmenter.paperRules().segment("SD", times(600, 1200), labels("FF"))).isEmpty();
        assertThat(Segmenter.paperRules().segment("PS", times(0, 600), labels("FF"))).isEmpty();
    }

    @Test
    void keepsSuccessiveFakeScansAtLeastTheGapApart() {
        String sym = "PSDPSDPSD";
        long[] t = times(0, 600, 1200, 1500, 2000, 2600, 4000, 4600, 5200);
        List<ScanEvent> scans = Segmenter.paperRules().segment(sym, t, labels("FFFFFFFFF"));
        assertThat(scans).extracting(ScanEvent::sTs).containsExactly(600L, 4600L);
        assertThat(new Segmenter(new SegmentationRules(1_000, 0, 0, 0, 0)).segment(sym, t, labels("FFFFFFFFF")))
                .extracting(ScanEvent::sTs).containsExactly(600L, 2000L, 4600L);
    }

    @Test
    void anOrphanedLateBarcodeWithdrawsAFakeScanUnlessRunAsThePaper() {
        String sym = "PSDB";
        long[] t = times(0, 600, 1200, 1800);
        Classification c = labels("FFFU");
        assertThat(Segmenter.paperRules().segment(sym, t, c)).hasSize(1);
        assertThat(new Segmenter(SegmentationRules.defaults()).segment(sym, t, c)).isEmpty();
        assertThat(new Segmenter(SegmentationRules.defaults()).segment("PSDB", times(0, 600, 1200, 4000), c))
                .as("barcode outside the 3 s window").hasSize(1);
    }

    @Test
    void aBarcodeClaimedByAScanWithItsOwnMotionExplainsNothing() {
        // The fake candidate P S D at 0..1200 is followed by a complete true scan P S B D whose B is within 3 s.
        String sym = "PSDPSBD";
        long[] t = times(0, 600, 1200, 1500, 2100, 2200, 2800);
        List<ScanEvent> scans = new Segmenter(SegmentationRules.defaults()).segment(sym, t, labels("FFFTTTT"));
        assertThat(scans).filteredOn(ScanEvent::fake).hasSize(1);
    }

    @Test
    void aTrueScanDoesNotTakeThePickupOrScanOfTheItemAfterItsDrop() {
        // A late barcode's item B D, then the next item P S B D: the first B must not take the second item's P and S.
        String sym = "BDPSBD";
        long[] t = times(0, 300, 900, 1500, 1600, 2200);
        List<ScanEvent> scans = Segmenter.paperRules().segment(sym, t, labels("TTTTTT"));
        assertThat(scans).hasSize(2);
        assertThat(scans.get(0)).extracting(ScanEvent::pIndex, ScanEvent::sIndex, ScanEvent::dIndex)
                .containsExactly(-1, -1, 1);
        assertThat(scans.get(1)).extracting(ScanEvent::pIndex, ScanEvent::sIndex, ScanEvent::dIndex)
                .containsExactly(2, 3, 5);
    }

    @Test
    void aLateBarcodeWhoseScanTookTheNextItemsMotionsStillWithdrawsTheFakeScan() {
        // P S D (no barcode yet), its late barcode at +1 s, then a complete next item P S B D: the late barcode's
        // true scan has only its D, so it is orphaned and explains the candidate.
        String sym = "PSDBDPSBD";
        long[] t = times(0, 600, 1200, 1600, 1900, 3000, 3600, 3700, 4300);
        assertThat(new Segmenter(SegmentationRules.defaults()).segment(sym, t, labels("FFFTTTTTT")))
                .filteredOn(ScanEvent::fake).isEmpty();
    }

    @Test
    void aBarcodeBetweenItsOwnPickupAndDropWithAnUndetectedScanExplainsNothing() {
        // The fake candidate P S D, then an item P B D whose scan motion the camera missed, 1.5 s later.
        String sym = "PSDPBD";
        long[] t = times(0, 600, 1200, 1500, 2100, 2700);
        List<ScanEvent> scans = new Segmenter(SegmentationRules.defaults()).segment(sym, t, labels("FFFTTT"));
        assertThat(scans).filteredOn(ScanEvent::fake).extracting(ScanEvent::sTs).containsExactly(600L);
        assertThat(new Segmenter(SegmentationRules.defaults()).segment("PSDBD", times(0, 600, 1200, 2100, 2700),
                labels("FFFTT"))).as("a barcode with only a drop is still orphaned").filteredOn(ScanEvent::fake)
                .isEmpty();
    }

    @Test
    void rejectsPhysicallyImplausiblyFastFakeScans() {
        SegmentationRules rules = SegmentationRules.defaults().withPlausibility(300, 300);
        assertThat(new Segmenter(rules).segment("PSD", times(0, 40, 900), labels("FFF"))).isEmpty();
        assertThat(new Segmenter(rules).segment("PSD", times(0, 400, 900), labels("FFF"))).hasSize(1);
    }

    @Test
    void aDetectorDoubleFireNextToTheScanMotionDoesNotVetoTheRealPickupAndDrop() {
        SegmentationRules rules = SegmentationRules.defaults().withPlausibility(300, 300);
        // P at 0 and its double fire at 590, 10 ms before the S; D at 610 (a double fire) and the real one at 1200.
        assertThat(new Segmenter(rules).segment("PPSDD", times(0, 590, 600, 610, 1200), labels("FFFFF")))
                .singleElement().satisfies(s -> {
                    assertThat(s.fake()).isTrue();
                    assertThat(s.pTs()).isZero();
                    assertThat(s.sTs()).isEqualTo(600);
                    assertThat(s.dTs()).isEqualTo(1200);
                });
        // With no plausible pickup on its side of the scan motion there is still no fake scan.
        assertThat(new Segmenter(rules).segment("PSDD", times(590, 600, 610, 1200), labels("FFFF"))).isEmpty();
    }

    @Test
    void scanAlignmentWithdrawsAFakeScanWhoseLateBarcodeTheNextItemClaimed() {
        // The candidate's barcode came 2.6 s late; the next item's true scan took it, and that item's own barcode
        // came 1.7 s after its scan motion, too far from the candidate for the orphan rule.
        String sym = "PSDPBSDB";
        long[] t = times(0, 1_000, 1_800, 3_500, 3_600, 4_400, 5_200, 6_100);
        Classification c = labels("FFFTTTTU");
        assertThat(new Segmenter(SegmentationRules.defaults()).segment(sym, t, c)).filteredOn(ScanEvent::fake)
                .hasSize(1);
        assertThat(new Segmenter(SegmentationRules.defaults().withAlignScans(true)).segment(sym, t, c))
                .filteredOn(ScanEvent::fake).isEmpty();
    }

    @Test
    void scanAlignmentKeepsAFakeScanWhenEveryBarcodeHasItsOwnScanMotion() {
        String sym = "PSDPSBDPSBD";
        long[] t = times(0, 600, 1_200, 1_700, 2_300, 2_400, 2_900, 3_400, 4_000, 4_100, 4_600);
        Classification c = labels("FFFTTTTTTTT");
        assertThat(new Segmenter(SegmentationRules.defaults().withAlignScans(true)).segment(sym, t, c))
                .filteredOn(ScanEvent::fake).singleElement().extracting(ScanEvent::sTs).isEqualTo(600L);
    }

    @Test
    void scanAlignmentPairsAnItemsRepeatedScanMotionsAsOne() {
        // The candidate (S at 1,000) and its barcode 1.2 s later; the next item needed four scan attempts.
        String sym = "PSPDBSSSSBD";
        long[] t = times(0, 1_000, 1_500, 1_900, 2_200, 2_600, 2_900, 3_600, 4_200, 4_500, 4_800);
        boolean[] paired = new Segmenter(SegmentationRules.defaults().withAlignScans(true)).pairedScans(sym, t);
        assertThat(paired[1]).as("the candidate's scan motion pairs with the barcode after it").isTrue();
        assertThat(paired[5] && paired[6] && paired[7] && paired[8]).as("the repeated attempts pair as one").isTrue();
    }

    private static final SegmentationRules UNSCANNED =
            SegmentationRules.defaults().withUnscannedItems(true, 700, 3_000);

    @Test
    void raisesAPickupAndDropWithNeitherScanMotionNorBarcodeAsAnUnscannedItem() {
        // A registered item, a pickup and drop with nothing between, a registered item, then an S-anchored fake scan.
        String sym = "PSBDPDPSBDPSD";
        long[] t = times(0, 500, 600, 1200, 2000, 3200, 4000, 4500, 4600, 5200, 8000, 8600, 9200);
        Classification c = labels("TTTTFFTTTTFFF");
        List<ScanEvent> fakes = new Segmenter(UNSCANNED).segment(sym, t, c).stream().filter(ScanEvent::fake).toList();
        assertThat(fakes).extracting(ScanEvent::sTs).as("in time order, the unscanned item at its midpoint")
                .containsExactly(2600L, 8600L);
        assertThat(fakes.get(0)).extracting(ScanEvent::pIndex, ScanEvent::sIndex, ScanEvent::dIndex, ScanEvent::pTs,
                ScanEvent::dTs).containsExactly(4, -1, 5, 2000L, 3200L);
        assertThat(Segmenter.paperRules().segment(sym, t, c).stream().filter(ScanEvent::fake))
                .extracting(ScanEvent::sTs).as("the paper anchors fake scans on an S only").containsExactly(8600L);
        assertThat(new Segmenter(SegmentationRules.defaults()).segment(sym, t, c).stream().filter(ScanEvent::fake))
                .extracting(ScanEvent::sTs).as("switched on but with no learned span: off").containsExactly(8600L);
    }

    @Test
    void anUnscannedItemNeedsItsSpanInTheLearnedRangeAndFakeLabels() {
        Segmenter s = new Segmenter(UNSCANNED);
        assertThat(s.segment("PD", times(0, 1_500), labels("FF"))).singleElement()
                .satisfies(e -> assertThat(e.sIndex()).isEqualTo(-1));
        assertThat(s.segment("PD", times(0, 500), labels("FF"))).as("quicker than an item").isEmpty();
        assertThat(s.segment("PD", times(0, 4_000), labels("FF"))).as("slower than an item").isEmpty();
        assertThat(s.segment("PD", times(0, 1_500), labels("FU"))).as("the drop not labelled fake").isEmpty();
        assertThat(s.segment("PPD", times(0, 300, 1_500), labels("FFF"))).as("a double-fired pickup: one item")
                .singleElement().satisfies(e -> assertThat(e.pIndex()).isZero());
    }

    @Test
    void anOrphanedBarcodeAfterTheDropExplainsAnUnscannedItem() {
        assertThat(new Segmenter(UNSCANNED).segment("PDB", times(0, 1_500, 2_500), labels("FFU"))).isEmpty();
        assertThat(new Segmenter(UNSCANNED).segment("PDB", times(0, 1_500, 5_000), labels("FFU")))
                .as("a barcode beyond the reconciliation window explains nothing").hasSize(1);
    }

    @Test
    void aTrueScanMissingItsPickupClaimsTheNearestUnusedOne() {
        // A stray drop between an item's pickup and its scan motion: the votes label the pickup and the stray drop
        // fake, and the item's true scan, anchored on its barcode, has to create its pickup.
        String sym = "PDSBD";
        long[] t = times(0, 800, 1_000, 1_100, 1_900);
        List<ScanEvent> scans = new Segmenter(UNSCANNED).segment(sym, t, labels("FFTTT"));
        assertThat(scans).singleElement().satisfies(e -> {
            assertThat(e.fake()).isFalse();
            assertThat(e.pIndex()).isEqualTo(-1);
        });
        assertThat(new Segmenter(UNSCANNED).segment("PDSBD", times(0, 800, 4_000, 4_100, 4_900), labels("FFTTT")))
                .as("a pickup farther than the item's longest span is not claimed").filteredOn(ScanEvent::fake)
                .hasSize(1);
    }
}
