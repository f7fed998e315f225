package org.crmkit.testkit.conformance;

import org.jspecify.annotations.Nullable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.crmkit.error.ConflictException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.spi.JobQueue.ClaimedJob;
import org.crmkit.workflow.spi.JobQueue.JobState;
import org.crmkit.workflow.spi.JobQueue.NewJob;
import org.crmkit.workflow.spi.JobQueue;
import org.junit.jupiter.api.Test;

/**
 * The job queue and document store of a storage (its extensions {@code JobQueue} and {@code DocumentStore}): jobs
 * staged with a transaction, keys that dedupe, claims under a lease that never hand one job to two workers, lease expiry,
 * completion that commits with the caller's transaction or not at all, backoff and dead letters, cancellation by
 * group, counters, and versioned documents with history.
 */
public abstract class JobQueueContract extends ConformanceContract {
    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    private JobQueue queue() {
        return storageUnderTest().extension(JobQueue.class)
                .orElseThrow(() -> new AssertionError("storage keeps no job queue"));
    }

    private DocumentStore documents() {
        return storageUnderTest().extension(DocumentStore.class)
                .orElseThrow(() -> new AssertionError("storage keeps no documents"));
    }

    private void committed(Consumer<StorageTransaction> work) {
        try (StorageTransaction tx = storageUnderTest().begin()) {
            work.accept(tx);
            tx.commit();
        }
    }

    private static NewJob job(String key, Instant runAt) {
        return job(key, null, runAt);
    }

    private static NewJob job(String key, @Nullable String group, Instant runAt) {
        return new NewJob(UUID.randomUUID(), "test", key, group, "{\"k\":\"" + key + "\"}", runAt, T0);
    }

    private void enqueue(NewJob... jobs) {
        committed(tx -> queue().enqueue(tx, List.of(jobs)));
    }

    @Test
    void jobsStagedInARolledBackTransactionNeverExist() {
        try (StorageTransaction tx = storageUnderTest().begin()) {
            queue().enqueue(tx, List.of(job("a", T0)));
            tx.rollback();
        }
        assertThat(queue().claim("w1", 10, T0.plusSeconds(60), T0.plusSeconds(120))).isEmpty();
        enqueue(job("a", T0));
        assertThat(queue().claim("w1", 10, T0.plusSeconds(60), T0.plusSeconds(120))).extracting(ClaimedJob::key)
                .containsExactly("a");
        assertThat(queue().counts()).containsEntry(JobState.RUNNING, 1L).containsEntry(JobState.READY, 0L);
    }

    @Test
    void aKeyHeldByAnyJobIsNotEnqueuedAgain() {
        enqueue(job("k", T0), job("k", T0.plusSeconds(5)));
        enqueue(job("k", T0));
        List<ClaimedJob> claimed = queue().claim("w1", 10, T0.plusSeconds(60), T0.plusSeconds(120));
        assertThat(claimed).hasSize(1);
        complete(claimed.get(0), T0.plusSeconds(61));
        enqueue(job("k", T0));
        assertThat(queue().claim("w1", 10, T0.plusSeconds(100), T0.plusSeconds(200))).isEmpty();
        assertThat(queue().counts()).containsEntry(JobState.DONE, 1L);
        assertThat(queue().findByKey("k")).hasValueSatisfying(i -> assertThat(i.state()).isEqualTo(JobState.DONE));
        assertThat(queue().findByKey("nope")).isEmpty();
    }

