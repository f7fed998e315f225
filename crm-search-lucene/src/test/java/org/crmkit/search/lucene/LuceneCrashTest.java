package org.crmkit.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.crmkit.Crm;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process writing contacts as fast as it can, with its index committing every few dozen milliseconds, is killed
 * ({@code destroyForcibly}) after a random number of acknowledged commits (it prints a line after each), then a
 * random pause, {@value #DEFAULT_ROUNDS} times; after each kill a new Crm opens the same database and index, catches
 * up, and the database must hold every change the child acknowledged (its change log reaches the last sequence the
 * child printed), and the ids and versions in the index must equal the database's live contacts exactly (no
 * record missing, none extra, none stale, none twice). The kill waits for commits, not for time, so a slow machine
 * changes only where in the index's commit cycle the kill lands. Rounds: system property {@code crmkit.crashRounds}; seed:
 * {@code crmkit.crashSeed}.
 */
class LuceneCrashTest {
    private static final int DEFAULT_ROUNDS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES"})
    @Timeout(value = 60, unit = TimeUnit.MINUTES) // against a hang only
    void killedAtRandomMomentsTheIndexAlwaysMatchesTheDatabaseAfterRestart(TestDatabase db) throws Exception {
        db.requireAvailable();
        String url;
        String prefix;
        if (db == TestDatabase.H2) {
            url = "jdbc:h2:file:" + dir.resolve("crm").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
            prefix = "-";
        } else {
            url = db.url();
            prefix = "crash" + ProcessHandle.current().pid() % 100_000 + "_";
            db.dropTables(prefix);
        }
        Path index = dir.resolve("index");
        long seed = Long.getLong("crmkit.crashSeed", System.nanoTime());
        int rounds = Integer.getInteger("crmkit.crashRounds", DEFAULT_ROUNDS);
        Random random = new Random(seed);
        int records = 0;
        long position = 0;
        try {
            for (int round = 1; round <= rounds; round++) {
                int commits = 1 + random.nextInt(400);
                long pauseMillis = random.nextInt(300);
                long acknowledged = runAndKill(url, prefix, index, seed + round, commits, pauseMillis);
                String what = "round " + round + " of " + db + " (seed " + seed + ", killed " + pauseMillis
                        + " ms after its " + commits + "th commit)";
                Verified v = verify(url, prefix, index, what);
                assertThat(v.position()).as(what + ": the killed process committed changes").isGreaterThan(position);
                assertThat(v.position()).as(what + ": the change log holds every change the killed process "
                        + "acknowledged").isGreaterThanOrEqualTo(acknowledged);
                position = v.position();
                records = v.records();
            }
        } finally {
            if (db != TestDatabase.H2) {
                db.dropTables(prefix);
            }
        }
        System.out.printf("LuceneCrashTest %s: %d kills, index equal to the database after each; %d live contacts "
                + "at the end (seed %d)%n", db, rounds, records, seed);
    }

    /**
     * Starts the child, waits until it has acknowledged {@code commits} commits, lets it write on for
     * {@code pauseMillis}, and kills it; the last change-log sequence it acknowledged. The waits for the child are
     * bounds against a hung child, not speed goals.
     */
    private static long runAndKill(String url, String prefix, Path index, long seed, int commits, long pauseMillis)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                url, prefix, index.toAbsolutePath().toString(), Long.toString(seed))
                .redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        CompletableFuture<Boolean> committed = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicLong lastAcknowledged = new java.util.concurrent.atomic.AtomicLong();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            int acknowledged = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    if (line.equals("ready")) {
                        ready.complete(true);
                    } else if (line.startsWith(CrashChild.COMMITTED)) {
                        lastAcknowledged.accumulateAndGet(
                                Long.parseLong(line.substring(CrashChild.COMMITTED.length())), Math::max);
                        if (++acknowledged >= commits) {
                            committed.complete(true);
                        }
                    } else if (output.length() < 20_000) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process died
            }
            ready.complete(false);
            committed.complete(false);
        });
        reader.start();
        try {
            assertThat(ready.get(10, TimeUnit.MINUTES)).as("child started; its output:\n%s", output).isTrue();
            assertThat(committed.get(10, TimeUnit.MINUTES)).as("child acknowledged %d commits; its output:\n%s",
                    commits, output).isTrue();
            Thread.sleep(pauseMillis);
        } finally {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        return lastAcknowledged.get();
    }

    /** What a verification saw: live contacts and the change log's last sequence. */
    private record Verified(int records, long position) {}

    /** Opens the database and index, lets the index catch up, and compares ids and versions. */
    private static Verified verify(String url, String prefix, Path index, String what) throws IOException {
        JdbcStorage.Builder storage = JdbcStorage.builder().url(url);
        if (!prefix.equals("-")) {
            storage.tablePrefix(prefix);
        }
        Map<UUID, Long> database = new HashMap<>();
        long position;
        try (Crm crm = Crm.builder().storage(storage.build()).search(LuceneSearch.at(index)).build()) {
            position = crm.changeLog().lastSequence();
            assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(120))).as(what + ": caught up")
                    .isTrue();
            Query q = Query.all().orderBy(Sort.asc("id")).limit(Query.MAX_LIMIT);
            while (true) {
                Page<Record> page = crm.as(Principal.SYSTEM).records("contact").query(q);
                page.items().forEach(r -> database.put(r.id(), r.version()));
                if (page.nextQuery().isEmpty()) {
                    break;
                }
                q = page.nextQuery().get();
            }
        }
        Map<UUID, Long> indexed = new HashMap<>();
        List<UUID> twice = new ArrayList<>();
        try (FSDirectory d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                StoredFields stored = leaf.reader().storedFields();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    var document = stored.document(doc);
                    if (!"contact".equals(document.get("_type"))) {
                        continue;
                    }
                    UUID id = UUID.fromString(document.get("_id"));
                    if (indexed.put(id, document.getField("_version").numericValue().longValue()) != null) {
                        twice.add(id);
                    }
                }
            }
        }
        assertThat(twice).as(what + ": records indexed twice").isEmpty();
        assertThat(indexed).as(what + ": index equals database").isEqualTo(database);
        return new Verified(database.size(), position);
    }
}
