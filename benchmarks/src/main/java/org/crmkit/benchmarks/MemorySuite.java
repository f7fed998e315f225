package org.crmkit.benchmarks;

import java.util.Objects;
import static org.crmkit.query.Filters.where;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.benchmarks.jmh.GetByIdBenchmark;
import org.crmkit.benchmarks.jmh.JmhComparisons;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;

/**
 * CRMKit on {@link InMemoryStorage} against a plain {@code HashMap<UUID, Map<String, Object>>} doing the same
 * job without schema, validation, access control or change log:
 *
 * <ul>
 *   <li>{@code memory.build}: building (and closing) an in-memory {@code Crm}, against creating one empty
 *       {@code HashMap} store and one field-name set per standard object type plus a {@code UUID} generator;
 *   <li>{@code memory.create}: {@code records("contact").create(values)} with five standard and three custom
 *       fields, against putting a copy of the same map (plus a version) under a random {@code UUID};
 *   <li>{@code memory.get}: {@code records.get(id)} against {@code HashMap.get}, in a shuffled order: a JMH
 *       benchmark ({@link GetByIdBenchmark}) run in a forked JVM on its own store of the same contacts, with one
 *       fork and {@code --rounds} measured iterations;
 *   <li>{@code memory.update}: {@code records.update(id, version, Map.of("title", ...))} against checking the
 *       version, copying the map, changing it and putting it back;
 *   <li>{@code memory.query}: {@code records.query(where("last_name").eq(x))} (all matches in one page)
 *       against a stream filter over all the map's values, for last names drawn from the data.
 * </ul>
 *
 * Every measurement runs warm-up passes over the full data first, then {@link BenchConfig#rounds()} timed
 * passes; the median time per operation is reported.
 */