    @Test
    void claimsTakeDueJobsEarliestFirstUpToTheLimitAndCountAttempts() {
        enqueue(job("late", T0.plusSeconds(30)), job("first", T0.minusSeconds(10)), job("second", T0),
                job("future", T0.plusSeconds(3600)));
        List<ClaimedJob> first = queue().claim("w1", 2, T0.plusSeconds(40), T0.plusSeconds(100));
        assertThat(first).extracting(ClaimedJob::key).containsExactlyInAnyOrder("first", "second");
        assertThat(first).allSatisfy(j -> {
            assertThat(j.attempt()).isEqualTo(1);
            assertThat(j.worker()).isEqualTo("w1");
            assertThat(j.payload()).isEqualTo("{\"k\":\"" + j.key() + "\"}");
        });
        assertThat(queue().claim("w2", 10, T0.plusSeconds(40), T0.plusSeconds(100))).extracting(ClaimedJob::key)
                .containsExactly("late");
        assertThat(queue().claim("w2", 10, T0.plusSeconds(40), T0.plusSeconds(100))).isEmpty();
        assertThat(queue().find(first.get(0).id())).hasValueSatisfying(i -> {
            assertThat(i.state()).isEqualTo(JobState.RUNNING);
            assertThat(i.worker()).isEqualTo("w1");
            assertThat(i.attempts()).isEqualTo(1);
        });
    }

