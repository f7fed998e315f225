package org.crmkit.benchmarks;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.UUID;
import net.datafaker.Faker;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;

/**
 * One database of the {@code schema} suite:
 *
 * <ol>
 *   <li>a {@code Crm} on the database whose {@code contact} has a custom text field {@code legacy_code};
 *   <li>{@code --size} contacts imported with {@code importRecords} ({@value #IMPORT_CHUNK} rows a call, batches of
 *       {@value #IMPORT_BATCH}), each with a name, an email, a title and a {@code legacy_code};
 *   <li>the {@link SchemaWriters} started; {@value #WARMUP_SECONDS} s of writing not counted (warm-up), then
 *       {@code --pause} seconds of plain writing before each change and after the last;
 *   <li>the changes, each a call of {@code crm.schema()} timed from call to return ({@link Change}).
 * </ol>
 *
 * Then per change the {@link WriteStalls.Stall} over the change's window, against the median write that overlapped
 * no change.
 */
final class SchemaRun {
    static final int IMPORT_CHUNK = 50_000;
    static final int IMPORT_BATCH = 5_000;
    static final int WARMUP_SECONDS = 10;
    /** The goal: no writer held up for a second or more by a schema change. */
    static final long GOAL_MILLIS = 1_000;

    /** The schema changes, in the order they run: the name of their BENCH line and of their FIGURE lines. */
    enum Change {
        ADD_INDEXED("online_add_index", "add_indexed"),
        ADD_UNIQUE("online_add_unique", "add_unique"),
        ADD_REFERENCE("online_add_reference", "add_reference"),
        DELETE_FIELD("online_delete_field", "delete_field");

        final String benchName;
        final String figureName;

        Change(String benchName, String figureName) {
            this.benchName = benchName;
            this.figureName = figureName;
        }

        void apply(Crm crm) {
            switch (this) {
                case ADD_INDEXED -> crm.schema().addField("contact", Field.integer("loyalty_points").indexed(true));
                case ADD_UNIQUE -> crm.schema().addField("contact", Field.text("member_code").unique(true));
                case ADD_REFERENCE -> crm.schema().addField("contact", Field.reference("partner", "company"));
                case DELETE_FIELD -> crm.schema().deleteField("contact", "legacy_code", DataPolicy.DISCARD_DATA);
            }
        }
    }

    private final BenchDatabase db;
    private final BenchConfig config;
    private final int writers;
    private final int pauseSeconds;
    private final String name;

    SchemaRun(BenchDatabase db, BenchConfig config, int writers, int pauseSeconds) {
        this.db = db;
        this.config = config;
        this.writers = writers;
        this.pauseSeconds = pauseSeconds;
        this.name = "schema." + db.name;
    }

    void run(BenchOutput out) throws Exception {
        try (Crm crm = Crm.builder().storage(db.crmkitStorage("")).build()) {
            crm.schema().addField("contact", Field.text("legacy_code"));
            UUID[] ids = seed(crm);
            List<WriteStalls.Window> windows = new ArrayList<>();
            SchemaWriters running = new SchemaWriters(crm, ids, writers, config.seed());
            long measuredFrom;
            try {
                Thread.sleep(WARMUP_SECONDS * 1_000L);
                measuredFrom = System.nanoTime();
                pause(running);
                for (Change change : Change.values()) {
                    long from = System.nanoTime();
                    change.apply(crm);
                    windows.add(new WriteStalls.Window(from, System.nanoTime()));
                    StorageSuite.note(name, "%s took %d ms", change.figureName, windows.getLast().nanos() / 1_000_000);
                    pause(running);
                }
            } finally {
                running.stop();
            }
            report(out, WriteStalls.of(running.logs(), measuredFrom), windows, running.logs());
        }
    }

    private void pause(SchemaWriters running) throws Exception {
        Thread.sleep(pauseSeconds * 1_000L);
        running.check();
    }

