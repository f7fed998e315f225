package org.crmkit.benchmarks;

import java.util.Locale;
import org.crmkit.benchmarks.jmh.JmhComparisons;

/**
 * One comparison, printed as
 * {@code BENCH <name> crmkit=<value><unit> baseline=<value><unit> ratio=<crmkit/baseline>}. Both values are
 * times per operation (or for a whole batch job) in the same unit, so a lower ratio is better.
 *
 * @param name          dotted name, {@code <suite>.<operation>}
 * @param crmkitNanos   CRMKit's time per operation (or for the whole job) in nanoseconds
 * @param baselineNanos the baseline's time for the same, in nanoseconds
 */
record BenchLine(String name, double crmkitNanos, double baselineNanos) {

    /** The line of a JMH benchmark class's two scores. */
    static BenchLine of(JmhComparisons.Comparison c) {
        return new BenchLine(c.name(), c.crmkitNanos(), c.baselineNanos());
    }

    /**
     * The unit both values are printed in: s when CRMKit takes a second or more (a whole bulk import), ms when it
     * takes a millisecond or more, us otherwise.
     */
    String unit() {
        return crmkitNanos >= 1_000_000_000 ? "s" : crmkitNanos >= 1_000_000 ? "ms" : "us";
    }

    double ratio() {
        return baselineNanos <= 0 ? Double.POSITIVE_INFINITY : crmkitNanos / baselineNanos;
    }

    String format() {
        String unit = unit();
        double scale = switch (unit) {
            case "s" -> 1_000_000_000.0;
            case "ms" -> 1_000_000.0;
            default -> 1_000.0;
        };
        return "BENCH " + name + " crmkit=" + value(crmkitNanos / scale) + unit + " baseline="
                + value(baselineNanos / scale) + unit + " ratio=" + String.format(Locale.ROOT, "%.2f", ratio());
    }

    /** Three decimals, or more for values so small that three decimals would print them as zero. */
    private static String value(double v) {
        if (v == 0 || Math.abs(v) >= 0.01) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        int decimals = Math.min(9, 2 - (int) Math.floor(Math.log10(Math.abs(v))));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