    @Test
    void concurrentClaimersNeverShareAJob() throws Exception {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(job("j" + i, T0.plusMillis(i)));
        }
        committed(tx -> queue().enqueue(tx, jobs));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String worker = "w" + w;
                results.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (List<ClaimedJob> batch; !(batch = queue().claim(worker, 7, T0.plusSeconds(60),
                            T0.plusSeconds(600))).isEmpty();) {
                        batch.forEach(j -> mine.add(j.key()));
                    }
                    return mine;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : results) {
                all.addAll(f.get());
            }
            assertThat(all).hasSize(300).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredLeaseLetsAnotherWorkerClaimAndFencesTheFirst() {
        enqueue(job("x", T0));
        ClaimedJob first = queue().claim("w1", 1, T0, T0.plusSeconds(10)).get(0);
        assertThat(queue().claim("w2", 1, T0.plusSeconds(9), T0.plusSeconds(20))).isEmpty();
        ClaimedJob second = queue().claim("w2", 1, T0.plusSeconds(11), T0.plusSeconds(30)).get(0);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(queue().heartbeat("w1", List.of(first), T0.plusSeconds(40))).isEmpty();
        assertThat(queue().fail(first, "late", T0.plusSeconds(50), T0.plusSeconds(12))).isFalse();
        assertThatThrownBy(() -> complete(first, T0.plusSeconds(12))).isInstanceOf(ConflictException.class);
        complete(second, T0.plusSeconds(13));
        assertThat(queue().find(first.id()).orElseThrow().state()).isEqualTo(JobState.DONE);
    }

    @Test
    void heartbeatsExtendTheLease() {
        enqueue(job("h", T0));
        ClaimedJob c = queue().claim("w1", 1, T0, T0.plusSeconds(10)).get(0);
        assertThat(queue().heartbeat("w1", List.of(c), T0.plusSeconds(30))).containsExactly(c.id());
        assertThat(queue().claim("w2", 1, T0.plusSeconds(20), T0.plusSeconds(40))).isEmpty();
        assertThat(queue().claim("w2", 1, T0.plusSeconds(31), T0.plusSeconds(40))).hasSize(1);
    }

    private void complete(ClaimedJob job, Instant at) {
        committed(tx -> queue().complete(tx, job, at));
    }

    @Test
    void aCompletionWhoseClaimWasLostRollsBackTheWholeTransaction() {
        enqueue(job("c", T0));
        ClaimedJob stale = queue().claim("w1", 1, T0, T0.plusSeconds(1)).get(0);
        queue().claim("w2", 1, T0.plusSeconds(2), T0.plusSeconds(60));
        assertThatThrownBy(() -> committed(tx -> {
            documents().save(tx, "effect", "c", 0, "{}", "w1", T0);
            queue().enqueue(tx, List.of(job("follow-up", T0)));
            queue().complete(tx, stale, T0.plusSeconds(3));
        })).isInstanceOf(ConflictException.class);
        assertThat(documents().find("effect", "c")).isEmpty();
        assertThat(queue().counts()).containsEntry(JobState.READY, 0L).containsEntry(JobState.RUNNING, 1L);
    }

    @Test
    void failuresWaitForTheirRetryTimeThenDieWithTheLastErrorAndCanBeRetried() {
        enqueue(job("f", T0));
        ClaimedJob c1 = queue().claim("w1", 1, T0, T0.plusSeconds(60)).get(0);
        assertThat(queue().fail(c1, "boom 1", T0.plusSeconds(30), T0.plusSeconds(1))).isTrue();
        assertThat(queue().find(c1.id()).orElseThrow()).satisfies(i -> {
            assertThat(i.state()).isEqualTo(JobState.READY);
            assertThat(i.lastError()).isEqualTo("boom 1");
            assertThat(i.runAt()).isEqualTo(T0.plusSeconds(30));
        });
        assertThat(queue().claim("w1", 1, T0.plusSeconds(29), T0.plusSeconds(90))).isEmpty();
        ClaimedJob c2 = queue().claim("w1", 1, T0.plusSeconds(30), T0.plusSeconds(90)).get(0);
        assertThat(c2.attempt()).isEqualTo(2);
        assertThat(queue().fail(c2, "boom 2", null, T0.plusSeconds(31))).isTrue();
        assertThat(queue().list(JobState.DEAD, 10)).singleElement().satisfies(i -> {
            assertThat(i.key()).isEqualTo("f");
            assertThat(i.lastError()).isEqualTo("boom 2");
            assertThat(i.attempts()).isEqualTo(2);
            assertThat(i.finishedAt()).isEqualTo(T0.plusSeconds(31));
        });
        assertThat(queue().claim("w1", 1, T0.plusSeconds(3600), T0.plusSeconds(3700))).isEmpty();
        assertThat(queue().retry(c2.id(), T0.plusSeconds(100))).isTrue();
        assertThat(queue().retry(c2.id(), T0.plusSeconds(100))).isFalse();
        ClaimedJob again = queue().claim("w1", 1, T0.plusSeconds(100), T0.plusSeconds(200)).get(0);
        assertThat(again.attempt()).isEqualTo(1);
    }

    @Test
    void cancellingAGroupRemovesOnlyItsWaitingJobsAndRollsBack() {
        enqueue(job("g1", "grp", T0), job("g2", "grp", T0.plusSeconds(3600)), job("other", "x", T0));
        ClaimedJob running = queue().claim("w1", 1, T0, T0.plusSeconds(60)).get(0);
        try (StorageTransaction tx = storageUnderTest().begin()) {
            queue().cancel(tx, "grp");
            tx.rollback();
        }
        assertThat(queue().counts().get(JobState.READY)).isEqualTo(2L);
        committed(tx -> assertThat(queue().cancel(tx, "grp")).isEqualTo(running.key().equals("g1") ? 1 : 2));
        assertThat(queue().list(JobState.READY, 10)).extracting(JobQueue.JobInfo::key)
                .containsExactlyElementsOf(running.key().equals("g1") ? List.of("other") : List.of());
        assertThat(queue().find(running.id())).isPresent();
    }

    @Test
    void aJobCompletedWithoutKeepingIsGoneAndItsKeyFree() {
        enqueue(job("gone", T0));
        ClaimedJob c = queue().claim("w1", 1, T0, T0.plusSeconds(60)).get(0);
        committed(tx -> queue().complete(tx, c, T0.plusSeconds(1), false));
        assertThat(queue().find(c.id())).isEmpty();
        assertThat(queue().counts().values().stream().mapToLong(Long::longValue).sum()).isZero();
        enqueue(job("gone", T0.plusSeconds(2)));
        ClaimedJob again = queue().claim("w1", 1, T0.plusSeconds(3), T0.plusSeconds(60)).get(0);
        assertThat(again.key()).isEqualTo("gone");
        queue().claim("w2", 1, T0.plusSeconds(61), T0.plusSeconds(120));
        assertThatThrownBy(() -> committed(tx -> queue().complete(tx, again, T0.plusSeconds(62), false)))
                .isInstanceOf(ConflictException.class);
        assertThat(queue().find(again.id())).isPresent();
    }

    @Test
    void doneJobsArePurgedAfterTheirTime() {
        enqueue(job("p1", T0), job("p2", T0));
        for (ClaimedJob c : queue().claim("w1", 2, T0, T0.plusSeconds(60))) {
            complete(c, c.key().equals("p1") ? T0.plusSeconds(1) : T0.plusSeconds(100));
        }
        assertThat(queue().purgeDone(T0.plusSeconds(50), 10)).isEqualTo(1);
        assertThat(queue().counts()).containsEntry(JobState.DONE, 1L);
    }

    @Test
    void countersCountInTransactions() {
        committed(tx -> {
            assertThat(queue().nextValue(tx, "rr")).isEqualTo(1);
            assertThat(queue().nextValue(tx, "rr")).isEqualTo(2);
        });
        try (StorageTransaction tx = storageUnderTest().begin()) {
            assertThat(queue().nextValue(tx, "rr")).isEqualTo(3);
            tx.rollback();
        }
        committed(tx -> assertThat(queue().nextValue(tx, "rr")).isEqualTo(3));
        committed(tx -> assertThat(queue().nextValue(tx, "other")).isEqualTo(1));
    }

    @Test
    void documentsAreVersionedWithHistoryAndOptimisticSaves() {
        long before = documents().revision("rule");
        committed(tx -> documents().save(tx, "rule", "a", 0, "{\"v\":1}", "admin", T0));
        committed(tx -> documents().save(tx, "rule", "b", 0, "{\"b\":1}", "admin", T0));
        committed(tx -> documents().save(tx, "rule", "a", 1, "{\"v\":2}", "ops", T0.plusSeconds(1)));
        assertThatThrownBy(() -> committed(tx -> documents().save(tx, "rule", "a", 1, "{\"v\":9}", "x", T0)))
                .isInstanceOfSatisfying(CrmException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        try (StorageTransaction tx = storageUnderTest().begin()) {
            documents().save(tx, "rule", "a", 2, "{\"v\":3}", "x", T0);
            tx.rollback();
        }
        assertThat(documents().find("rule", "a")).hasValueSatisfying(d -> {
            assertThat(d.version()).isEqualTo(2);
            assertThat(d.body()).isEqualTo("{\"v\":2}");
            assertThat(d.principalId()).isEqualTo("ops");
        });
        assertThat(documents().revision("rule")).isEqualTo(before + 3);
        assertThat(documents().revisions(java.util.List.of("rule", "never-saved")))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("rule", before + 3, "never-saved", 0L));
        committed(tx -> documents().save(tx, "rule", "b", 1, null, "admin", T0.plusSeconds(2)));
        assertThat(documents().list("rule")).extracting(DocumentStore.StoredDocument::name).containsExactly("a");
        assertThat(documents().find("rule", "b")).isEmpty();
        assertThat(documents().history("rule", "a")).extracting(DocumentStore.StoredDocument::version,
                DocumentStore.StoredDocument::body)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "{\"v\":1}"),
                        org.assertj.core.groups.Tuple.tuple(2L, "{\"v\":2}"));
        assertThat(documents().history("rule", "b")).extracting(DocumentStore.StoredDocument::body)
                .containsExactly("{\"b\":1}", null);
        assertThat(documents().list("other")).isEmpty();
    }

    @Test
    void manyJobsInOneTransaction() {
        List<NewJob> jobs = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            jobs.add(job("m" + i, T0));
            keys.add("m" + i);
        }
        committed(tx -> queue().enqueue(tx, jobs));
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        queue().claim("w", 200, T0.plus(Duration.ofMinutes(1)), T0.plus(Duration.ofMinutes(5)))
                .forEach(c -> claimed.add(c.key()));
        assertThat(new HashSet<>(claimed)).isEqualTo(keys);
    }
}
