package org.crmkit.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * Per-operation latencies of a whole-program suite, recorded into an HdrHistogram (three significant digits, so a
 * percentile is exact to 0.1%, auto-resizing) and read back as percentiles in nanoseconds.
 */
final class Latencies {
    private final Histogram histogram = new Histogram(3);

    /** Records one operation's time, in nanoseconds (at least 1). */
    void record(long nanos) {
        histogram.recordValue(Math.max(1, nanos));
    }

    /** How many operations were recorded. */
    long count() {
        return histogram.getTotalCount();
    }

    /**
     * The time that {@code percentile} percent of the recorded operations took at most (HdrHistogram's
     * nearest-rank value, at the top of its bucket), in nanoseconds; 100 is the maximum.
     */
    double percentile(double percentile) {
        return histogram.getValueAtPercentile(percentile);
    }

    /** Adds every operation {@code other} recorded to this one (e.g. one thread's into a run's). */
    void add(Latencies other) {
        histogram.add(other.histogram);
    }
}
