package io.shrinkwatch.cli;

import io.shrinkwatch.algorithm.teiresias.DiscoveredPattern;
import io.shrinkwatch.algorithm.teiresias.SupportMode;
import io.shrinkwatch.algorithm.teiresias.Teiresias;
import io.shrinkwatch.algorithm.teiresias.TeiresiasParams;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code teiresias}: runs pattern discovery alone on plain sequences, output comparable with other tools. */
@Command(name = "teiresias", mixinStandardHelpOptions = true,
        description = "Maximal <L,W> patterns with support >= K. Input: one sequence per line, '#' starts a comment. "
                + "Output, tab-separated: pattern, n_seqs, n_occ, offsets (seq:pos, 0-based, sorted).")
final class TeiresiasCommand implements Callable<Integer> {

    @Option(names = "-L", required = true, description = "Minimum literals in any window.")
    int l;

    @Option(names = "-W", required = true, description = "Window span, W >= L.")
    int w;

    @Option(names = "-K", required = true, description = "Minimum support, >= 2.")
    int k;

    @Option(names = "--support", defaultValue = "seq", description = "seq (distinct sequences, default) or occ.")
    String support;

    @Parameters(index = "0", paramLabel = "SEQUENCES.txt", description = "Input file.")
    Path input;

    @Override
    public Integer call() throws Exception {
        TeiresiasParams params = new TeiresiasParams(l, w, k, supportMode(support));
        List<String> seqs = readSequences(input);
        print(new Teiresias().discover(seqs, params), System.out);
        return 0;
    }

    /** Parses the {@code --support} option shared with {@code mine}. */
    static SupportMode supportMode(String text) {
        return switch (text) {
            case "seq" -> SupportMode.SEQUENCES;
            case "occ" -> SupportMode.OCCURRENCES;
            default -> throw new IllegalArgumentException("--support must be seq or occ, got '" + text + "'");
        };
    }

    static List<String> readSequences(Path file) throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        List<String> seqs = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '.' || Character.isWhitespace(c)) {
                        throw new IllegalArgumentException(file + ":" + no + ": column " + (i + 1) + ": symbol '" + c
                                + "' is not allowed in a sequence");
                    }
                }
                seqs.add(s);
            }
        }
        return seqs;
    }

    static void print(List<DiscoveredPattern> found, PrintStream out) {
        StringBuilder sb = new StringBuilder();
        for (DiscoveredPattern p : found) {
            sb.append(p.pattern()).append('\t').append(p.sequenceCount()).append('\t').append(p.occurrenceCount())
                    .append('\t').append(p.offsetsText()).append('\n');
        }
        out.print(sb);
    }
}
