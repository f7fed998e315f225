package org.crmkit.benchmarks;

import java.util.Map;

/**
 * Settings shared by all suites.
 *
 * @param size    how many records (or items) the suite works on
 * @param seed    seed for generated data and for the order of operations, so runs are repeatable
 * @param rounds  measured rounds per comparison; the median is reported
 * @param options the suite's own options given on the command line ({@link Suite#options()}), by name without
 *                the leading {@code --}
 */
record BenchConfig(int size, long seed, int rounds, Map<String, String> options) {
    static final int DEFAULT_SIZE = 10_000;
    static final long DEFAULT_SEED = 42L;
    static final int DEFAULT_ROUNDS = 5;

    BenchConfig {
        if (size < 1) {
            throw new IllegalArgumentException("--size must be at least 1, got " + size);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        options = Map.copyOf(options);
    }

    BenchConfig(int size, long seed, int rounds) {
        this(size, seed, rounds, Map.of());
    }

    /** The databases {@code --db} names (h2, postgres or all, the default), for the suites that run on both. */
    java.util.List<String> databases() {
        return switch (option("db", "all").toLowerCase(java.util.Locale.ROOT)) {
            case "all" -> java.util.List.of("h2", "postgres");
            case "h2" -> java.util.List.of("h2");
            case "postgres", "postgresql", "pg" -> java.util.List.of("postgres");
            default -> throw new IllegalArgumentException("--db must be h2, postgres or all, got '"
                    + option("db", "") + "'");
        };
    }

    /** The positive number {@code --ops} gives, or {@code fallback}. */
    int ops(int fallback) {
        return positive("ops", fallback);
    }

    /** The positive number the option {@code --<name>} gives, or {@code fallback}. */
    int positive(String name, int fallback) {
        try {
            int n = Integer.parseInt(option(name, Integer.toString(fallback)));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a positive number, got '" + option(name, "")
                    + "'");
        }
    }

    /** A suite option's value, or {@code fallback} when it was not given. */
    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}
