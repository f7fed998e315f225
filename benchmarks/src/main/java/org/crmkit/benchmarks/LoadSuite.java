package org.crmkit.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many users at once on PostgreSQL (issue 19, item 8). {@code load.mixed_<threads>}: {@code --threads} worker threads
 * (default 32), each a sales rep working their own contacts, doing 70% reads ({@code get(id)}), 20% updates (the
 * {@code title} at the known version) and 10% creates, for {@code --seconds} (default 60) on each side: CRMKit's
 * public API on {@code JdbcStorage} (default pool) against plain jOOQ on an identical table with the rep's scope and
 * the version check in its SQL, through a pool of the same size ({@link LoadRun}). Lines: time per operation (wall
 * time over operations, the inverse of throughput), p50 and p99 of all operations and p99 per kind, and the ops/s of
 * each side as {@code FIGURE}s. Goal: ratio at most 1.3.
 *
 * <p>{@code --soak 30m} runs the workload on the CRMKit side only for that long instead ({@link SoakRun}), sampling
 * heap after GC, live threads and connections, and fails when they grow.
 *
 * <p>PostgreSQL comes from {@value BenchDatabase#POSTGRES_URL_ENV}; when it does not answer, a {@code SKIP} line says
 * so.
 */
final class LoadSuite implements Suite {
    static final int DEFAULT_SIZE = 100_000;
    static final int DEFAULT_THREADS = 32;
    static final int DEFAULT_SECONDS = 60;
    static final int DEFAULT_WARMUP_SECONDS = 10;
    /** Longest timed run of one side before the other side's turn. */
    static final int RUN_SECONDS = 10;

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String description() {
        return "mixed workload (70% get, 20% update, 10% create) with many threads on PostgreSQL vs. plain jOOQ; "
                + "--soak for a long run checking heap and connections";
    }

    @Override
    public int defaultSize() {
        return DEFAULT_SIZE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("threads", "worker threads, each a sales rep (default " + DEFAULT_THREADS + ")");
        o.put("seconds", "timed seconds of each side (default " + DEFAULT_SECONDS + ")");
        o.put("warmup", "warm-up seconds of each side (default " + DEFAULT_WARMUP_SECONDS + ")");
        o.put("soak", "run CRMKit alone this long (e.g. 30m, 2m, 90s) and check heap and connections stay flat");
        o.put("interval", "soak: seconds between samples (default a 30th of the soak, 5 to 60)");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        settings(config);
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        Settings settings = settings(config);
        String skip = settings.soak() == null ? "load.mixed_" + settings.threads() : "load.soak";
        String url = BenchDatabase.answeringPostgres(skip, out);
        if (url == null) {
            return;
        }
        long start = System.nanoTime();
        if (settings.soak() == null) {
            new LoadRun(url, config, settings).run(out);
        } else {
            new SoakRun(url, config, settings).run(out);
        }
        note("load", "done in %.0f s", (System.nanoTime() - start) / 1e9);
    }

    /** The suite's settings from its options. */
    static Settings settings(BenchConfig config) {
        String soak = config.option("soak", "");
        Duration soakTime = soak.isEmpty() ? null : duration("--soak", soak);
        int interval = config.positive("interval",
                soakTime == null ? 5 : Math.clamp(soakTime.toSeconds() / 30, 5, 60));
        Settings s = new Settings(config.positive("threads", DEFAULT_THREADS),
                config.positive("seconds", DEFAULT_SECONDS),
                config.positive("warmup", DEFAULT_WARMUP_SECONDS), soakTime, Duration.ofSeconds(interval));
        if (soakTime != null && soakTime.toSeconds() / interval < 3) {
            throw new IllegalArgumentException("--soak " + soak + " with --interval " + interval
                    + " gives fewer than 3 samples; make it at least " + 3 * interval + "s");
        }
        return s;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smh]?)");

    /**
     * A duration written as a number and a unit: {@code 90s}, {@code 2m}, {@code 1h}, or a plain number of seconds.
     *
     * @throws IllegalArgumentException naming {@code option} when the text is not such a duration or is zero
     */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(option + " needs a duration such as 30m, 2m or 90s, got '" + text
                    + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /**
     * The load suite's own settings.
     *
     * @param threads       worker threads
     * @param seconds       timed seconds of each side
     * @param warmupSeconds warm-up seconds of each side
     * @param soak          how long the soak runs; null for the comparison
     * @param interval      the soak's time between samples
     */
    record Settings(int threads, int seconds, int warmupSeconds, @org.jspecify.annotations.Nullable Duration soak,
            Duration interval) {
        /** Timed runs per side: the seconds cut into runs of at most {@value #RUN_SECONDS} s. */
        int runs() {
            return (seconds + RUN_SECONDS - 1) / RUN_SECONDS;
        }

        long runNanos() {
            return seconds * 1_000_000_000L / runs();
        }

        /** Warm-up runs per side: two, so each side warms up twice with the other's run between. */
        int warmupRuns() {
            return 2;
        }

        long warmupRunNanos() {
            return warmupSeconds * 1_000_000_000L / warmupRuns();
        }
    }

    static void note(String name, String format, Object... args) {
        StorageSuite.note(name, format, args);
    }
}
