package org.crmkit.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a series sampled through a soak run stays flat: its last third against its first third. A slow leak shows
 * as a rise between the thirds; the middle third is left out so that a series still settling at the start or a
 * sample caught mid-change at the end does not decide alone.
 */
final class SoakCheck {
    private SoakCheck() {}

    /**
     * The median of the first third of {@code samples} and of the last third (each third at least one sample; the
     * thirds are {@code size / 3} samples long, rounded up).
     *
     * @throws IllegalArgumentException with fewer than three samples
     */
    static long[] thirds(List<Long> samples) {
        if (samples.size() < 3) {
            throw new IllegalArgumentException("a flatness check needs at least 3 samples, got " + samples.size());
        }
        int third = (samples.size() + 2) / 3;
        return new long[] {median(samples.subList(0, third)),
                median(samples.subList(samples.size() - third, samples.size()))};
    }

    /**
     * The verdict on a series: empty when the median of its last third exceeds the median of its first third
     * by at most {@code fraction} of the first (0.10 for 10%) or {@code slack} (in the series' unit), whichever is
     * larger; else a message naming {@code what}, both medians and the tolerance.
     */
    static Optional<String> grows(String what, List<Long> samples, double fraction, long slack, String unit) {
        long[] t = thirds(samples);
        long allowed = Math.max(slack, (long) Math.ceil(t[0] * fraction));
        if (t[1] - t[0] <= allowed) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "%s grew from %d%s (median of the first third of %d samples) to %d%s (median of the last third), "
                        + "by %d%s, more than the tolerance of %d%s (%.0f%% or %d%s, whichever is larger)",
                what, t[0], unit, samples.size(), t[1], unit, t[1] - t[0], unit, allowed, unit, fraction * 100, slack,
                unit));
    }

    private static long median(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
