package org.crmkit.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crmkit.benchmarks.jmh.JmhComparisons;
import org.jspecify.annotations.Nullable;

/**
 * Runs benchmark suites named on the command line and prints one {@code BENCH} line per comparison:
 *
 * <pre>
 * java org.crmkit.benchmarks.BenchMain memory|memory_vs_h2mem|storage|search|workflow|sales|reports|data|security|load|schema|rest
 *     [more suites]
 *     [--size N]
 *     [--seed S] [--rounds R]
 *     [suite options, e.g. --db h2, --ops 1000]
 * </pre>
 *
 * or, from the repository root, {@code mvn -q -Pbench -DskipTests verify -Dbench.args="memory --size 10000"}.
 * {@code BenchMain jmh [JMH options]} runs the JMH benchmarks of {@code org.crmkit.benchmarks.jmh} instead
 * (JMH's own command line, e.g. {@code jmh RuleMatch -f 2}) and prints a {@code BENCH} line per benchmark class.
 * A new suite implements {@link Suite} and is registered in {@link #SUITES}. A part of a suite that cannot run
 * (a database that does not answer) prints {@code SKIP <name> <reason>} instead. Exit codes: 0 done, 1 a suite
 * failed, 2 bad command line.
 */
public final class BenchMain {
    /** Suites by command-line name, in the order the usage message lists them. */
    static final Map<String, Suite> SUITES = suites(new MemorySuite(), new StorageSuite(), new SearchSuite(),
            new WorkflowSuite(), new SalesSuite(), new ReportsSuite(), new DataSuite(), new SecuritySuite(),
            new MemoryVsH2Suite(), new LoadSuite(), new SchemaSuite(), new RestSuite(), new ObservabilitySuite(),
            new NodesSuite(), new RelaySuite());

    private BenchMain() {}

