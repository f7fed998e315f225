package org.crmkit.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.ConfigurationException;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.SearchQuery;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The index as a durable thing: restarts, catching up, corruption, loss, locking, schema changes, freshness. */
class LuceneIndexTest {
    /** How long a test polls for something that must happen eventually before it calls it hung. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private Path index() {
        return dir.resolve("index");
    }

    private static Crm crm(JdbcStorage storage, Path index) {
        return Crm.builder().storage(storage).search(LuceneSearch.at(index)).build();
    }

    private static void awaitIndexed(Crm crm) {
        assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).as("index caught up").isTrue();
    }

    private static long total(Crm crm, String text) {
        awaitIndexed(crm);
        return crm.as(Principal.SYSTEM).search(SearchQuery.of(text)).total();
    }

    private static void contacts(Crm crm, String lastName, int n) {
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        for (int i = 0; i < n; i++) {
            contacts.create(Map.of("first_name", "N" + i, "last_name", lastName));
        }
    }

    @Test
    void refreshesAreCountedAndTimedAndTheFiguresOutliveTheCrm() {
        org.crmkit.search.SearchIndex index;
        try (Crm crm = crm(TestDatabase.H2.newStorage(), index())) {
            index = crm.admin().searchIndex();
            long before = index.refreshStats().refreshes();
            contacts(crm, "Refreshed", 3);
            awaitIndexed(crm);
            org.crmkit.search.RefreshStats after = index.refreshStats();
            assertThat(after.refreshes()).as("the changes were made searchable by refreshes").isGreaterThan(before);
            assertThat(after.totalTime()).isPositive();
        }
        assertThat(index.refreshStats().refreshes()).as("read after close").isPositive();
        try (Crm storageOnly = Crm.builder().storage(TestDatabase.H2.newStorage()).build()) {
            assertThat(storageOnly.admin().searchIndex().refreshStats()).isEqualTo(org.crmkit.search.RefreshStats.NONE);
        }
    }

    @Test
    void aRestartGoesOnFromTheCommittedPositionAndCatchesUpWithChangesMadeMeanwhile() {
        JdbcStorage storage = TestDatabase.H2.newStorage();
        long position;
        try (Crm crm = crm(storage, index())) {
            contacts(crm, "Early", 20);
            awaitIndexed(crm);
            position = crm.changeLog().lastSequence();
        }
        JdbcStorage again = TestDatabase.H2.reopen(storage);
        try (Crm without = Crm.builder().storage(again).build()) {
            contacts(without, "Latecomer", 5);
            RecordSet c = without.as(Principal.SYSTEM).records("contact");
            Record gone = c.query(org.crmkit.query.Filters.where("last_name").eq("Early")).items().get(0);
            c.delete(gone.id(), gone.version());
        }
        try (Crm crm = crm(TestDatabase.H2.reopen(storage), index())) {
            assertThat(crm.admin().searchIndex().appliedSequence()).as("opened at its committed position, not "
                    + "rebuilt").isGreaterThanOrEqualTo(position);
            assertThat(total(crm, "latecomer")).isEqualTo(5);
            assertThat(total(crm, "early")).isEqualTo(19);
        }
    }

    @Test
    void aCorruptIndexIsRebuiltFromTheStorage() throws IOException {
        JdbcStorage storage = TestDatabase.H2.newStorage();
        try (Crm crm = crm(storage, index())) {
            contacts(crm, "Sturdy", 30);
            awaitIndexed(crm);
        }
        Path victim;
        try (Stream<Path> files = Files.list(index())) {
            victim = files.filter(p -> !p.getFileName().toString().startsWith("segments")
                    && !p.getFileName().toString().equals("write.lock"))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xFF);
        }
        try (Crm crm = crm(TestDatabase.H2.reopen(storage), index())) {
            assertThat(victim).as("the corrupt index was detected and cleared on open").doesNotExist();
            assertThat(total(crm, "sturdy")).isEqualTo(30);
        }
    }

    @Test
    void aMissingIndexIsRebuiltFromTheStorage() throws IOException {
        JdbcStorage storage = TestDatabase.H2.newStorage();
        try (Crm crm = crm(storage, index())) {
            contacts(crm, "Phoenix", 12);
            awaitIndexed(crm);
        }
        try (Stream<Path> files = Files.walk(index())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        try (Crm crm = crm(TestDatabase.H2.reopen(storage), index())) {
            assertThat(total(crm, "phoenix")).isEqualTo(12);
        }
    }

    @Test
    void anIndexServesOneCrmAtATime() {
        JdbcStorage storage = TestDatabase.H2.newStorage();
        try (Crm crm = crm(storage, index())) {
            contacts(crm, "Solo", 1);
            JdbcStorage second = TestDatabase.H2.reopen(storage);
            assertThatThrownBy(() -> crm(second, index())).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("in use");
            assertThat(total(crm, "solo")).isEqualTo(1);
        }
    }

    @Test
    void theBuilderReportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> LuceneSearch.builder().pollInterval(Duration.ZERO).commitInterval(null)
                .batchSize(0).ramBufferMb(0).build()).isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.getMessage()).contains("location", "poll interval", "commit interval",
                                "batch size", "RAM buffer"));
    }

    @Test
    void aSchemaChangeReindexesTheTypesItConcerns() {
        try (Crm crm = crm(TestDatabase.H2.newStorage(), index())) {
            crm.schema().addField("contact", Field.text("nickname").searchable(true));
            crm.as(Principal.SYSTEM).records("contact").create(Map.of("last_name", "Vega", "nickname", "Zorro"));
            assertThat(total(crm, "zorro")).isEqualTo(1);
            crm.schema().deleteField("contact", "nickname", DataPolicy.DISCARD_DATA);
            assertThat(total(crm, "zorro")).as("the deleted field's words, also in the combined fields").isZero();
            assertThat(total(crm, "zorr")).isZero();
            assertThat(total(crm, "vega")).isEqualTo(1);
        }
    }

    /**
     * A committed change becomes searchable on the node that made it by itself (near-real-time refresh), without
     * anyone waiting for the index: each of 40 new contacts is found by polling the search. How fast is a benchmark
     * question ({@code search.freshness} in the search suite); the bound here only stops a hung test.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES"})
    void aCommittedChangeBecomesSearchableWithoutWaitingForTheIndex(TestDatabase db) throws InterruptedException {
        try (Crm crm = Crm.builder().storage(db.newStorage()).search(LuceneSearch.inMemory()).build()) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            for (int i = 0; i < 40; i++) {
                String name = "Fresh" + (char) ('a' + i % 26) + (char) ('a' + i / 26) + "x";
                Record created = contacts.create(Map.of("last_name", name));
                long deadline = System.nanoTime() + HANG_GUARD.toNanos();
                while (crm.as(Principal.SYSTEM).search(SearchQuery.of(name)).hits().stream()
                        .noneMatch(h -> h.id().equals(created.id()))) {
                    assertThat(System.nanoTime() < deadline).as("%s never became searchable", name).isTrue();
                    Thread.sleep(1);
                }
            }
        }
    }

    /** Two nodes on one database, each with its own index: each finds what the other wrote. */
    @Test
    void anotherNodesChangesAreFoundAfterItsNextPoll() {
        JdbcStorage a = TestDatabase.POSTGRES.newStorage();
        try (Crm nodeA = Crm.builder().storage(a).search(LuceneSearch.inMemory()).build();
                Crm nodeB = Crm.builder().storage(TestDatabase.POSTGRES.reopen(a)).search(LuceneSearch.builder()
                        .inMemory().pollInterval(Duration.ofMillis(20)).build()).build()) {
            contacts(nodeA, "Roaming", 3);
            assertThat(total(nodeB, "roaming")).isEqualTo(3);
            contacts(nodeB, "Homebound", 2);
            assertThat(total(nodeA, "homebound")).isEqualTo(2);
        }
    }

    /**
     * Closing ends the threads the index started (the indexer and the re-indexer's page readers), so a host that
     * opens and closes Crms leaks none: each is waited for, within a bound that only stops a hung test.
     */
    @Test
    void closingEndsEveryThreadTheIndexStarted() throws InterruptedException {
        Set<Thread> before = searchThreads();
        try (Crm crm = crm(TestDatabase.H2.newStorage(), index())) {
            contacts(crm, "Threadbare", 3);
            List<RebuildProgress> steps = new ArrayList<>();
            crm.admin().searchIndex().rebuild(steps::add);
            assertThat(steps).last().satisfies(p -> assertThat(p.done()).isTrue());
            assertThat(total(crm, "threadbare")).isEqualTo(3);
            assertThat(searchThreads()).as("the indexer runs").anyMatch(t -> !before.contains(t));
        }
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        Set<Thread> left = searchThreads().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            for (Thread t : left) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            left = searchThreads().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
        }
        assertThat(left).as("search threads left running after close").isEmpty();
    }

    private static Set<Thread> searchThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("crmkit-search")).collect(Collectors.toSet());
    }
}
