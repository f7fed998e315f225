package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.NotFoundException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Optimistic concurrency on a real database under load: many threads doing read-modify-write on one record never
 * lose an update, and every failed attempt is a {@link ConflictException} (no deadlock, lock timeout or raw SQL
 * error leaks through). Racing deletes and purges of one record: exactly one wins.
 *
 * <p>The load is 16 threads x 250 increments by default (on MariaDB about 14 conflicts per success, so some 60,000
 * racing attempts; 1,000 increments took 200 s there for little more certainty); {@code -Dcrmkit.lostUpdate.threads=}
 * and {@code -Dcrmkit.lostUpdate.increments=} change it (for measuring, not for CI).
 */
class LostUpdateTest {
    private static final int THREADS = Integer.getInteger("crmkit.lostUpdate.threads", 16);
    private static final int INCREMENTS = Integer.getInteger("crmkit.lostUpdate.increments", 250);
    private static final String COUNTER = "counter";

    private static Crm crm(TestDatabase db) {
        // one connection per thread plus headroom, so the pool is not what serialises the threads
        Crm crm = Crm.builder().storage(db.newStorage(JdbcStorage.builder().maxPoolSize(THREADS + 4))).build();
        crm.schema().addObjectType(ObjectType.custom(COUNTER, "Counter",
                Field.text("name").required(true), Field.integer("qty")));
        return crm;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void racingReadModifyWriteLosesNoUpdateAndOnlyConflicts(TestDatabase db) throws Exception {
        try (Crm crm = crm(db)) {
            RecordSet counters = crm.as(Principal.SYSTEM).records(COUNTER);
            Record start = counters.create(Map.of("name", "c", "qty", 0));
            long seq = crm.changeLog().lastSequence();
            AtomicLong conflicts = new AtomicLong();
            AtomicInteger successes = new AtomicInteger();
            Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            long t0;
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        RecordSet mine = crm.as(Principal.SYSTEM).records(COUNTER);
                        for (int i = 0; i < INCREMENTS && unexpected.isEmpty(); i++) {
                            while (unexpected.isEmpty()) {
                                try {
                                    Record current = mine.get(start.id());
                                    mine.update(current.id(), current.version(),
                                            Map.of("qty", current.getLong("qty") + 1));
                                    successes.incrementAndGet();
                                    break;
                                } catch (ConflictException e) {
                                    conflicts.incrementAndGet();
                                } catch (RuntimeException e) {
                                    unexpected.add(e);
                                }
                            }
                        }
                        return null;
                    }));
                }
                t0 = System.nanoTime();
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(880, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("LostUpdateTest %s: %d threads x %d increments in %d ms, %d conflicts, %d other%n",
                    db, THREADS, INCREMENTS, millis, conflicts.get(), unexpected.size());
            assertThat(unexpected).as("failed attempts that were not ConflictException").isEmpty();
            long total = (long) THREADS * INCREMENTS;
            Record end = counters.get(start.id());
            assertThat(end.getLong("qty")).isEqualTo(total);
            assertThat(end.version()).isEqualTo(total + 1);
            assertThat(successes.get()).isEqualTo(total);
            // every committed increment is in the change log exactly once, versions 2..total+1 in commit order
            List<ChangeLogEntry> log = logAfter(crm, seq);
            assertThat(log).hasSize((int) total);
            for (int i = 0; i < log.size(); i++) {
                assertThat(log.get(i).version()).isEqualTo(i + 2L);
                assertThat(log.get(i).operation()).isEqualTo(Operation.UPDATE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void racingStaleDeletesLetExactlyOneWin(TestDatabase db) throws Exception {
        try (Crm crm = crm(db)) {
            RecordSet counters = crm.as(Principal.SYSTEM).records(COUNTER);
            for (int round = 0; round < 5; round++) {
                Record r = counters.create(Map.of("name", "d" + round, "qty", 1));
                Record v2 = counters.update(r, Map.of("qty", 2));
                long seq = crm.changeLog().lastSequence();
                // every thread deletes at the version it read; exactly one may win. A loser either read the
                // record live and lost at commit (ConflictException), or already read it deleted: delete() only
                // sees live records, so for it the record is gone (NotFoundException), as in Records.delete.
                Outcomes o = race(8, () -> counters.delete(v2.id(), v2.version()));
                assertThat(o.won()).as("winners, round " + round).isEqualTo(1);
                assertThat(o.unexpected()).as("round " + round).isEmpty();
                assertThat(o.conflicts() + o.notFound()).isEqualTo(7);
                Record deleted = counters.query(Query.where(Filters.where("id").eq(r.id()))
                        .deleted(Query.Deleted.ONLY)).items().get(0);
                assertThat(deleted.version()).isEqualTo(3);
                assertThat(deleted.isDeleted()).isTrue();
                List<ChangeLogEntry> log = logAfter(crm, seq);
                assertThat(log).extracting(ChangeLogEntry::operation).containsExactly(Operation.DELETE);
                // the stale version stays stale afterwards: deleting at version 1 is refused
                assertThat(race(1, () -> counters.delete(r.id(), 1)).won()).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void racingPurgesLetExactlyOneWin(TestDatabase db) throws Exception {
        try (Crm crm = crm(db)) {
            RecordSet counters = crm.as(Principal.SYSTEM).records(COUNTER);
            for (int round = 0; round < 5; round++) {
                Record r = counters.create(Map.of("name", "p" + round, "qty", 1));
                long seq = crm.changeLog().lastSequence();
                // purge takes no version: it purges what it read. A loser read the record and lost at commit
                // (the row is gone: NotFoundException on JDBC, ConflictException in memory) or found nothing.
                Outcomes o = race(8, () -> {
                    counters.purge(r.id());
                    return null;
                });
                assertThat(o.won()).as("winners, round " + round).isEqualTo(1);
                assertThat(o.unexpected()).as("round " + round).isEmpty();
                assertThat(o.conflicts() + o.notFound()).isEqualTo(7);
                assertThat(counters.find(r.id())).isEmpty();
                assertThat(logAfter(crm, seq)).extracting(ChangeLogEntry::operation)
                        .containsExactly(Operation.PURGE);
            }
        }
    }

    private record Outcomes(int won, int conflicts, int notFound, List<Throwable> unexpected) {}

    private static Outcomes race(int n, java.util.concurrent.Callable<?> action) throws Exception {
        AtomicInteger won = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger notFound = new AtomicInteger();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        action.call();
                        won.incrementAndGet();
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    } catch (NotFoundException e) {
                        notFound.incrementAndGet();
                    } catch (RuntimeException e) {
                        unexpected.add(e);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Outcomes(won.get(), conflicts.get(), notFound.get(), List.copyOf(unexpected));
    }

    private static List<ChangeLogEntry> logAfter(Crm crm, long sequence) {
        List<ChangeLogEntry> out = new ArrayList<>();
        long after = sequence;
        while (true) {
            List<ChangeLogEntry> batch = crm.changeLog().read(after, 1000);
            if (batch.isEmpty()) {
                return out;
            }
            out.addAll(batch);
            after = batch.get(batch.size() - 1).sequence();
        }
    }
}
