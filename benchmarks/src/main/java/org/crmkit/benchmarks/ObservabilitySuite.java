package org.crmkit.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.micrometer.CrmMetrics;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.memory.InMemoryStorage;

/**
 * {@code observability.overhead}: the same mixed operations (50% get, 20% update, 20% create, 10% query of ten) on one
 * {@code Crm} with {@link CrmMetrics} bound to a registry (the timers of every operation, the principal in the MDC
 * as always) against the same {@code Crm} with nothing bound, passes alternating in one JVM
 * ({@link Timing#interleavedMedians}); the metrics are bound before and closed after each pass, and 40 untimed operations open each pass (on the
 * bound side they register the timers), all outside
 * its time. {@code --db memory} (default: the engine's own cost is smallest there, so the overhead shows most) or
 * {@code --db h2} (an H2 file). At least 201 rounds of 500 operations a side; the median of
 * the rounds' paired ratios (bound / unbound in the same round) goes to stderr as a check on a busy machine. Goal: ratio at most 1.05.
 */
final class ObservabilitySuite implements Suite {
    private static final Principal REP = Principal.user("bench-rep", Role.ADMIN);
    private static final int OPS_PER_PASS = 500;
    private static final int MIN_ROUNDS = 201;
    private static final int UNTIMED = 40;

    /** Each side's pass times, in order, for the paired ratios. */
    private final List<Double> boundNanos = new ArrayList<>();
    private final List<Double> unboundNanos = new ArrayList<>();

    private Timing.Pass paired(Timing.Pass pass, boolean bound) {
        return round -> {
            long nanos = pass.run(round);
            (bound ? boundNanos : unboundNanos).add((double) nanos);
            return nanos;
        };
    }

    @Override
    public String name() {
        return "observability";
    }

    @Override
    public String description() {
        return "mixed operations with Micrometer metrics bound vs. unbound, on one Crm (--db memory|h2)";
    }

    @Override
    public int defaultSize() {
        return 5_000;
    }

    @Override
    public Map<String, String> options() {
        return Map.of("db", "memory (default) or h2");
    }

    @Override
    public void check(BenchConfig config) {
        String db = config.options().getOrDefault("db", "memory");
        if (!db.equals("memory") && !db.equals("h2")) {
            throw new IllegalArgumentException("--db must be memory or h2, not " + db);
        }
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        boolean h2 = config.options().getOrDefault("db", "memory").equals("h2");
        Path dir = h2 ? Files.createTempDirectory("crmkit-bench-obs") : null;
        try (Crm crm = Crm.builder().storage(dir == null ? InMemoryStorage.create()
                : JdbcStorage.h2File(dir.resolve("crm"))).build()) {
            CrmSession session = crm.as(REP);
            RecordSet contacts = session.records("contact");
            List<Record> records = new ArrayList<>();
            for (int i = 0; i < config.size(); i++) {
                records.add(contacts.create(values(i)));
            }
            SplittableRandom random = new SplittableRandom(config.seed());
            int[] created = {config.size()};
            Timing.Pass unbound = round -> mixed(contacts, records, random, created);
            Timing.Pass bound = round -> {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                try (CrmMetrics metrics = new CrmMetrics(crm)) {
                    metrics.bindTo(registry);
                    return mixed(contacts, records, random, created);
                }
            };
            // many short rounds: on a busy machine the median of many alternating pairs is steadier than a few long
            int rounds = Math.max(config.rounds(), MIN_ROUNDS);
            Timing.Pair pair = Timing.interleavedMedians(2, rounds, OPS_PER_PASS, paired(bound, true),
                    paired(unbound, false));
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = boundNanos.get(boundNanos.size() - rounds + r)
                        / unboundNanos.get(unboundNanos.size() - rounds + r);
            }
            System.err.printf(java.util.Locale.ROOT, "# observability.overhead: median of %d paired ratios %.3f%n",
                    rounds, Timing.median(ratios));
            out.report(new BenchLine("observability.overhead" + (h2 ? "_h2" : ""), pair.crmkit(), pair.baseline()));
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /**
     * One pass: {@link #UNTIMED} mixed operations first (on the bound side they register the timers, once per
     * binding, which is not what is measured), then {@link #OPS_PER_PASS} timed ones; returns their nanoseconds.
     */
    private static long mixed(RecordSet contacts, List<Record> records, SplittableRandom random, int[] created) {
        ops(UNTIMED, contacts, records, random, created);
        long t0 = System.nanoTime();
        ops(OPS_PER_PASS, contacts, records, random, created);
        return System.nanoTime() - t0;
    }

    private static void ops(int n, RecordSet contacts, List<Record> records, SplittableRandom random, int[] created) {
        for (int i = 0; i < n; i++) {
            int pick = random.nextInt(10);
            int at = random.nextInt(records.size());
            if (pick < 5) {
                Timing.consume(contacts.get(records.get(at).id()).version());
            } else if (pick < 7) {
                Record r = records.get(at);
                records.set(at, contacts.update(r.id(), r.version(), Map.of("title", "T" + i)));
            } else if (pick < 9) {
                records.add(contacts.create(values(created[0]++)));
            } else {
                Timing.consume(contacts.query(Query.where(Filters.where("last_name").eq("Last" + (at % 500)))
                        .limit(10)).items().size());
            }
        }
    }

    private static Map<String, Object> values(int i) {
        return Map.of("first_name", "First" + i, "last_name", "Last" + (i % 500), "email",
                "person" + i + "@example.com");
    }
}
