package org.crmkit.benchmarks;

/** Where a suite reports its comparisons. */
interface BenchOutput {
    void report(BenchLine line);

    /**
     * Says that a part of a suite did not run and why (e.g. a database that does not answer), printed as
     * {@code SKIP <name> <reason>}; the suite goes on with its other parts.
     */
    void skip(String name, String reason);

    /**
     * Reports a measured figure that is not a time against a baseline (e.g. heap bytes per record), printed as
     * {@code FIGURE <name> <key>=<value>}.
     */
    void figure(String name, String key, long value);
}
