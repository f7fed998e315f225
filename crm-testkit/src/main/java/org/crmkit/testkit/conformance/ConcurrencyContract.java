package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Optimistic concurrency: stale versions conflict, racing writers never lose an update. The ten-minute timeout only
 * catches a hang: no test here depends on how fast the machine is.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
public abstract class ConcurrencyContract extends ConformanceContract {
    private static final int THREADS = 4;
    private static final int INCREMENTS = 200;

    @BeforeEach
    void widget() {
        defineWidget();
    }

    @Test
    void staleVersionConflictsWithDetails() {
        Record w = records(WIDGET).create(Map.of("name", "w", "qty", 1));
        Record v2 = records(WIDGET).update(w, Map.of("qty", 2));
        long seq = crm().changeLog().lastSequence();
        assertThatThrownBy(() -> records(WIDGET).update(w, Map.of("qty", 3)))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.recordId()).isEqualTo(w.id());
                    assertThat(e.objectType()).isEqualTo(WIDGET);
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        assertThatThrownBy(() -> records(WIDGET).delete(w.id(), 1)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> records(WIDGET).update(w.id(), 3, Map.of("qty", 3)))
                .isInstanceOf(ConflictException.class);
        assertThat(records(WIDGET).get(w.id())).isEqualTo(v2);
        assertThat(crm().changeLog().lastSequence()).isEqualTo(seq);
    }

    @Test
    void racingReadModifyWriteLosesNoUpdate() throws Exception {
        Record w = records(WIDGET).create(Map.of("name", "counter", "qty", 0));
        long seq = crm().changeLog().lastSequence();
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        inParallel(THREADS, thread -> {
            for (int i = 0; i < INCREMENTS; i++) {
                while (true) {
                    Record current = records(WIDGET).get(w.id());
                    try {
                        records(WIDGET).update(current,
                                Map.of("qty", java.util.Objects.requireNonNull(current.getLong("qty")) + 1));
                        successes.incrementAndGet();
                        break;
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    }
                }
            }
        });
        Record end = records(WIDGET).get(w.id());
        assertThat(end.getLong("qty")).isEqualTo((long) THREADS * INCREMENTS);
        assertThat(successes.get()).isEqualTo(THREADS * INCREMENTS);
        assertThat(end.version()).isEqualTo(1L + THREADS * INCREMENTS);
        List<ChangeLogEntry> log = logAfter(seq);
        assertThat(log).hasSize(THREADS * INCREMENTS);
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).version()).isEqualTo(i + 2L);
        }
    }

    @Test
    void concurrentTransactionsOnOneRecordConflictAtCommit() throws Exception {
        Record w = records(WIDGET).create(Map.of("name", "w", "qty", 0));
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> slow = pool.submit(() -> system().inTransactionDo(s -> {
                s.records(WIDGET).update(w, Map.of("qty", 1, "notes", "slow"));
                written.countDown();
                await(otherCommitted);
            }));
            assertThat(written.await(2, TimeUnit.MINUTES)).isTrue();
            Record fast = system().inTransaction(s -> s.records(WIDGET).update(w, Map.of("qty", 2)));
            otherCommitted.countDown();
            assertThatThrownBy(() -> slow.get(2, TimeUnit.MINUTES)).hasCauseInstanceOf(ConflictException.class);
            Record end = records(WIDGET).get(w.id());
            assertThat(end).isEqualTo(fast);
            assertThat(end.getLong("qty")).isEqualTo(2L);
            assertThat(end.has("notes")).isFalse();
            assertThat(records(WIDGET).timeline(w.id())).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCreatesOfOneUniqueValueLetExactlyOneWin() throws Exception {
        int n = 8;
        AtomicInteger won = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        inParallel(n, k -> {
            try {
                records(WIDGET).create(Map.of("name", "w" + k, "code", "SAME"));
                won.incrementAndGet();
            } catch (ValidationException e) {
                assertThat(hasError(e, "code", FieldErrorCode.NOT_UNIQUE)).isTrue();
                refused.incrementAndGet();
            }
        });
        assertThat(won.get()).isEqualTo(1);
        assertThat(refused.get()).isEqualTo(n - 1);
        assertThat(records(WIDGET).count(Filters.where("code").eq("SAME"))).isEqualTo(1);
    }

    @Test
    void listenersSeeConcurrentCommitsInSequenceOrder() throws Exception {
        List<Long> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
        long seq = crm().changeLog().lastSequence();
        AutoCloseable subscription = crm().changeLog().subscribe(batch -> {
            for (ChangeLogEntry e : batch) {
                delivered.add(e.sequence());
            }
            crm().changeLog().lastSequence(); // some work, as a real listener does, while others commit
        });
        try {
            inParallel(THREADS, thread -> {
                for (int i = 0; i < INCREMENTS / 2; i++) {
                    records(WIDGET).create(Map.of("name", "t" + thread + "-" + i, "qty", i));
                }
            });
        } finally {
            subscription.close();
        }
        List<Long> logged = logAfter(seq).stream().map(ChangeLogEntry::sequence).toList();
        assertThat(logged).hasSize(THREADS * INCREMENTS / 2);
        assertThat(List.copyOf(delivered)).isEqualTo(logged);
    }

    /** What one of {@link #inParallel}'s threads does, given its number. */
    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /**
     * Runs {@code body} on {@code threads} threads that start together, and waits for all of them (no time limit:
     * the suite runs on busy machines; the class's ten-minute {@code @Timeout} only catches a hang), rethrowing the first
     * failure.
     */
    private static void inParallel(int threads, ThreadBody body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
