package org.crmkit.benchmarks;

/**
 * A named group of comparisons run by {@link BenchMain}. Each comparison is reported as one {@link BenchLine}:
 * CRMKit against a raw baseline measured in the same run on the same data.
 */
interface Suite {
    /** The name used on the command line, e.g. {@code memory}. */
    String name();

    /** One line for the usage message. */
    String description();

    /** Runs every comparison of the suite, handing each result to {@code out} as soon as it is measured. */
    void run(BenchConfig config, BenchOutput out) throws Exception;
}
