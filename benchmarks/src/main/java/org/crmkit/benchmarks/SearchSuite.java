package org.crmkit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.Hit;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.search.lucene.internal.IndexDocuments;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * CRMKit's search on Lucene against PostgreSQL's {@code pg_trgm} and against raw Lucene fuzzy queries, on the same
 * contacts in one run (default 1,000,000; {@link SearchData}):
 *
 * <ul>
 *   <li>{@code search.index_build}: the engine indexing every contact from the storage (a Crm built on a fresh
 *       index directory, until {@code awaitUpToDate}), against a bare {@code IndexWriter.addDocument} loop over the
 *       same documents (made beforehand with the engine's own mapper and analyzer, outside the timing) and a
 *       commit.</li>
 *   <li>{@code search.vs_pg_trgm.p50|p99}: latency of {@code session.search(text)} within contacts, top 10,
 *       against {@code select id from t where name % ? or email % ? or phone % ? order by greatest(similarity...)
 *       desc limit 10} on a table of the same contacts (name, email, phone digits) with a GIN trigram index on each
 *       column.</li>
 *   <li>{@code search.vs_raw_lucene.p50}: against a Boolean OR of {@code FuzzyQuery} per word (the same edit
 *       distances: 1 for 4-7 letters, 2 from 8, transpositions) on the engine's own index ({@code all.t}), top
 *       10.</li>
 *   <li>{@code search.freshness.p90}: a write's time to become searchable, against raw Lucene's near-real-time
 *       refresh ({@link SearchFreshness}).</li>
 *   <li>{@code RECALL <engine> at1= at10=}: the share of queries whose top 1 / top 10 hold a contact that
 *       answers them.</li>
 * </ul>
 *
 * The benchmark opens the engine's internals ({@code IndexDocuments}, the index directory) only to build the
 * baselines; this is the one module that does. Queries run interleaved, each engine in turn, after a warm-up pass;
 * each query's time goes into its engine's HdrHistogram ({@link Latencies}), which gives the percentiles.
 */
final class SearchSuite implements Suite {
    static final int DEFAULT_SIZE = 1_000_000;
    private static final int DEFAULT_QUERIES = 1_000;
    private static final int TOP = 10;
    /** {@code -Dcrmkit.bench.misses=true}: print each query CRMKit's top 10 misses, with what it found instead. */
    private static final boolean MISSES = Boolean.getBoolean("crmkit.bench.misses");
    /** {@code -Dcrmkit.bench.slowest=N}: print CRMKit's N slowest queries, with their kind and time. */
    private static final int SLOWEST = Integer.getInteger("crmkit.bench.slowest", 0);

    @Override
    public String name() {
        return "search";
    }

    @Override
    public String description() {
        return "Lucene search (typos, sounds, emails, phones) vs pg_trgm and raw Lucene FuzzyQuery; index build vs "
                + "a bare IndexWriter; recall@1/@10";
    }

    @Override
    public int defaultSize() {
        return DEFAULT_SIZE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("queries", "how many queries (default " + DEFAULT_QUERIES + ")");
        return o;
    }

    @Override
    public void check(BenchConfig config) {
        queries(config);
    }

    private static int queries(BenchConfig config) {
        try {
            int n = Integer.parseInt(config.option("queries", Integer.toString(DEFAULT_QUERIES)));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--queries needs a positive number, got '" + config.option("queries", "")
                    + "'");
        }
    }

    private static void note(String format, Object... args) {
        System.err.printf(Locale.ROOT, "# search: " + format + "%n", args);
    }

    @Override
    public void run(BenchConfig config, BenchOutput out) throws Exception {
        String url = BenchDatabase.postgresUrl();
        String problem = BenchDatabase.probe(url);
        if (problem != null) {
            out.skip("search", "PostgreSQL does not answer at " + BenchDatabase.shown(url) + " (" + problem + "); the "
                    + "search suite needs it for the storage and pg_trgm; set " + BenchDatabase.POSTGRES_URL_ENV);
            return;
        }
        long t0 = System.nanoTime();
        List<SearchData.Contact> contacts = SearchData.contacts(config.size(), config.seed());
        List<SearchData.QueryCase> cases = SearchData.queries(contacts, queries(config), config.seed());
        note("%d contacts and %d queries generated in %.1f s", contacts.size(), cases.size(),
                (System.nanoTime() - t0) / 1e9);
        BenchDatabase db = BenchDatabase.postgres(url);
        Path work = Files.createTempDirectory("crmkit-bench-search-");
        try (db) {
            new Run(config, out, db, work, contacts, cases).run();
        } finally {
            delete(work);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One run: load, index, build baselines, query. */
    private static final class Run {
        private final BenchOutput out;
        private final BenchDatabase db;
        private final Path work;
        private final List<SearchData.Contact> contacts;
        private final List<SearchData.QueryCase> cases;
        private final Map<UUID, Integer> rowOf = new HashMap<>();

        Run(BenchConfig config, BenchOutput out, BenchDatabase db, Path work, List<SearchData.Contact> contacts,
                List<SearchData.QueryCase> cases) {
            this.out = out;
            this.db = db;
            this.work = work;
            this.contacts = contacts;
            this.cases = cases;
        }

        void run() throws Exception {
            Path index = work.resolve("index");
            // 1. the contacts, imported through CRMKit (no search engine yet)
            long t0 = System.nanoTime();
            try (Crm crm = Crm.builder().storage(db.crmkitStorage("")).build()) {
                ImportResult r = crm.as(Principal.SYSTEM).records("contact").importRecords("bench-search",
                        contacts.stream().map(SearchData.Contact::values).toList());
                if (!r.errors().isEmpty()) {
                    throw new IllegalStateException(r.errors().size() + " contacts refused, first: "
                            + r.errors().get(0));
                }
                r.createdIds().forEach((row, id) -> rowOf.put(id, (int) (row - 1)));
            }
            note("%d contacts imported into PostgreSQL in %.1f s", contacts.size(), (System.nanoTime() - t0) / 1e9);

            // 2. the engine indexes them from the storage, from an empty directory
            t0 = System.nanoTime();
            Crm crm = Crm.builder().storage(db.crmkitStorage("")).search(LuceneSearch.at(index)).build();
            try {
                if (!crm.admin().searchIndex().awaitUpToDate(Duration.ofHours(2))) {
                    throw new IllegalStateException("index did not catch up");
                }
                long crmkitBuild = System.nanoTime() - t0;
                note("engine indexed %d contacts in %.1f s", contacts.size(), crmkitBuild / 1e9);
                long bareBuild = bareIndexBuild(crm, work.resolve("bare"));
                note("bare IndexWriter over the same documents: %.1f s", bareBuild / 1e9);
                out.report(new BenchLine("search.index_build", crmkitBuild, bareBuild));

                // 3. the pg_trgm baseline table
                String table = db.tablePrefix("trgm") + "contact";
                t0 = System.nanoTime();
                try (Connection c = DriverManager.getConnection(db.url)) {
                    trigramTable(c, table);
                    note("pg_trgm table and GIN indexes built in %.1f s", (System.nanoTime() - t0) / 1e9);
                    try (FSDirectory dir = FSDirectory.open(index);
                            DirectoryReader reader = DirectoryReader.open(dir);
                            PreparedStatement trgm = c.prepareStatement("select id from " + quoted(table) + " where"
                                    + " name % ? or email % ? or phone % ? order by greatest(similarity(name, ?),"
                                    + " similarity(email, ?), similarity(phone, ?)) desc limit " + TOP)) {
                        compare(crm.as(Principal.SYSTEM), trgm, new IndexSearcher(reader), new IndexDocuments()
                                .analyzer());
                    }
                }
                // 4. write to searchable, last: it adds contacts
                out.report(SearchFreshness.measure(crm.as(Principal.SYSTEM), work.resolve("bare"),
                        new IndexDocuments().analyzer()));
            } finally {
                crm.close();
            }
        }

        /** Every contact read back, documents made with the engine's mapper, then only addDocument timed. */
        private long bareIndexBuild(Crm crm, Path dir) throws IOException {
            IndexDocuments docs = new IndexDocuments();
            SchemaSnapshot schema = crm.schema().snapshot();
            ObjectType contact = schema.findObjectType("contact").orElseThrow();
            List<Record> records = new ArrayList<>(contacts.size());
            Query q = Query.all().orderBy(Sort.asc("id")).limit(Query.MAX_LIMIT);
            while (true) {
                Page<Record> page = crm.as(Principal.SYSTEM).records("contact").query(q);
                records.addAll(page.items());
                if (page.nextQuery().isEmpty()) {
                    break;
                }
                q = page.nextQuery().get();
            }
            long timed = 0;
            int chunk = 20_000;
            try (FSDirectory d = FSDirectory.open(dir);
                    IndexWriter w = new IndexWriter(d,
                            new IndexWriterConfig(docs.analyzer()).setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                                    .setRAMBufferSizeMB(64))) {
                for (int i = 0; i < records.size(); i += chunk) {
                    List<Document> batch = new ArrayList<>(chunk);
                    for (Record r : records.subList(i, Math.min(records.size(), i + chunk))) {
                        batch.add(docs.document(schema, contact, r, Map.of()));
                    }
                    long t = System.nanoTime();
                    for (Document doc : batch) {
                        w.addDocument(doc);
                    }
                    timed += System.nanoTime() - t;
                }
                long t = System.nanoTime();
                w.commit();
                timed += System.nanoTime() - t;
            }
            return timed;
        }

        private void trigramTable(Connection c, String table) throws SQLException {
            String source = quoted(db.tablePrefix("") + "crm_contact");
            try (Statement s = c.createStatement()) {
                s.execute("create extension if not exists pg_trgm");
                s.execute("create table " + quoted(table) + " as select id, first_name || ' ' || last_name as name,"
                        + " lower(email) as email, regexp_replace(phone, '[^0-9]', '', 'g') as phone from " + source
                        + " where deleted_at is null");
                for (String col : List.of("name", "email", "phone")) {
                    s.execute("create index " + quoted(table + "_" + col) + " on " + quoted(table)
                            + " using gin (" + col + " gin_trgm_ops)");
                }
                s.execute("analyze " + quoted(table));
            }
        }

        private static String quoted(String name) {
            return "\"" + name.replace("\"", "\"\"") + "\"";
        }

        /** The three engines on every query, in turn, after a warm-up pass; then the lines. */
        private void compare(CrmSession session, PreparedStatement trgm, IndexSearcher raw, Analyzer analyzer)
                throws Exception {
            int n = cases.size();
            SearchScores crmkit = new SearchScores("crmkit", n, TOP);
            SearchScores pg = new SearchScores("pg_trgm", n, TOP);
            SearchScores lucene = new SearchScores("lucene_fuzzy", n, TOP);
            long[] crmkitNanos = new long[n];
            int warm = Math.min(n, 200);
            for (int i = 0; i < warm; i++) {
                crmkitQuery(session, cases.get(i).text());
                trgmQuery(trgm, cases.get(i).text());
                rawQuery(raw, analyzer, cases.get(i).text());
            }
            for (int i = 0; i < n; i++) {
                SearchData.QueryCase qc = cases.get(i);
                for (int k = 0; k < 3; k++) {
                    switch ((i + k) % 3) {
                        case 0 -> {
                            long t = System.nanoTime();
                            List<Integer> hits = crmkitQuery(session, qc.text());
                            crmkitNanos[i] = System.nanoTime() - t;
                            crmkit.record(i, crmkitNanos[i], hits, qc);
                            if (MISSES && !crmkit.answeredInTop(i)) {
                                System.err.printf("# miss %s '%s' answers %s got %s%n", qc.kind(), qc.text(),
                                        qc.answers().stream().limit(3).map(r -> contacts.get(r).first() + " "
                                                + contacts.get(r).last()).toList(),
                                        hits.stream().limit(5).map(r -> r < 0
                                                ? "?" : contacts.get(r).first() + " " + contacts.get(r).last())
                                                .toList());
                            }
                        }
                        case 1 -> {
                            long t = System.nanoTime();
                            List<Integer> hits = trgmQuery(trgm, qc.text());
                            pg.record(i, System.nanoTime() - t, hits, qc);
                        }
                        default -> {
                            long t = System.nanoTime();
                            List<Integer> hits = rawQuery(raw, analyzer, qc.text());
                            lucene.record(i, System.nanoTime() - t, hits, qc);
                        }
                    }
                }
            }
            printSlowest(crmkitNanos);
            for (SearchScores e : List.of(crmkit, pg, lucene)) {
                note("%s: p50 %.2f ms, p99 %.2f ms; recall@1 %.3f, recall@10 %.3f; by kind %s", e.name,
                        e.percentile(50) / 1e6, e.percentile(99) / 1e6, e.recall(1), e.recall(TOP), e.byKind());
            }
            out.report(new BenchLine("search.vs_pg_trgm.p50", crmkit.percentile(50), pg.percentile(50)));
            out.report(new BenchLine("search.vs_pg_trgm.p99", crmkit.percentile(99), pg.percentile(99)));
            out.report(new BenchLine("search.vs_raw_lucene.p50", crmkit.percentile(50), lucene.percentile(50)));
            for (SearchScores e : List.of(crmkit, pg, lucene)) {
                System.out.printf(Locale.ROOT, "RECALL %s at1=%.3f at10=%.3f%n", e.name, e.recall(1), e.recall(TOP));
            }
            for (SearchScores e : List.of(crmkit, pg, lucene)) {
                for (SearchData.Kind k : SearchData.Kind.values()) {
                    System.out.printf(Locale.ROOT, "RECALL %s kind=%s %s%n", e.name, k.name().toLowerCase(Locale.ROOT),
                            e.recall(qc -> qc.kind() == k));
                }
                System.out.printf(Locale.ROOT, "RECALL %s kind=world_names %s%n", e.name,
                        e.recall(SearchData.QueryCase::world));
            }
            System.out.flush();
        }

        private void printSlowest(long[] nanos) {
            if (SLOWEST <= 0) {
                return;
            }
            Integer[] order = new Integer[nanos.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
            for (int k = 0; k < Math.min(SLOWEST, order.length); k++) {
                SearchData.QueryCase qc = cases.get(order[k]);
                System.err.printf("# slow %.2f ms %s '%s'%n", nanos[order[k]] / 1e6, qc.kind(), qc.text());
            }
        }

        private List<Integer> crmkitQuery(CrmSession session, String text) {
            List<Integer> rows = new ArrayList<>(TOP);
            for (Hit h : session.search(SearchQuery.of(text).types("contact").limit(TOP)).hits()) {
                rows.add(rowOf.getOrDefault(h.id(), -1));
            }
            return rows;
        }

        private List<Integer> trgmQuery(PreparedStatement ps, String text) throws SQLException {
            String digits = SearchData.digits(text);
            String phone = digits.length() >= 4 ? digits : text;
            String lower = text.toLowerCase(Locale.ROOT);
            ps.setString(1, lower);
            ps.setString(2, lower);
            ps.setString(3, phone);
            ps.setString(4, lower);
            ps.setString(5, lower);
            ps.setString(6, phone);
            List<Integer> rows = new ArrayList<>(TOP);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rowOf.getOrDefault(rs.getObject(1, UUID.class), -1));
                }
            }
            return rows;
        }

        /** Raw Lucene: a FuzzyQuery per folded word on the combined field, any of them, top 10. */
        private List<Integer> rawQuery(IndexSearcher searcher, Analyzer analyzer, String text) throws IOException {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            try (TokenStream ts = analyzer.tokenStream("t.raw", text)) {
                CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                ts.reset();
                while (ts.incrementToken()) {
                    String w = term.toString();
                    int edits = w.length() < 4 ? 0 : w.length() < 8 ? 1 : 2;
                    b.add(edits == 0 ? new TermQuery(new Term("all.t", w))
                            : new FuzzyQuery(new Term("all.t", w), edits, 0, 50, true), BooleanClause.Occur.SHOULD);
                }
                ts.end();
            }
            StoredFields stored = searcher.storedFields();
            List<Integer> rows = new ArrayList<>(TOP);
            for (ScoreDoc sd : searcher.search(b.build(), TOP).scoreDocs) {
                rows.add(rowOf.getOrDefault(UUID.fromString(stored.document(sd.doc).get("_id")), -1));
            }
            return rows;
        }
    }
}
