package io.shrinkwatch.algorithm.teiresias;

/** What the minimum support K of a pattern counts. */
public enum SupportMode {
    /** Distinct input sequences (transactions) the pattern occurs in; the KDD'11 "repeats across transactions". */
    SEQUENCES,
    /** Occurrences, several per sequence allowed (the original Teiresias convention). */
    OCCURRENCES
}
