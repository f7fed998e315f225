package org.crmkit.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.tests.store.MockDirectoryWrapper;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.search.Highlight;
import org.crmkit.search.Hit;
import org.crmkit.search.SearchIndexHealth;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.crmkit.search.lucene.internal.LuceneBackend;
import org.crmkit.search.lucene.internal.LuceneSettings;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The index under I/O faults, injected by Lucene's {@link MockDirectoryWrapper} under the index: random I/O
 * exceptions on writes and opens, and a full disk. Writes through the {@code Crm} go on (the storage is the source of
 * truth); the index reports itself unhealthy, and searches run through the storage meanwhile, with the caller's
 * access; when the fault ends the index reports healthy, catches up with every record written meanwhile, and
 * {@link CheckIndex} finds its files intact (MockDirectoryWrapper checks again on close, after simulating a crash
 * that loses every file not synced). Seeded: the seed is printed and named in a failure; {@code -Dcrmkit.faultSeed}
 * replays one. No assertion on time: each wait is on a condition, with a generous bound against a hang.
 */
class LuceneFaultTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(90);

    private long seed;
    private Random names;
    private MockDirectoryWrapper dir;
    private Crm crm;

    @BeforeEach
    void open() {
        Long fixed = Long.getLong("crmkit.faultSeed");
        seed = fixed != null ? fixed : new Random().nextLong();
        System.out.println("LuceneFaultTest seed " + seed + " (replay with -Dcrmkit.faultSeed=" + seed + ")");
        names = new Random(seed);
        dir = new MockDirectoryWrapper(new Random(seed), new ByteBuffersDirectory());
        dir.setThrottling(MockDirectoryWrapper.Throttling.NEVER);
        dir.setUseSlowOpenClosers(false);
        // through the package-private seam: the public builder takes no Lucene Directory
        LuceneSearch search = new LuceneSearch(new LuceneBackend(new LuceneSettings(null, Duration.ofMillis(20),
                Duration.ofMillis(50), 100, 16), dir));
        crm = Crm.builder().storage(InMemoryStorage.create()).search(search).build();
    }

    @AfterEach
    void close() throws IOException {
        if (crm != null) {
            crm.close();
        }
        dir.setRandomIOExceptionRate(0);
        dir.setRandomIOExceptionRateOnOpen(0);
        dir.setMaxSizeInBytes(0);
        dir.close(); // fails on a file left open, and runs CheckIndex once more after a simulated crash
    }

    @Test
    void randomIoExceptionsMakeTheIndexUnhealthyUntilTheyStopThenItCatchesUpWithEveryWrite() {
        replayable(() -> {
            List<Record> before = contacts("Steady", 20);
            awaitUpToDate();
            assertThat(health().healthy()).isTrue();
            assertThat(health().lag()).isZero();

            dir.setRandomIOExceptionRate(0.2);
            dir.setRandomIOExceptionRateOnOpen(0.2);
            List<Record> during = new ArrayList<>();
            // writes go on, each of them acknowledged, until the index has met a fault
            waitFor("the index reports a fault", () -> {
                during.addAll(contacts("Stormy", 3));
                return !health().healthy();
            });
            during.addAll(contacts("Stormy", 20));
            for (int i = 0; i < 5; i++) {
                SearchResult r = system().search(SearchQuery.of("stormy"));
                if (r.engine().equals("storage")) {
                    assertThat(r.total()).as("the storage search is up to date").isEqualTo(during.size());
                }
            }
            assertThat(health().failure()).hasValueSatisfying(f -> {
                assertThat(f.exception()).isNotBlank();
                assertThat(f.message()).doesNotContain("Stormy", "Steady");
            });

            dir.setRandomIOExceptionRate(0);
            dir.setRandomIOExceptionRateOnOpen(0);
            waitFor("the index reports healthy again", () -> health().healthy());
            awaitUpToDate();
            assertEverythingFound("stormy", during);
            assertEverythingFound("steady", before);
            assertThat(health().lag()).isZero();
            assertThat(health().failure()).as("the last failure is kept after recovery").isPresent();
        });
    }

    @Test
    void aFullDiskSendsSearchesToTheStorageWithTheCallersAccessUntilThereIsSpaceAgain() {
        replayable(() -> {
            List<Record> before = contacts("Roomy", 10);
            awaitUpToDate();
            dir.setMaxSizeInBytes(1); // no space left for any write
            List<Record> during = new ArrayList<>();
            waitFor("the index reports a full disk", () -> {
                during.addAll(contacts("Cramped", 2));
                return !health().healthy();
            });
            Record secret = system().records("contact").create(Map.of("first_name", "Quillon", "last_name",
                    "Cramped", "email", "quillon.secret@hidden.org"));
            during.add(secret);
            SearchIndexHealth sick = health();
            assertThat(sick.healthy()).isFalse();
            assertThat(sick.lag()).as("the index lags the change log").isPositive();
            assertThat(sick.failure()).hasValueSatisfying(f -> {
                assertThat(f.exception()).isEqualTo(IOException.class.getName());
                assertThat(f.message()).isEqualTo("the disk is full: the index cannot be written");
            });

            SearchResult all = system().search(SearchQuery.of("cramped"));
            assertThat(all.engine()).as("searches run through the storage").isEqualTo("storage");
            assertThat(all.total()).as("the storage search is up to date").isEqualTo(during.size());

            Role noEmail = Role.builder("no_email").grant("contact", RecordScope.ALL, Permission.READ)
                    .field("contact", "email", FieldAccess.HIDDEN).field("contact", "last_name", FieldAccess.HIDDEN)
                    .build();
            CrmSession caller = crm.as(Principal.user("u-9", noEmail));
            assertThat(caller.search(SearchQuery.of("hidden.org")).total()).as("hidden field not matched").isZero();
            assertThat(caller.search(SearchQuery.of("cramped")).total()).as("hidden name not matched").isZero();
            SearchResult seen = caller.search(SearchQuery.of("quillon"));
            assertThat(seen.engine()).isEqualTo("storage");
            assertThat(seen.hits()).singleElement().satisfies(hit -> {
                assertThat(hit.id()).isEqualTo(secret.id());
                assertThat(hit.title()).as("only the visible name field").isEqualTo("Quillon");
                assertThat(hit.highlights()).extracting(Highlight::field).doesNotContain("email", "last_name");
                assertThat(hit.highlights()).extracting(Highlight::text)
                        .noneMatch(t -> t.contains("secret") || t.contains("Cramped"));
            });

            dir.setMaxSizeInBytes(0);
            waitFor("the index reports healthy again", () -> health().healthy());
            awaitUpToDate();
            assertEverythingFound("cramped", during);
            assertEverythingFound("roomy", before);
            assertThat(caller.search(SearchQuery.of("hidden.org")).total()).isZero();
            assertThat(caller.search(SearchQuery.of("cramped")).total()).isZero();
            assertThat(caller.search(SearchQuery.of("quillon")).hits()).singleElement()
                    .satisfies(h -> assertThat(h.title()).isEqualTo("Quillon"));
        });
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private CrmSession system() {
        return crm.as(Principal.SYSTEM);
    }

    private SearchIndexHealth health() {
        return crm.admin().searchIndex().health();
    }

    private List<Record> contacts(String lastName, int n) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(system().records("contact").create(Map.of("first_name", uniqueName(), "last_name", lastName)));
        }
        return out;
    }

    /** Ten random letters: no other name is within two edits of it, so a search for it finds its record first. */
    private String uniqueName() {
        StringBuilder b = new StringBuilder("X");
        for (int i = 0; i < 10; i++) {
            b.append((char) ('a' + names.nextInt(26)));
        }
        return b.toString();
    }

    private void awaitUpToDate() {
        assertThat(crm.admin().searchIndex().awaitUpToDate(HANG_GUARD)).as("index caught up").isTrue();
    }

    /** Every record is found by the index, once: by the shared word (the total) and by its own first name. */
    private void assertEverythingFound(String word, List<Record> records) {
        SearchResult r = system().search(SearchQuery.of(word));
        assertThat(r.engine()).isEqualTo("lucene");
        assertThat(r.total()).as("every " + word + " record, once").isEqualTo(records.size());
        for (Record rec : records) {
            SearchResult one = system().search(SearchQuery.of(String.valueOf(rec.get("first_name"))).limit(5));
            assertThat(one.engine()).isEqualTo("lucene");
            assertThat(one.hits()).extracting(Hit::id).as("found by its own name").contains(rec.id());
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("hung waiting until " + what).isTrue();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** Runs the body, then checks the committed index on the closed Crm; a failure names the seed. */
    private void replayable(Runnable body) {
        try {
            body.run();
            crm.close();
            crm = null;
            try (CheckIndex check = new CheckIndex(dir)) {
                CheckIndex.Status status = check.checkIndex();
                assertThat(status.clean).as("CheckIndex finds no corruption").isTrue();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("seed " + seed, e);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed with seed " + seed + " (replay with -Dcrmkit.faultSeed=" + seed + "): "
                    + e.getMessage(), e);
        }
    }
}
