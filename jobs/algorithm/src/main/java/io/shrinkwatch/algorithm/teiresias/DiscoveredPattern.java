package io.shrinkwatch.algorithm.teiresias;

import java.util.Arrays;

/**
 * One maximal pattern with its full occurrence list.
 *
 * @param pattern literals and {@code '.'} wildcards
 * @param sequenceCount distinct sequences it occurs in
 * @param occurrences every occurrence packed as {@code (sequence << 32) | offset}, sorted ascending
 */
public record DiscoveredPattern(String pattern, int sequenceCount, long[] occurrences) {

    public static long pack(int sequence, int offset) {
        return ((long) sequence << 32) | (offset & 0xffffffffL);
    }

    public static int sequenceOf(long packed) {
        return (int) (packed >>> 32);
    }

    public static int offsetOf(long packed) {
        return (int) packed;
    }

    public int occurrenceCount() {
        return occurrences.length;
    }

    /** Number of literals (non-wildcard positions). */
    public int literalCount() {
        int n = 0;
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) != '.') {
                n++;
            }
        }
        return n;
    }

    /** Offsets as {@code seq:pos} strings, sorted, as the {@code teiresias} CLI prints them. */
    public String offsetsText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < occurrences.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(sequenceOf(occurrences[i])).append(':').append(offsetOf(occurrences[i]));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiscoveredPattern other
                && pattern.equals(other.pattern)
                && sequenceCount == other.sequenceCount
                && Arrays.equals(occurrences, other.occurrences);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode() * 31 + Arrays.hashCode(occurrences);
    }

    @Override
    public String toString() {
        return pattern + " seqs=" + sequenceCount + " occ=" + occurrences.length + " [" + offsetsText() + "]";
    }
}