final class MemorySuite implements Suite {
    private static final String VERSION = "_version";
    private static final int WARMUPS = 2;
    private static final int QUERIES_PER_PASS = 200;
    private static final Principal REP = Principal.user("bench-rep", Role.SALES_REP);

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "in-memory Crm (build, create, get, update, query on contacts) vs. a plain HashMap";
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        List<Map<String, Object>> contacts = ContactData.contacts(config.size(), config.seed());
        out.report(build(config));
        new RecordOps(config, contacts).run(out);
    }

    // ---------------------------------------------------------------------------------------------- build

    private BenchLine build(BenchConfig config) throws Exception {
        long coldStart = System.nanoTime();
        Crm first = Crm.builder().storage(InMemoryStorage.create()).build();
        long cold = System.nanoTime() - coldStart;
        List<String> typeNames = new ArrayList<>();
        Map<String, List<String>> fieldNames = new HashMap<>();
        for (ObjectType t : first.schema().snapshot().types()) {
            typeNames.add(t.name());
            fieldNames.put(t.name(), t.fields().stream().map(Field::name).toList());
        }
        first.close();
        System.err.printf(java.util.Locale.ROOT, "# memory.build: first (cold JVM) build took %.3f ms%n",
                cold / 1e6);

        // enough builds per round for about 100 ms of work, judged from the cold build (an upper bound)
        int crmBuilds = (int) Math.max(20, Math.min(500, 100_000_000L / Math.max(1, cold)));
        double crm = Timing.medianNanosPerOp(WARMUPS + 1, config.rounds(), crmBuilds, round -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < crmBuilds; i++) {
                try (Crm crmInstance = Crm.builder().storage(InMemoryStorage.create()).build()) {
                    Timing.consume(crmInstance.schema().version());
                }
            }
            return System.nanoTime() - t0;
        });

        int rawBuilds = 10_000;
        double baseline = Timing.medianNanosPerOp(WARMUPS + 1, config.rounds(), rawBuilds, round -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < rawBuilds; i++) {
                Map<String, Map<UUID, Map<String, Object>>> stores = new HashMap<>();
                Map<String, Set<String>> schema = new HashMap<>();
                for (String type : typeNames) {
                    stores.put(type, new HashMap<>());
                    schema.put(type, new HashSet<>(fieldNames.get(type)));
                }
                Supplier<UUID> ids = UUID::randomUUID;
                Timing.consume(stores.size() + schema.size() + (ids.get().getLeastSignificantBits() & 1));
            }
            return System.nanoTime() - t0;
        });
        return new BenchLine("memory.build", crm, baseline);
    }

    // ------------------------------------------------------------------------------ create/get/update/query

    /** The record operations; the last timed create pass leaves the store that get, update and query use. */
    private static final class RecordOps {
        private final BenchConfig config;
        private final List<Map<String, Object>> contacts;
        private final int n;
        private final Random random;

        private Crm crm;
        private RecordSet crmContacts;
        private UUID[] crmIds;
        private long[] crmVersions;

        private Map<UUID, Map<String, Object>> raw;
        private UUID[] rawIds;
        private long[] rawVersions;

        // NullAway.Init: the store fields are set by create(), which run() calls first; nothing reads them before
        @SuppressWarnings("NullAway.Init")
        RecordOps(BenchConfig config, List<Map<String, Object>> contacts) {
            this.config = config;
            this.contacts = contacts;
            this.n = contacts.size();
            this.random = new Random(config.seed() * 31 + 7);
        }

        void run(BenchOutput out) throws Exception {
            try {
                out.report(create());
                int[] order = shuffled();
                out.report(BenchLine.of(JmhComparisons.runForSuite(GetByIdBenchmark.class, config.rounds(),
                        Map.of("size", String.valueOf(n), "seed", String.valueOf(config.seed())), System.err)));
                out.report(update(order));
                out.report(query());
            } finally {
                if (crm != null) {
                    crm.close();
                }
            }
        }

        private BenchLine create() throws Exception {
            double crmNanos = Timing.medianNanosPerOp(WARMUPS, config.rounds(), n, round -> {
                if (crm != null) {
                    crm.close();
                }
                crm = ContactData.inMemoryCrm();
                CrmSession session = crm.as(REP);
                RecordSet records = session.records("contact");
                UUID[] ids = new UUID[n];
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Record r = records.create(contacts.get(i));
                    ids[i] = r.id();
                }
                long elapsed = System.nanoTime() - t0;
                crmContacts = records;
                crmIds = ids;
                return elapsed;
            });
            crmVersions = new long[n];
            java.util.Arrays.fill(crmVersions, 1L);

            double rawNanos = Timing.medianNanosPerOp(WARMUPS, config.rounds(), n, round -> {
                Map<UUID, Map<String, Object>> store = new HashMap<>();
                UUID[] ids = new UUID[n];
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Map<String, Object> row = new HashMap<>(contacts.get(i));
                    row.put(VERSION, 1L);
                    UUID id = UUID.randomUUID();
                    store.put(id, row);
                    ids[i] = id;
                }
                long elapsed = System.nanoTime() - t0;
                raw = store;
                rawIds = ids;
                return elapsed;
            });
            rawVersions = new long[n];
            java.util.Arrays.fill(rawVersions, 1L);
            return new BenchLine("memory.create", crmNanos, rawNanos);
        }

        private int[] shuffled() {
            List<Integer> order = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            return order.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The change maps of one pass: a new title per contact, different in every pass. */
        private List<Map<String, Object>> titleChanges(int round) {
            List<Map<String, Object>> changes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                changes.add(Map.of("title", contacts.get(i).get("title") + " (" + round + ")"));
            }
            return changes;
        }

        private BenchLine update(int[] order) throws Exception {
            double crmNanos = Timing.medianNanosPerOp(WARMUPS, config.rounds(), n, round -> {
                List<Map<String, Object>> changes = titleChanges(round);
                long t0 = System.nanoTime();
                for (int i : order) {
                    crmVersions[i] = crmContacts.update(crmIds[i], crmVersions[i], changes.get(i)).version();
                }
                return System.nanoTime() - t0;
            });
            double rawNanos = Timing.medianNanosPerOp(WARMUPS, config.rounds(), n, round -> {
                List<Map<String, Object>> changes = titleChanges(round);
                long t0 = System.nanoTime();
                for (int i : order) {
                    rawVersions[i] = rawUpdate(rawIds[i], rawVersions[i], changes.get(i));
                }
                return System.nanoTime() - t0;
            });
            int probe = order[0];
            Map<String, Object> rawRow = Objects.requireNonNull(raw.get(rawIds[probe]));
            if (crmContacts.get(crmIds[probe]).version() != crmVersions[probe]
                    || (Long) Objects.requireNonNull(rawRow.get(VERSION)) != rawVersions[probe]
                    || crmVersions[probe] < 2) {
                throw new IllegalStateException("updates did not take: crmkit at version " + crmVersions[probe]
                        + ", baseline at " + rawVersions[probe]);
            }
            return new BenchLine("memory.update", crmNanos, rawNanos);
        }

        private long rawUpdate(UUID id, long expectedVersion, Map<String, Object> changes) {
            // every id is in the store (the same check the map's dereference made before; inlined, no extra cost)
            Map<String, Object> current = Objects.requireNonNull(raw.get(id));
            long version = (Long) Objects.requireNonNull(current.get(VERSION));
            if (version != expectedVersion) {
                throw new IllegalStateException("conflict on " + id + ": at " + version + ", expected "
                        + expectedVersion);
            }
            Map<String, Object> next = new HashMap<>(current);
            next.putAll(changes);
            next.put(VERSION, version + 1);
            raw.put(id, next);
            return version + 1;
        }

        private BenchLine query() throws Exception {
            // last names drawn from the contacts, so common names come up as often as they occur
            String[] names = new String[QUERIES_PER_PASS];
            for (int q = 0; q < names.length; q++) {
                names[q] = (String) contacts.get(random.nextInt(n)).get("last_name");
            }
            for (String name : names) { // both sides must find the same records
                int crmCount = crmQuery(name);
                int rawCount = rawQuery(name);
                if (crmCount != rawCount) {
                    throw new IllegalStateException("last_name = '" + name + "': crmkit found " + crmCount
                            + ", baseline " + rawCount);
                }
            }
            double crmNanos = Timing.medianNanosPerOp(WARMUPS, config.rounds(), names.length, round -> {
                long sum = 0;
                long t0 = System.nanoTime();
                for (String name : names) {
                    sum += crmQuery(name);
                }
                long elapsed = System.nanoTime() - t0;
                Timing.consume(sum);
                return elapsed;
            });
            double rawNanos = Timing.medianNanosPerOp(WARMUPS, config.rounds(), names.length, round -> {
                long sum = 0;
                long t0 = System.nanoTime();
                for (String name : names) {
                    sum += rawQuery(name);
                }
                long elapsed = System.nanoTime() - t0;
                Timing.consume(sum);
                return elapsed;
            });
            return new BenchLine("memory.query", crmNanos, rawNanos);
        }

        private int crmQuery(String lastName) {
            return crmContacts.query(Query.where(where("last_name").eq(lastName)).limit(Query.MAX_LIMIT))
                    .items().size();
        }

        private int rawQuery(String lastName) {
            return raw.values().stream().filter(row -> lastName.equals(row.get("last_name"))).toList().size();
        }
    }
}