    private static Map<String, Suite> suites(Suite... suites) {
        Map<String, Suite> byName = new LinkedHashMap<>();
        for (Suite s : suites) {
            if (byName.put(s.name(), s) != null) {
                throw new IllegalStateException("two suites named " + s.name());
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    /**
     * Runs the suites with stdout and stderr writing whole lines (see {@link WholeLines}), so that every
     * {@code BENCH}, {@code RECALL} and {@code SKIP} line starts its own line of a log that takes both.
     */
    public static void main(String[] args) {
        PrintStream out = WholeLines.over(java.io.FileDescriptor.out);
        PrintStream err = WholeLines.over(java.io.FileDescriptor.err);
        System.setOut(out);
        System.setErr(err);
        int code = run(args, out, err);
        out.close();
        err.close();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = java.util.Arrays.stream(args).filter(a -> !a.isBlank()).toList();
        if (!words.isEmpty() && words.get(0).equals("jmh")) {
            return jmh(words.subList(1, words.size()).toArray(String[]::new), out, err);
        }
        List<Suite> selected = new ArrayList<>();
        Integer size = null;
        long seed = BenchConfig.DEFAULT_SEED;
        int rounds = BenchConfig.DEFAULT_ROUNDS;
        Map<String, String> options = new LinkedHashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.isBlank()) {
                    continue;
                }
                switch (a) {
                    case "-h", "--help" -> {
                        usage(out, null);
                        return 0;
                    }
                    case "--size" -> size = (int) number(args, ++i, a);
                    case "--seed" -> seed = number(args, ++i, a);
                    case "--rounds" -> rounds = (int) number(args, ++i, a);
                    default -> {
                        if (a.startsWith("--") && suiteOption(a.substring(2)) != null) {
                            if (i + 1 >= args.length || args[i + 1].isBlank()) {
                                throw new IllegalArgumentException(a + " needs a value");
                            }
                            options.put(a.substring(2), args[++i]);
                            continue;
                        }
                        Suite suite = SUITES.get(a);
                        if (suite == null) {
                            usage(err, a.startsWith("-") ? "unknown option '" + a + "'" : "unknown suite '" + a + "'");
                            return 2;
                        }
                        if (!selected.contains(suite)) {
                            selected.add(suite);
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            usage(err, e.getMessage());
            return 2;
        }
        if (selected.isEmpty()) {
            usage(err, "no suite named");
            return 2;
        }
        for (String option : options.keySet()) {
            if (selected.stream().noneMatch(s -> s.options().containsKey(option))) {
                // options holds only names that some suite declares (see the loop above)
                Suite owner = Objects.requireNonNull(suiteOption(option));
                usage(err, "--" + option + " belongs to suite " + owner.name() + ", which is not run");
                return 2;
            }
        }
        Map<Suite, BenchConfig> configs = new LinkedHashMap<>();
        try {
            for (Suite suite : selected) {
                Map<String, String> own = new LinkedHashMap<>(options);
                own.keySet().retainAll(suite.options().keySet());
                BenchConfig config = new BenchConfig(size != null ? size : suite.defaultSize(), seed, rounds, own);
                suite.check(config);
                configs.put(suite, config);
            }
        } catch (IllegalArgumentException e) {
            usage(err, e.getMessage());
            return 2;
        }
        BenchOutput output = new BenchOutput() {
            @Override
            public void report(BenchLine line) {
                out.println(line.format());
                out.flush();
            }

            @Override
            public void skip(String name, String reason) {
                out.println("SKIP " + name + " " + reason);
                out.flush();
            }

            @Override
            public void figure(String name, String key, long value) {
                out.println("FIGURE " + name + " " + key + "=" + value);
                out.flush();
            }
        };
        for (Map.Entry<Suite, BenchConfig> run : configs.entrySet()) {
            Suite suite = run.getKey();
            try {
                suite.run(run.getValue(), output);
            } catch (Exception e) {
                err.println("suite " + suite.name() + " failed: " + e);
                e.printStackTrace(err);
                return 1;
            }
        }
        return 0;
    }

    /** Runs JMH with its own command line; JMH's report goes to {@code err}, the BENCH lines to {@code out}. */
    private static int jmh(String[] jmhArgs, PrintStream out, PrintStream err) {
        try {
            for (JmhComparisons.Comparison c : JmhComparisons.runCommandLine(jmhArgs, err)) {
                out.println(BenchLine.of(c).format());
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            usage(err, e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("jmh failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** The suite that declares an option, or null. */
    private static @Nullable Suite suiteOption(String name) {
        return SUITES.values().stream().filter(s -> s.options().containsKey(name)).findFirst().orElse(null);
    }

    private static long number(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        try {
            long n = Long.parseLong(args[i]);
            if (!option.equals("--seed") && (n < 1 || n > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(option + " must be a positive int, got " + args[i]);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + args[i] + "'");
        }
    }

    private static void usage(PrintStream to, @Nullable String problem) {
        if (problem != null) {
            to.println("error: " + problem);
        }
        to.println("usage: BenchMain <suite>... [--size N] [--seed S] [--rounds R] [suite options]");
        to.println("       BenchMain jmh [JMH options, e.g. RuleMatch -f 2; -h lists them]");
        to.println("  --size N    records per suite (default: the suite's, below)");
        to.println("  --seed S    seed for generated data (default " + BenchConfig.DEFAULT_SEED + ")");
        to.println("  --rounds R  measured rounds per comparison, median reported (default "
                + BenchConfig.DEFAULT_ROUNDS + ")");
        to.println("suites:");
        for (Suite s : SUITES.values()) {
            to.printf("  %-10s %s (default size %d)%n", s.name(), s.description(), s.defaultSize());
            s.options().forEach((name, text) -> to.printf("    --%-8s %s%n", name, text));
        }
        to.println("jmh benchmarks: " + String.join(", ", JmhComparisons.benchmarkNames()));
        to.println("output: BENCH <name> crmkit=<time> baseline=<time> ratio=<crmkit/baseline> (lower is better),");
        to.println("        SKIP <name> <reason> for a part that cannot run (e.g. a database that does not answer)");
    }
}
