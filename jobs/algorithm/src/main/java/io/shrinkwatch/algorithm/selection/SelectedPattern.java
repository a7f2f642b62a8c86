package io.shrinkwatch.algorithm.selection;

import java.util.List;

/**
 * A cluster representative kept for matching.
 *
 * @param pattern the representative, matching {@code P[PSD]*B[PSD]*D}
 * @param occurrences its occurrences in the training transactions
 * @param transactions training transactions it occurs in
 * @param members every pattern of its cluster, the representative first
 */
public record SelectedPattern(String pattern, long occurrences, int transactions, List<String> members) {

    /** The fake-scan form: the pattern with its barcode deleted (KDD'11 section 4). */
    public String negative() {
        return pattern.replace("B", "");
    }
}
