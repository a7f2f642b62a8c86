package io.shrinkwatch.algorithm.teiresias;

import java.util.List;

/** Finds all maximal {@code <L,W>} patterns with support at least K (see {@link TeiresiasParams} for definitions). */
public interface PatternDiscovery {

    /**
     * Discovers every maximal pattern.
     *
     * <p>Maximal: no more specific {@code <L,W>} pattern (a wildcard filled, or a literal added at either end) has
     * the same number of occurrences. Occurrence counts decide maximality in both support modes.
     *
     * @param sequences input sequences; must not contain {@code '.'}
     * @return the patterns sorted by pattern text
     */
    List<DiscoveredPattern> discover(List<? extends CharSequence> sequences, TeiresiasParams params);
}
