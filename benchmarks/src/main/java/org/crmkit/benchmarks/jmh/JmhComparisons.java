package org.crmkit.benchmarks.jmh;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH benchmarks of this package through JMH's {@link Runner} and pairs each class's {@code crmkit} and
 * {@code baseline} scores into a {@link Comparison} named as its {@code BENCH} line ({@link #LINES}). JMH's own
 * report goes to the progress stream (stderr), so that stdout carries only the {@code BENCH} lines.
 */
public final class JmhComparisons {
    /** Every benchmark class of this package, by the name of the {@code BENCH} line its two methods give. */
    static final Map<Class<?>, String> LINES = Map.of(
            RuleMatchBenchmark.class, "workflow.rule_match",
            ValueConversionBenchmark.class, "value.convert",
            GetByIdBenchmark.class, "memory.get");

    private JmhComparisons() {}

    /** The simple names of the benchmark classes with their BENCH line names, for a usage message. */
    public static List<String> benchmarkNames() {
        return LINES.entrySet().stream().map(e -> e.getKey().getSimpleName() + " (" + e.getValue() + ")").sorted()
                .toList();
    }

    /**
     * One class's two scores.
     *
     * @param name          the {@code BENCH} line's name, e.g. {@code workflow.rule_match}
     * @param crmkitNanos   the {@code crmkit} method's average time per operation, in nanoseconds
     * @param baselineNanos the {@code baseline} method's, in nanoseconds
     */
    public record Comparison(String name, double crmkitNanos, double baselineNanos) {}

    /**
     * Runs JMH with its own command line ({@code RuleMatch -wi 2 -i 3 -f 1}); without a benchmark pattern, every
     * benchmark of this package. {@code -h} prints JMH's options and {@code -l} the benchmarks, running nothing.
     *
     * @throws IllegalArgumentException for a command line JMH refuses
     */
    public static List<Comparison> runCommandLine(String[] jmhArgs, PrintStream progress) throws RunnerException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(jmhArgs);
        } catch (CommandLineOptionException e) {
            throw new IllegalArgumentException("jmh: " + e.getMessage(), e);
        }
        if (options.shouldHelp()) {
            try {
                options.showHelp();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return List.of();
        }
        ChainedOptionsBuilder builder = new OptionsBuilder().parent(options);
        if (options.getIncludes().isEmpty()) {
            builder.include(JmhComparisons.class.getPackageName() + "\\.");
        }
        if (options.shouldList()) {
            new Runner(builder.build(), OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL)).list();
            return List.of();
        }
        return run(builder.build(), progress);
    }

    /**
     * Runs one benchmark class with short settings for a suite that delegates to it: one fork, three warm-up
     * iterations of a second, {@code iterations} measured iterations of a second, and the given {@code @Param}
     * values.
     */
    public static Comparison runForSuite(Class<?> benchmark, int iterations, Map<String, String> params,
            PrintStream progress) throws RunnerException {
        ChainedOptionsBuilder builder = new OptionsBuilder().include("^" + benchmark.getName().replace(".", "\\.")
                + "\\.").forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1));
        params.forEach(builder::param);
        List<Comparison> results = run(builder.build(), progress);
        if (results.size() != 1) {
            throw new IllegalStateException("expected one comparison from " + benchmark.getName() + ", got " + results);
        }
        return results.get(0);
    }

    /**
     * Runs JMH and pairs the results: one comparison per benchmark class, or per class and {@code @Param}
     * combination ({@code name[k=v,...]}) when one run measured a class with several.
     */
    static List<Comparison> run(Options options, PrintStream progress) throws RunnerException {
        Collection<RunResult> results = new Runner(options,
                OutputFormatFactory.createFormatInstance(progress, options.verbosity().orElse(VerboseMode.NORMAL)))
                .run();
        Map<String, Set<String>> paramsByClass = new HashMap<>();
        for (RunResult r : results) {
            paramsByClass.computeIfAbsent(className(r), k -> new HashSet<>()).add(params(r));
        }
        Map<String, double[]> byLine = new LinkedHashMap<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            String line = lineName(className(r))
                    + (paramsByClass.getOrDefault(className(r), Set.of()).size() > 1 ? "[" + params(r) + "]" : "");
            Double nanos = nanosPerOp(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit());
            if (nanos == null) {
                progress.println("# jmh: no BENCH line for " + benchmark + ": its score is in "
                        + r.getPrimaryResult().getScoreUnit() + ", not a time per operation (use -bm avgt)");
                continue;
            }
            double[] pair = byLine.computeIfAbsent(line, k -> new double[] {Double.NaN, Double.NaN});
            switch (benchmark.substring(benchmark.lastIndexOf('.') + 1)) {
                case "crmkit" -> pair[0] = nanos;
                case "baseline" -> pair[1] = nanos;
                default -> progress.println("# jmh: " + benchmark + " is neither crmkit nor baseline; left out");
            }
        }
        List<Comparison> out = new ArrayList<>();
        byLine.forEach((line, pair) -> {
            if (Double.isNaN(pair[0]) || Double.isNaN(pair[1])) {
                progress.println("# jmh: no BENCH line for " + line + ": crmkit and baseline did not both run");
            } else {
                out.add(new Comparison(line, pair[0], pair[1]));
            }
        });
        return out;
    }

    private static String className(RunResult r) {
        String benchmark = r.getParams().getBenchmark();
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    private static String params(RunResult r) {
        List<String> pairs = new ArrayList<>();
        for (String key : r.getParams().getParamsKeys()) {
            pairs.add(key + "=" + r.getParams().getParam(key));
        }
        return String.join(",", pairs);
    }

    private static String lineName(String className) {
        return LINES.entrySet().stream().filter(e -> e.getKey().getName().equals(className)).map(Map.Entry::getValue)
                .findFirst().orElse(className.substring(className.lastIndexOf('.') + 1));
    }

    /** A JMH score in {@code ns/op}, {@code us/op}, {@code ms/op} or {@code s/op} as nanoseconds; else null. */
    private static @Nullable Double nanosPerOp(double score, String unit) {
        TimeUnit time = switch (unit) {
            case "ns/op" -> TimeUnit.NANOSECONDS;
            case "us/op" -> TimeUnit.MICROSECONDS;
            case "ms/op" -> TimeUnit.MILLISECONDS;
            case "s/op" -> TimeUnit.SECONDS;
            default -> null;
        };
        return time == null ? null : score * time.toNanos(1);
    }
}
