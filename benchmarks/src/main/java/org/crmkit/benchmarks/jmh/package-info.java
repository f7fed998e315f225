/**
 * JMH microbenchmarks, each a CRMKit operation ({@code crmkit()}) and its raw baseline ({@code baseline()}) in one
 * class, and {@link org.crmkit.benchmarks.jmh.JmhComparisons}, which runs them and turns the two scores of each
 * class into one comparison for a {@code BENCH} line.
 */
@NullMarked
package org.crmkit.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
