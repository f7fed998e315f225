package org.crmkit.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs benchmark suites named on the command line and prints one {@code BENCH} line per comparison:
 *
 * <pre>
 * java org.crmkit.benchmarks.BenchMain memory [more suites] [--size N] [--seed S] [--rounds R]
 * </pre>
 *
 * or, from the repository root, {@code mvn -q -Pbench -DskipTests verify -Dbench.args="memory --size 10000"}.
 * A new suite implements {@link Suite} and is registered in {@link #SUITES}. Exit codes: 0 done, 1 a suite
 * failed, 2 bad command line.
 */
public final class BenchMain {
    /** Suites by command-line name, in the order the usage message lists them. */
    static final Map<String, Suite> SUITES = suites(new MemorySuite());

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

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<Suite> selected = new ArrayList<>();
        int size = BenchConfig.DEFAULT_SIZE;
        long seed = BenchConfig.DEFAULT_SEED;
        int rounds = BenchConfig.DEFAULT_ROUNDS;
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
        BenchConfig config;
        try {
            config = new BenchConfig(size, seed, rounds);
        } catch (IllegalArgumentException e) {
            usage(err, e.getMessage());
            return 2;
        }
        for (Suite suite : selected) {
            try {
                suite.run(config, line -> {
                    out.println(line.format());
                    out.flush();
                });
            } catch (Exception e) {
                err.println("suite " + suite.name() + " failed: " + e);
                e.printStackTrace(err);
                return 1;
            }
        }
        return 0;
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

    private static void usage(PrintStream to, String problem) {
        if (problem != null) {
            to.println("error: " + problem);
        }
        to.println("usage: BenchMain <suite>... [--size N] [--seed S] [--rounds R]");
        to.println("  --size N    records per suite (default " + BenchConfig.DEFAULT_SIZE + ")");
        to.println("  --seed S    seed for generated data (default " + BenchConfig.DEFAULT_SEED + ")");
        to.println("  --rounds R  measured rounds per comparison, median reported (default "
                + BenchConfig.DEFAULT_ROUNDS + ")");
        to.println("suites:");
        SUITES.values().forEach(s -> to.printf("  %-10s %s%n", s.name(), s.description()));
        to.println("output: BENCH <name> crmkit=<time/op> baseline=<time/op> ratio=<crmkit/baseline> (lower is better)");
    }
}
