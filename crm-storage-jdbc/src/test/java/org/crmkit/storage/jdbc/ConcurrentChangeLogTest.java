package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's writers commit side by side (ConcurrentSequencer): a commit does not wait for another that took its
 * change-log sequence first, and still no reader of the change log passes an entry being committed. A writer mid-commit
 * is played by a plain connection that takes a sequence the way the storage does and then holds its transaction open.
 */
class ConcurrentChangeLogTest {
    /** The first key of CRMKit's advisory locks ("CRMK"); the second is the hash of the change log's table name. */
    private static final int LOCK_CLASS = 0x43524d4b;

    @Test
    void aReaderWaitsForAnEntryBeingCommittedWhileOtherWritersGoOn() throws Exception {
        for (boolean commits : new boolean[] {true, false}) {
            try (TestStore store = TestStore.create(TestDatabase.POSTGRES);
                    Crm crm = Crm.builder().storage(store.open()).build();
                    Connection held = DriverManager.getConnection(store.url)) {
                RecordSet items = items(crm);
                items.create(Map.of("name", "before"));
                long before = crm.changeLog().lastSequence();

                held.setAutoCommit(false);
                long inFlight = takeSequence(held, store.prefix);
                ExecutorService pool = Executors.newCachedThreadPool();
                try {
                    // a writer that took its sequence later commits without waiting for the one in flight
                    pool.submit(() -> items.create(Map.of("name", "later"))).get(60, TimeUnit.SECONDS);
                    long later = newestSequence(held, store.prefix);
                    assertThat(later).isGreaterThan(inFlight);

                    Future<List<ChangeLogEntry>> read = pool.submit(() -> crm.changeLog().read(before, 100));
                    awaitReaderWaiting(store, read, 1);
                    Future<Long> newest = pool.submit(() -> crm.changeLog().lastSequence());
                    awaitReaderWaiting(store, newest, 2);
                    if (commits) {
                        insertEntry(held, store.prefix, inFlight);
                        held.commit();
                    } else {
                        held.rollback(); // a gap for ever: the reader passes it once nothing is in flight below it
                    }
                    List<Long> sequences = read.get(60, TimeUnit.SECONDS).stream().map(ChangeLogEntry::sequence)
                            .toList();
                    assertThat(sequences).as("committed: %s", commits)
                            .containsExactlyElementsOf(commits ? List.of(inFlight, later) : List.of(later));
                    assertThat(newest.get(60, TimeUnit.SECONDS)).as("the newest final sequence").isEqualTo(later);
                    assertThat(crm.changeLog().lastSequence()).isEqualTo(later);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void aReaderTailingTheLogUnderConcurrentWritersMissesNothing() throws Exception {
        try (TestStore store = TestStore.create(TestDatabase.POSTGRES);
                Crm crm = Crm.builder().storage(store.open()).build()) {
            RecordSet items = items(crm);
            int writers = 6;
            int each = 60;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        var r = items.create(Map.of("name", writer + "-" + i));
                        items.update(r.id(), r.version(), Map.of("name", writer + "-" + i + "!"));
                    }
                }));
            }
            List<Long> seen = new ArrayList<>();
            long position = 0;
            while (true) {
                boolean writing = done.stream().anyMatch(f -> !f.isDone());
                List<ChangeLogEntry> page = crm.changeLog().read(position, 37);
                for (ChangeLogEntry e : page) {
                    seen.add(e.sequence());
                    position = e.sequence();
                }
                if (!writing && page.isEmpty()) {
                    break;
                }
            }
            for (Future<?> f : done) {
                f.get(); // a writer's failure fails the test
            }
            pool.shutdown();
            List<Long> all = crm.changeLog().read(0, 100_000).stream().map(ChangeLogEntry::sequence).toList();
            assertThat(all).hasSize(writers * each * 2);
            assertThat(seen).as("what the tailing reader saw, in order").isEqualTo(all);
        }
    }

    private static RecordSet items(Crm crm) {
        crm.schema().addObjectType(ObjectType.custom("item", "Item", Field.text("name")));
        return crm.as(Principal.SYSTEM).records("item");
    }

    /** What a committing writer does first: the shared lock, then the next sequence. */
    private static long takeSequence(Connection c, String prefix) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select nextval('\"" + prefix + "crmkit_change_log_seq\"') "
                + "from (select pg_advisory_xact_lock_shared(?, ?)) l")) {
            s.setInt(1, LOCK_CLASS);
            s.setInt(2, (prefix + "crmkit_change_log").hashCode());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void insertEntry(Connection c, String prefix, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into " + prefix + "crmkit_change_log (seq, tx_id, "
                + "occurred_at, principal_id, object_type, record_id, operation, version, changes_json) values "
                + "(?, ?, now(), 'system', 'item', ?, 'DELETE', 2, '[]')")) {
            s.setLong(1, seq);
            s.setObject(2, UUID.randomUUID());
            s.setObject(3, UUID.randomUUID());
            s.executeUpdate();
        }
    }

    private static long newestSequence(Connection c, String prefix) throws SQLException {
        try (Connection other = DriverManager.getConnection(c.getMetaData().getURL());
                ResultSet rs = other.createStatement().executeQuery("select max(seq) from " + prefix
                        + "crmkit_change_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits until the reader waits for the advisory lock (it found the in-flight sequence missing), the
     * {@code waiters}th to wait, failing if it returned first: then it passed an entry still being committed.
     */
    private static void awaitReaderWaiting(TestStore store, Future<?> read, int waiters) throws Exception {
        int key = (store.prefix + "crmkit_change_log").hashCode();
        try (Connection c = DriverManager.getConnection(store.url);
                PreparedStatement s = c.prepareStatement("select count(*) from pg_locks where locktype = 'advisory'"
                        + " and not granted and classid::bigint = ? and objid::bigint = ?")) {
            s.setLong(1, LOCK_CLASS);
            s.setLong(2, key & 0xffffffffL);
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < deadline;) {
                if (read.isDone()) {
                    throw new AssertionError("the reader returned while an earlier entry was being committed: "
                            + read.get());
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= waiters) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the reader neither returned nor waited for the lock");
        }
    }
}
