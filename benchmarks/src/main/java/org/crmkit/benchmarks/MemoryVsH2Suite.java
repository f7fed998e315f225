package org.crmkit.benchmarks;

import static org.crmkit.query.Filters.where;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.Crm;
import org.crmkit.CrmStorage;
import org.crmkit.RecordSet;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.memory.InMemoryStorage;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory storage against an in-memory database: every operation of the {@code memory} suite (build, create,
 * get, update, query) through the same {@code Crm} API, on {@link InMemoryStorage} (reported as {@code crmkit})
 * and on {@link JdbcStorage} over H2 in memory ({@code jdbc:h2:mem:}, the baseline), in alternating passes. The
 * goal is a ratio of 0.5 or less for each. Lines: {@code memory_vs_h2mem.build}, {@code .create}, {@code .get}
 * (shuffled ids), {@code .update} (a new title), {@code .query} ({@code last_name = x}, an indexed field, all
 * matches). Then one {@code FIGURE memory_vs_h2mem.heap bytes_per_contact=<n>}: the heap the in-memory storage
 * holds per contact, change log and indexes included, measured after a full GC around creating
 * {@code --heap} contacts (default 1,000,000; goal 600 bytes or less).
 */
final class MemoryVsH2Suite implements Suite {
    private static final int WARMUPS = 1;
    private static final int QUERIES_PER_PASS = 200;
    private static final int DEFAULT_HEAP_CONTACTS = 1_000_000;
    private static final Principal REP = Principal.user("bench-rep", Role.SALES_REP);
    private final AtomicInteger databases = new AtomicInteger();

    @Override
    public String name() {
        return "memory_vs_h2mem";
    }

    @Override
    public String description() {
        return "in-memory storage vs H2 in memory through the same Crm API (build, create, get, update, query), "
                + "and heap bytes per contact";
    }

    @Override
    public Map<String, String> options() {
        return Map.of("heap", "contacts created for the heap figure (default " + DEFAULT_HEAP_CONTACTS + ")");
    }

    @Override
    public void check(BenchConfig config) {
        heapContacts(config);
    }

