package io.shrinkwatch.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores fake-scan detections against the simulator's ground truth.
 *
 * <p>A detection matches an unregistered item of the same store and lane when its scan time lies within
 * {@code toleranceMs} of the item's scan motion, or, for an item passed around the scanner, within its pickup-to-drop
 * span widened by the tolerance. Matching is one to one, greedy in time order; recall is reported per kind because
 * the KDD'11 detector anchors fake scans on an S and so cannot see an item that never crossed the scanner.
 */
public final class GroundTruthMatcher {

    /** A detection to score. */
    public record Detection(String storeId, String laneId, long scanTs) {
    }

    /**
     * @param truePositives detections matched to an unregistered item
     * @param falsePositives detections matched to nothing
     * @param truthByKind unregistered items per kind
     * @param foundByKind matched unregistered items per kind
     */
    public record Score(int truePositives, int falsePositives, Map<String, Integer> truthByKind,
            Map<String, Integer> foundByKind, long missedValueCents, long foundValueCents) {

        public double precision() {
            int d = truePositives + falsePositives;
            return d == 0 ? 0 : (double) truePositives / d;
        }

        /** Unregistered items of {@code kind}. */
        public int truth(String kind) {
            return truthByKind.getOrDefault(kind, 0);
        }

        /** Matched unregistered items of {@code kind}. */
        public int found(String kind) {
            return foundByKind.getOrDefault(kind, 0);
        }

        public double recall(String kind) {
            int t = truth(kind);
            return t == 0 ? 0 : (double) found(kind) / t;
        }

        public double recall() {
            int t = truthByKind.values().stream().mapToInt(Integer::intValue).sum();
            int f = foundByKind.values().stream().mapToInt(Integer::intValue).sum();
            return t == 0 ? 0 : (double) f / t;
        }
    }

    public static final long DEFAULT_TOLERANCE_MS = 1_500;

    private GroundTruthMatcher() {
    }

    public static List<GroundTruthItem> read(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<GroundTruthItem> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = mapper.readTree(line);
                out.add(new GroundTruthItem(n.get("store_id").asText(), n.get("lane_id").asText(),
                        n.get("txn_id").asText(), n.get("cashier_id").asText(), n.get("kind").asText(),
                        n.get("p_ts").asLong(), n.get("s_ts").isNull() ? null : n.get("s_ts").asLong(),
                        n.get("d_ts").asLong(), n.get("price_cents").asLong(), n.get("barcode").asText()));
            }
        }
        return out;
    }

    public static Score score(List<GroundTruthItem> truth, List<Detection> detections, long toleranceMs) {
        Map<String, List<GroundTruthItem>> byLane = new HashMap<>();
        Map<String, Integer> truthByKind = new HashMap<>();
        for (GroundTruthItem g : truth) {
            byLane.computeIfAbsent(g.storeId() + "/" + g.laneId(), k -> new ArrayList<>()).add(g);
            truthByKind.merge(g.kind(), 1, Integer::sum);
        }
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingLong(Detection::scanTs));
        Map<GroundTruthItem, Boolean> used = new java.util.IdentityHashMap<>();
        Map<String, Integer> found = new HashMap<>();
        int tp = 0;
        int fp = 0;
        long foundValue = 0;
        for (Detection d : sorted) {
            GroundTruthItem best = null;
            long bestDist = Long.MAX_VALUE;
            for (GroundTruthItem g : byLane.getOrDefault(d.storeId() + "/" + d.laneId(), List.of())) {
                if (used.containsKey(g)) {
                    continue;
                }
                long dist;
                if (g.sTs() != null) {
                    dist = Math.abs(d.scanTs() - g.sTs());
                } else {
                    dist = d.scanTs() < g.pTs() ? g.pTs() - d.scanTs() : Math.max(0, d.scanTs() - g.dTs());
                }
                if (dist <= toleranceMs && dist < bestDist) {
                    best = g;
                    bestDist = dist;
                }
            }
            if (best == null) {
                fp++;
            } else {
                used.put(best, true);
                tp++;
                found.merge(best.kind(), 1, Integer::sum);
                foundValue += best.priceCents();
            }
        }
        long total = truth.stream().mapToLong(GroundTruthItem::priceCents).sum();
        return new Score(tp, fp, truthByKind, found, total - foundValue, foundValue);
    }
}
