package org.crmkit.benchmarks;

import java.util.Map;

/**
 * A named group of comparisons run by {@link BenchMain}. Each comparison is reported as one {@link BenchLine}:
 * CRMKit against a raw baseline measured in the same run on the same data.
 */
interface Suite {
    /** The name used on the command line, e.g. {@code memory}. */
    String name();

    /** One line for the usage message. */
    String description();

    /** The {@code --size} used when none is given. */
    default int defaultSize() {
        return BenchConfig.DEFAULT_SIZE;
    }

    /**
     * Options of this suite only, each taking a value ({@code --db h2}): name without {@code --} to a one-line
     * description for the usage message.
     */
    default Map<String, String> options() {
        return Map.of();
    }

    /** Checks the configuration before anything runs; throws {@link IllegalArgumentException} to refuse it. */
    default void check(BenchConfig config) {}

    /** Runs every comparison of the suite, handing each result to {@code out} as soon as it is measured. */
    void run(BenchConfig config, BenchOutput out) throws Exception;
}