    private static int heapContacts(BenchConfig config) {
        String given = config.options().get("heap");
        if (given == null) {
            return DEFAULT_HEAP_CONTACTS;
        }
        try {
            int n = Integer.parseInt(given);
            if (n < 1) {
                throw new IllegalArgumentException("--heap must be positive, got " + given);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--heap needs a number, got '" + given + "'");
        }
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        List<Map<String, Object>> contacts = ContactData.contacts(config.size(), config.seed());
        out.report(build(config));
        Side memory = new Side(this::memoryStorage);
        Side h2 = new Side(this::h2Storage);
        try {
            int n = contacts.size();
            Timing.Pair create = Timing.interleavedMedians(WARMUPS, config.rounds(), n, memory.creating(contacts),
                    h2.creating(contacts));
            out.report(new BenchLine(name() + ".create", create.crmkit(), create.baseline()));
            int[] order = shuffled(n, new Random(config.seed() * 31 + 7));
            Timing.Pair get = Timing.interleavedMedians(WARMUPS, config.rounds(), n, memory.getting(order),
                    h2.getting(order));
            out.report(new BenchLine(name() + ".get", get.crmkit(), get.baseline()));
            Timing.Pair update = Timing.interleavedMedians(WARMUPS, config.rounds(), n,
                    memory.updating(order, contacts), h2.updating(order, contacts));
            out.report(new BenchLine(name() + ".update", update.crmkit(), update.baseline()));
            String[] names = lastNames(contacts, new Random(config.seed() * 17 + 3));
            for (String name : names) {
                if (memory.query(name) != h2.query(name)) {
                    throw new IllegalStateException("last_name = '" + name + "': the storages disagree");
                }
            }
            Timing.Pair query = Timing.interleavedMedians(WARMUPS, config.rounds(), names.length,
                    memory.querying(names), h2.querying(names));
            out.report(new BenchLine(name() + ".query", query.crmkit(), query.baseline()));
        } finally {
            memory.close();
            h2.close();
        }
        long bytes = heapPerContact(ContactData.contacts(Math.min(heapContacts(config), 50_000), config.seed() + 1),
                heapContacts(config));
        out.figure(name() + ".heap", "bytes_per_contact", bytes);
    }

    private CrmStorage memoryStorage() {
        return InMemoryStorage.create();
    }

    private CrmStorage h2Storage() {
        return JdbcStorage.h2Memory("crmkit_bench_" + databases.incrementAndGet());
    }

    // ---------------------------------------------------------------------------------------------- build

    private BenchLine build(BenchConfig config) throws Exception {
        int builds = 20;
        Timing.Pair pair = Timing.interleavedMedians(WARMUPS + 2, config.rounds(), builds, round -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < builds; i++) {
                try (Crm crm = Crm.builder().storage(memoryStorage()).build()) {
                    Timing.consume(crm.schema().version());
                }
            }
            return System.nanoTime() - t0;
        }, round -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < builds; i++) {
                try (Crm crm = Crm.builder().storage(h2Storage()).build()) {
                    Timing.consume(crm.schema().version());
                }
            }
            return System.nanoTime() - t0;
        });
        return new BenchLine(name() + ".build", pair.crmkit(), pair.baseline());
    }

    // --------------------------------------------------------------------------------------- heap per contact

    /**
     * The heap an in-memory {@code Crm} holds per contact: used heap after a full collection, before and after
     * creating {@code count} contacts (the sample's values cycled, each text a new string, each email unique), divided
     * by count.
     */
    private static long heapPerContact(List<Map<String, Object>> sample, int count) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Crm crm = ContactData.crm(InMemoryStorage.create())) {
            RecordSet records = crm.as(REP).records("contact");
            records.create(sample.get(0));
            long before = usedAfterGc(memory);
            for (int i = 1; i <= count; i++) {
                // fresh strings, as an application passes them: the store holds its own references only
                Map<String, Object> values = new java.util.HashMap<>();
                sample.get(i % sample.size())
                        .forEach((k, v) -> values.put(k, v instanceof String t ? new String(t) : v));
                values.put("email", "heap." + i + "@example.com");
                records.create(values);
            }
            long after = usedAfterGc(memory);
            System.err.printf(Locale.ROOT, "# memory_vs_h2mem: %d contacts hold %.1f MiB of heap%n", count,
                    (after - before) / 1048576.0);
            Timing.consume(records.count(where("last_name").isNotNull()));
            return Math.round((double) (after - before) / count);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static int[] shuffled(int n, Random random) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String[] lastNames(List<Map<String, Object>> contacts, Random random) {
        String[] names = new String[QUERIES_PER_PASS];
        for (int q = 0; q < names.length; q++) {
            names[q] = (String) contacts.get(random.nextInt(contacts.size())).get("last_name");
        }
        return names;
    }

    /** One storage's {@code Crm} and the contacts of its last create pass. */
    private static final class Side implements AutoCloseable {
        private final java.util.function.Supplier<CrmStorage> storages;
        private @Nullable Crm crm;
        private @Nullable RecordSet records;
        private UUID[] ids = new UUID[0];
        private long[] versions = new long[0];

        Side(java.util.function.Supplier<CrmStorage> storages) {
            this.storages = storages;
        }

        Timing.Pass creating(List<Map<String, Object>> contacts) {
            return round -> {
                close();
                Crm fresh = ContactData.crm(storages.get());
                crm = fresh;
                RecordSet set = fresh.as(REP).records("contact");
                UUID[] created = new UUID[contacts.size()];
                long t0 = System.nanoTime();
                for (int i = 0; i < created.length; i++) {
                    created[i] = set.create(contacts.get(i)).id();
                }
                long elapsed = System.nanoTime() - t0;
                records = set;
                ids = created;
                versions = new long[created.length];
                java.util.Arrays.fill(versions, 1L);
                return elapsed;
            };
        }

        Timing.Pass getting(int[] order) {
            return round -> {
                RecordSet set = java.util.Objects.requireNonNull(records);
                long sum = 0;
                long t0 = System.nanoTime();
                for (int i : order) {
                    sum += set.get(ids[i]).version();
                }
                long elapsed = System.nanoTime() - t0;
                Timing.consume(sum);
                return elapsed;
            };
        }

        Timing.Pass updating(int[] order, List<Map<String, Object>> contacts) {
            return round -> {
                RecordSet set = java.util.Objects.requireNonNull(records);
                List<Map<String, Object>> changes = new ArrayList<>(order.length);
                for (int i = 0; i < order.length; i++) {
                    changes.add(Map.of("title", contacts.get(i).get("title") + " (" + round + ")"));
                }
                long t0 = System.nanoTime();
                for (int i : order) {
                    versions[i] = set.update(ids[i], versions[i], changes.get(i)).version();
                }
                return System.nanoTime() - t0;
            };
        }

        Timing.Pass querying(String[] names) {
            return round -> {
                long sum = 0;
                long t0 = System.nanoTime();
                for (String name : names) {
                    sum += query(name);
                }
                long elapsed = System.nanoTime() - t0;
                Timing.consume(sum);
                return elapsed;
            };
        }

        int query(String lastName) {
            List<Record> found = java.util.Objects.requireNonNull(records)
                    .query(Query.where(where("last_name").eq(lastName)).limit(Query.MAX_LIMIT)).items();
            return found.size();
        }

        @Override
        public void close() {
            if (crm != null) {
                crm.close();
                crm = null;
            }
        }
    }
}
