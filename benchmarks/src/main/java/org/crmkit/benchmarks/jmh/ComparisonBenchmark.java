package org.crmkit.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every comparison of this package shares (JMH reads them from the superclass, as its
 * inheritance sample does): average time per operation in nanoseconds, one fork, three warm-up and five measured
 * iterations of two seconds. A subclass declares two {@code @Benchmark} methods, {@code crmkit} and
 * {@code baseline}, which {@link JmhComparisons} pairs into one {@code BENCH} line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class ComparisonBenchmark {}
