package org.crmkit.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmStorage;
import org.crmkit.RecordSet;
import org.crmkit.duplicate.DuplicateMode;
import org.crmkit.record.ImportResult;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.DuplicateSamples;

/**
 * The sales process: duplicate detection.
 *
 * <ul>
 *   <li>{@code sales.duplicate_check}: p50 of {@code createChecked} (a create that also finds the new contact's
 *       duplicates through the Lucene index, type in WARN mode) against p50 of a plain {@code create} on the same
 *       {@code Crm}, with {@code --size} contacts stored (default 1,000,000, goal: the check adds at most 2 ms at p50);
 *       {@code --ops N} creates of each kind (default 500), interleaved, after 100 of each as warm-up. Storage
 *       {@code --db h2} (a temporary H2 file, the default) or {@code memory}; contacts from
 *       {@link DuplicateSamples} (Datafaker, {@code --seed}), imported, then indexed before timing.</li>
 *   <li>{@code RECALL duplicates precision= recall=}: the built-in contact rules on the labelled set
 *       {@link DuplicateSamples#standard()} through the Lucene path (in memory), as {@code DuplicateQualityTest}
 *       measures them through the storage.</li>
 * </ul>
 */
final class SalesSuite implements Suite {
    private static final int WARMUP = 100;

    @Override
    public String name() {
        return "sales";
    }

    @Override
    public String description() {
        return "duplicate check on create (Lucene) vs a plain create; precision and recall of the contact rules";
    }

    @Override
    public int defaultSize() {
        return 1_000_000;
    }

    @Override
    public Map<String, String> options() {
        return Map.of("ops", "timed creates of each kind (default 500)", "db", "h2 (default) or memory");
    }

    @Override
    public void check(BenchConfig config) {
        String db = config.option("db", "h2");
        if (!db.equals("h2") && !db.equals("memory")) {
            throw new IllegalArgumentException("--db must be h2 or memory, not " + db);
        }
        if (Integer.parseInt(config.option("ops", "500")) < 1) {
            throw new IllegalArgumentException("--ops must be at least 1");
        }
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        recall();
        Path work = Files.createTempDirectory("crmkit-sales");
        CrmStorage storage = config.option("db", "h2").equals("memory") ? InMemoryStorage.create()
                : JdbcStorage.h2File(work.resolve("crm"));
        try (Crm crm = Crm.builder().storage(storage).search(LuceneSearch.at(work.resolve("index"))).build()) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            long t0 = System.nanoTime();
            DuplicateSamples.Labelled data = new DuplicateSamples(config.size(), 0.05, config.seed()).generate();
            ImportResult r = contacts.importRecords("bench-sales", data.originals().stream()
                    .map(DuplicateSamples.Row::values).toList());
            note("%d contacts imported in %.1f s (%d refused)", r.created(), (System.nanoTime() - t0) / 1e9,
                    r.failed());
            if (!crm.admin().searchIndex().awaitUpToDate(Duration.ofHours(2))) {
                throw new IllegalStateException("index did not catch up");
            }
            note("indexed after %.1f s", (System.nanoTime() - t0) / 1e9);
            crm.schema().setDuplicateRules("contact", crm.schema().duplicateRules("contact").orElseThrow()
                    .mode(DuplicateMode.WARN));
            List<Map<String, Object>> probes = new ArrayList<>();
            data.variants().forEach(v -> probes.add(v.values()));
            data.fresh().forEach(v -> probes.add(v.values()));
            int ops = Integer.parseInt(config.option("ops", "500"));
            Latencies checked = new Latencies();
            Latencies plain = new Latencies();
            int found = 0;
            for (int i = 0; i < WARMUP + ops; i++) {
                Map<String, Object> v = probes.get(i % probes.size());
                long a = System.nanoTime();
                contacts.create(v);
                long b = System.nanoTime();
                found += contacts.createChecked(v).duplicates().isEmpty() ? 0 : 1;
                long c = System.nanoTime();
                if (i >= WARMUP) {
                    plain.record(b - a);
                    checked.record(c - b);
                }
            }
            note("%d of %d checked creates found duplicates; p50 checked %.2f ms, plain %.2f ms, difference %.2f ms"
                    + " (goal: at most 2 ms)", found, WARMUP + ops, checked.percentile(50) / 1e6,
                    plain.percentile(50) / 1e6, (checked.percentile(50) - plain.percentile(50)) / 1e6);
            out.report(new BenchLine("sales.duplicate_check", checked.percentile(50), plain.percentile(50)));
        }
    }

    /** Precision and recall of the built-in contact rules on the labelled set, candidates through Lucene. */
    private static void recall() {
        DuplicateSamples.Labelled set = DuplicateSamples.standard().generate();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).search(LuceneSearch.inMemory()).build()) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            List<UUID> ids = new ArrayList<>();
            set.originals().forEach(r -> ids.add(contacts.create(r.values()).id()));
            if (!crm.admin().searchIndex().awaitUpToDate(Duration.ofMinutes(10))) {
                throw new IllegalStateException("index did not catch up");
            }
            DuplicateSamples.Quality q = DuplicateSamples.measure(set, ids,
                    v -> contacts.findDuplicates(v).stream().map(c -> c.record().id()).toList());
            note("labelled set: %d originals, %d variants, %d fresh; %s", set.originals().size(),
                    set.variants().size(), set.fresh().size(), q);
            System.out.printf(Locale.ROOT, "RECALL duplicates precision=%.3f recall=%.3f%n", q.precision(),
                    q.recall());
        }
    }

    private static void note(String format, Object... args) {
        System.err.printf(Locale.ROOT, "# sales: " + format + "%n", args);
        System.err.flush();
    }
}
