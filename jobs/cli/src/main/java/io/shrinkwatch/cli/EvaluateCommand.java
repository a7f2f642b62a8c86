package io.shrinkwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shrinkwatch.simulator.GroundTruthItem;
import io.shrinkwatch.simulator.GroundTruthMatcher;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: scores alerts against a simulation's ground truth. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score alerts from 'detect' against ground_truth.jsonl from 'simulate'.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--alerts", required = true, description = "Alerts written by 'detect'.")
    Path alerts;

    @Option(names = "--truth", required = true, description = "ground_truth.jsonl written by 'simulate'.")
    Path truth;

    @Option(names = "--tolerance-ms", defaultValue = "1500", description = "Match window (default ${DEFAULT-VALUE}).")
    long toleranceMs;

    @Override
    public Integer call() throws Exception {
        GroundTruthMatcher.Score s = GroundTruthMatcher.score(GroundTruthMatcher.read(truth), readAlerts(alerts),
                toleranceMs);
        print(s);
        return 0;
    }

    static List<GroundTruthMatcher.Detection> readAlerts(Path file) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<GroundTruthMatcher.Detection> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            long no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = mapper.readTree(line);
                for (String f : new String[] {"store_id", "lane_id", "scan_ts"}) {
                    if (n.get(f) == null) {
                        throw new IllegalArgumentException(file + ":" + no + ": field '" + f + "': missing");
                    }
                }
                out.add(new GroundTruthMatcher.Detection(n.get("store_id").asText(), n.get("lane_id").asText(),
                        n.get("scan_ts").asLong()));
            }
        }
        return out;
    }

    static void print(GroundTruthMatcher.Score s) {
        System.out.printf("alerts: %d correct, %d false; precision %.3f%n", s.truePositives(), s.falsePositives(),
                s.precision());
        System.out.printf("unregistered items found: %d of %d, recall %.3f%n",
                s.foundByKind().values().stream().mapToInt(Integer::intValue).sum(),
                s.truthByKind().values().stream().mapToInt(Integer::intValue).sum(), s.recall());
        for (String kind : s.truthByKind().keySet().stream().sorted().toList()) {
            System.out.printf("  %-16s %3d of %3d, recall %.3f%n", kind, s.found(kind),
                    s.truthByKind().get(kind), s.recall(kind));
        }
        System.out.printf("value of unregistered items: found $%.2f, missed $%.2f%n", s.foundValueCents() / 100.0,
                s.missedValueCents() / 100.0);
    }
}
