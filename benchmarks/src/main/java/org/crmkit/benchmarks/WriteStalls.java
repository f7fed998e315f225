package org.crmkit.benchmarks;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * All writes of the {@code schema} suite's writer threads, as start and end times, and what they went through while
 * a schema change ran ({@link #during}) or while none did ({@link #medianOutside}). Times are
 * {@link System#nanoTime()} values; the computation takes them as given, so it is tested on made-up intervals.
 */
final class WriteStalls {
    /** A time span, e.g. from a schema change's call to its return: {@code from} to {@code to}, nanoseconds. */
    record Window(long from, long to) {
        Window {
            if (to < from) {
                throw new IllegalArgumentException("a window cannot end (" + to + ") before it starts (" + from + ")");
            }
        }

        long nanos() {
            return to - from;
        }

        /** Whether a write from {@code start} to {@code end} was running at some moment of the window. */
        boolean overlaps(long start, long end) {
            return start < to && end > from;
        }
    }

    /**
     * What the writers went through during a window.
     *
     * @param maxLatencyNanos the longest write (first attempt's start to success) that was running at some moment of
     *                        the window: the longest any one writer was held up; 0 when no write overlapped it
     * @param maxGapNanos     the longest time between two successive write completions (of any writer) that
     *                        overlapped the window: the longest all writers together finished nothing, counted from
     *                        the last completion before the window (or the window's start when there was none) to the
     *                        first after it (or the window's end)
     * @param writes          how many writes overlapped the window
     */
    record Stall(long maxLatencyNanos, long maxGapNanos, int writes) {}

    /** Starts and ends of the writes, ordered by end. */
    private final long[] starts;
    private final long[] ends;

    private WriteStalls(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /** The writes of {@code logs} that started at or after {@code from} (earlier ones were warm-up). */
    static WriteStalls of(List<WriteLog> logs, long from) {
        int total = logs.stream().mapToInt(WriteLog::size).sum();
        long[][] writes = new long[total][];
        int n = 0;
        for (WriteLog log : logs) {
            for (int i = 0; i < log.size(); i++) {
                if (log.start(i) >= from) {
                    writes[n++] = new long[] {log.start(i), log.end(i)};
                }
            }
        }
        long[][] kept = Arrays.copyOf(writes, n);
        Arrays.sort(kept, Comparator.comparingLong((long[] w) -> w[1]));
        return new WriteStalls(Arrays.stream(kept).mapToLong(w -> w[0]).toArray(),
                Arrays.stream(kept).mapToLong(w -> w[1]).toArray());
    }

    /** How many writes there are. */
    int size() {
        return ends.length;
    }

    /** What the writers went through during {@code window}. */
    Stall during(Window window) {
        long maxLatency = 0;
        int writes = 0;
        for (int i = 0; i < ends.length; i++) {
            if (window.overlaps(starts[i], ends[i])) {
                maxLatency = Math.max(maxLatency, ends[i] - starts[i]);
                writes++;
            }
        }
        // ends is sorted: walk from the last completion at or before the window's start to the first after its end
        int first = Arrays.binarySearch(ends, window.from());
        int i = first >= 0 ? lastIndexOf(window.from()) : -first - 2;
        long previous = i >= 0 ? ends[i] : window.from();
        long maxGap = 0;
        for (int j = i + 1; j < ends.length; j++) {
            maxGap = Math.max(maxGap, ends[j] - previous);
            previous = ends[j];
            if (ends[j] >= window.to()) {
                break;
            }
        }
        if (previous < window.to()) {
            maxGap = Math.max(maxGap, window.to() - previous);
        }
        return new Stall(maxLatency, maxGap, writes);
    }

    /**
     * The longest write that ran wholly within {@code window} (e.g. started after a change returned and ended before
     * the next began), in nanoseconds; 0 when none did.
     */
    long longestWithin(Window window) {
        long longest = 0;
        for (int i = 0; i < ends.length; i++) {
            if (starts[i] >= window.from() && ends[i] <= window.to()) {
                longest = Math.max(longest, ends[i] - starts[i]);
            }
        }
        return longest;
    }

    private int lastIndexOf(long end) {
        int i = Arrays.binarySearch(ends, end);
        while (i + 1 < ends.length && ends[i + 1] == end) {
            i++;
        }
        return i;
    }

    /** The writes that overlap none of {@code windows}, as a latency histogram. */
    Latencies outside(List<Window> windows) {
        Latencies latencies = new Latencies();
        IntStream.range(0, ends.length)
                .filter(i -> windows.stream().noneMatch(w -> w.overlaps(starts[i], ends[i])))
                .forEach(i -> latencies.record(ends[i] - starts[i]));
        return latencies;
    }

    /** The median time of the writes that overlap none of {@code windows}, in nanoseconds. */
    double medianOutside(List<Window> windows) {
        return outside(windows).percentile(50);
    }
}