    private void report(BenchOutput out, WriteStalls stalls, List<WriteStalls.Window> windows, List<WriteLog> logs) {
        Latencies outside = stalls.outside(windows);
        double median = outside.percentile(50);
        Change[] changes = Change.values();
        for (int i = 0; i < changes.length; i++) {
            WriteStalls.Window w = windows.get(i);
            WriteStalls.Stall s = stalls.during(w);
            // the writers must have gone on after the change: a write that ran wholly between it and the next
            long next = i + 1 < windows.size() ? windows.get(i + 1).from() : Long.MAX_VALUE;
            WriteStalls.Window pause = new WriteStalls.Window(w.to(), next);
            long longestAfter = stalls.longestWithin(pause);
            if (longestAfter == 0) {
                throw new IllegalStateException("no write ran after " + changes[i].figureName + " returned");
            }
            out.report(new BenchLine(name + "." + changes[i].benchName, s.maxLatencyNanos(), median));
            String figure = name + "." + changes[i].figureName;
            out.figure(figure, "max_stall_ms", s.maxLatencyNanos() / 1_000_000);
            out.figure(figure, "max_gap_ms", s.maxGapNanos() / 1_000_000);
            out.figure(figure, "change_ms", w.nanos() / 1_000_000);
            out.figure(figure, "writes_during", s.writes());
            out.figure(figure, "max_write_after_ms", longestAfter / 1_000_000);
            // refusals from the change's start to the next change's: those it caused, during it or right after
            out.figure(figure, "concurrent_change_retries",
                    logs.stream().mapToInt(l -> l.schemaRetriesBetween(w.from(), next)).sum());
            StorageSuite.note(name, "%s: change %d ms; longest write during it %d ms, longest time without a completed "
                    + "write %d ms (goal: under %d ms) %s", changes[i].figureName, w.nanos() / 1_000_000,
                    s.maxLatencyNanos() / 1_000_000, s.maxGapNanos() / 1_000_000, GOAL_MILLIS,
                    s.maxLatencyNanos() < GOAL_MILLIS * 1_000_000 ? "met" : "NOT MET");
        }
        out.figure(name, "median_write_us", Math.round(median / 1_000));
        out.figure(name, "p99_write_us", Math.round(outside.percentile(99) / 1_000));
        out.figure(name, "max_write_outside_changes_ms", Math.round(outside.percentile(100) / 1_000_000));
        out.figure(name, "writes", stalls.size());
        out.figure(name, "writers", writers);
        out.figure(name, "concurrent_change_retries", logs.stream().mapToInt(WriteLog::schemaRetries).sum());
        out.figure(name, "conflict_retries", logs.stream().mapToInt(WriteLog::conflictRetries).sum());
    }

    /** Imports {@code --size} contacts and returns their ids, in import order. */
    private UUID[] seed(Crm crm) {
        int n = config.size();
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        UUID[] ids = new UUID[n];
        long t0 = System.nanoTime();
        SeedRows rows = new SeedRows(config.seed());
        for (int from = 0; from < n; from += IMPORT_CHUNK) {
            int to = Math.min(n, from + IMPORT_CHUNK);
            ImportResult r = contacts.importRecords("bench-schema-" + from, rows.range(from, to),
                    ImportOptions.defaults().batchSize(IMPORT_BATCH));
            if (r.created() != to - from) {
                throw new IllegalStateException("import created " + r.created() + " of " + (to - from) + " rows; "
                        + "errors: " + r.errors().subList(0, Math.min(5, r.errors().size())));
            }
            for (int i = from; i < to; i++) {
                ids[i] = r.createdIds().get((long) (i - from + 1));
            }
            if (to % 200_000 == 0 || to == n) {
                StorageSuite.note(name, "%,d contacts imported in %.0f s", to, (System.nanoTime() - t0) / 1e9);
            }
        }
        return ids;
    }

    /** Contacts made on the fly from pools of Datafaker names and titles, so none are held in memory. */
    private static final class SeedRows {
        private final String[] firstNames = new String[500];
        private final String[] lastNames = new String[500];
        private final String[] titles = new String[200];
        private final long seed;

        SeedRows(long seed) {
            this.seed = seed;
            Faker faker = new Faker(Locale.US, new Random(seed));
            for (int i = 0; i < firstNames.length; i++) {
                firstNames[i] = faker.name().firstName();
                lastNames[i] = faker.name().lastName();
            }
            for (int i = 0; i < titles.length; i++) {
                titles[i] = faker.job().title();
            }
        }

        /** Rows {@code from} (inclusive) to {@code to}, the same on every iteration. */
        Iterable<Map<String, Object>> range(int from, int to) {
            return () -> iterator(from, to);
        }

        private Iterator<Map<String, Object>> iterator(int from, int to) {
            Random random = new Random(seed ^ from);
            return new Iterator<>() {
                private int i = from;

                @Override
                public boolean hasNext() {
                    return i < to;
                }

                @Override
                public Map<String, Object> next() {
                    if (i >= to) {
                        throw new NoSuchElementException();
                    }
                    String first = firstNames[random.nextInt(firstNames.length)];
                    String last = lastNames[random.nextInt(lastNames.length)];
                    Map<String, Object> row = Map.of("first_name", first, "last_name", last, "email",
                            ContactData.emailLocalPart(first) + "." + ContactData.emailLocalPart(last) + "." + i
                                    + "@example.com",
                            "title", titles[random.nextInt(titles.length)], "legacy_code", "L" + i);
                    i++;
                    return row;
                }
            };
        }
    }
}
