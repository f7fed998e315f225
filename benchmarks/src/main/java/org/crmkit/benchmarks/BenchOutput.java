package org.crmkit.benchmarks;

/** Where a suite reports its comparisons. */
@FunctionalInterface
interface BenchOutput {
    void report(BenchLine line);
}
