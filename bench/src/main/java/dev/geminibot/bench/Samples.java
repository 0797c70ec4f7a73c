package dev.geminibot.bench;

import java.util.Arrays;

/**
 * A growable list of millisecond (or any long) samples with exact percentiles. Exact rather than a
 * histogram because the largest run holds a few million samples, which sort in well under a second.
 * Not thread-safe: one owner records, or callers synchronise.
 */
final class Samples {
    private long[] values = new long[1024];
    private int size;
    private boolean sorted;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
        sorted = false;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    /** A value that never came (a delta never shown): sorts after every real one. */
    static final long NEVER = Long.MAX_VALUE;

    /** Formats a percentile, showing {@link #NEVER} as "never". */
    static String show(long value) {
        return value == NEVER ? "never" : Long.toString(value);
    }

    int count() {
        return size;
    }

    /** The value at quantile {@code q} (0..1, nearest rank), or -1 with no samples. */
    long quantile(double q) {
        if (size == 0) {
            return -1;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(q * size) - 1;
        return values[Math.max(0, Math.min(size - 1, rank))];
    }

    long p50() {
        return quantile(0.50);
    }

    long p99() {
        return quantile(0.99);
    }

    long max() {
        return quantile(1.0);
    }
}
