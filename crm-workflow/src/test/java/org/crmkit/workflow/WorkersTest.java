package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.crmkit.Crm;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/** Worker threads, submitted jobs, heartbeats that keep a long job's claim, and the builder's checks. */
class WorkersTest {
    private static void await(Workflow w, long done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (w.jobs().counts().get(JobView.Status.DONE) < done && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void workerThreadsRunSubmittedJobsOnceEachAndKeysDedupe() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        Workflow w = Workflow.builder().workers(3).pollInterval(Duration.ofMillis(10))
                .action("mark", c -> {
                    runs.incrementAndGet();
                    seen.add(c.parameters().get("n"));
                }).build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).workflow(w).build()) {
            for (int i = 0; i < 200; i++) {
                w.jobs().submit("mark", Map.of("n", "" + i), "job-" + i, Instant.now());
            }
            UUID first = w.jobs().submit("mark", Map.of("n", "again"), "job-0", Instant.now());
            await(w, 200);
            assertThat(runs.get()).isEqualTo(200);
            assertThat(seen).hasSize(200).doesNotContain("again");
            assertThat(w.jobs().find(first)).hasValueSatisfying(j -> assertThat(j.key()).isEqualTo("submit:job-0"));
            assertThatThrownBy(() -> w.jobs().submit("unknown", Map.of(), "k", Instant.now()))
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.hasErrorOn("action")).isTrue());
        }
    }

    @Test
    void aDuplicateOrAMergedRecordIsAPermanentFailureNotRetried() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Workflow w = Workflow.builder().workers(1).pollInterval(Duration.ofMillis(10))
                .retry(new RetryPolicy(5, Duration.ofMillis(1), 1, Duration.ofMillis(1), 0))
                .action("dup", c -> {
                    runs.incrementAndGet();
                    throw new CrmException(ErrorCode.valueOf(c.parameters().get("code")), "refused");
                }).build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).workflow(w).build()) {
            w.jobs().submit("dup", Map.of("code", "DUPLICATE"), "dup-1", Instant.now());
            w.jobs().submit("dup", Map.of("code", "RECORD_MERGED"), "dup-2", Instant.now());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (w.jobs().counts().get(JobView.Status.DEAD) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(w.jobs().list(JobView.Status.DEAD, 10)).hasSize(2)
                    .allSatisfy(j -> assertThat(j.attempts()).as("dead after the first attempt").isEqualTo(1));
            assertThat(runs.get()).isEqualTo(2);
        }
    }

    @Test
    void heartbeatsKeepTheClaimOfAJobLongerThanItsLease() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Workflow w = Workflow.builder().workers(2).pollInterval(Duration.ofMillis(10))
                // the job runs 2.5 leases long; heartbeats every 100 ms keep it (a heartbeat would have to come
                // 1.9 s late, as on a machine whose cores are all busy, for the claim to lapse)
                .lease(Duration.ofSeconds(2), Duration.ofMillis(100))
                .action("slow", c -> {
                    runs.incrementAndGet();
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).workflow(w).build()) {
            w.jobs().submit("slow", Map.of(), "slow-1", Instant.now());
            await(w, 1);
            assertThat(runs.get()).as("never claimed a second time while running").isEqualTo(1);
            assertThat(w.jobs().list(JobView.Status.DONE, 1)).singleElement()
                    .satisfies(j -> assertThat(j.attempts()).isEqualTo(1));
        }
    }

    @Test
    void withKeepDoneZeroFinishedJobsAreDeletedAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        Workflow w = Workflow.builder().workers(0).keepDone(Duration.ZERO).action("mark", c -> runs.incrementAndGet())
                .build();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).workflow(w).build()) {
            UUID id = w.jobs().submit("mark", Map.of(), "once", Instant.now());
            assertThat(w.jobs().runDue()).isEqualTo(1);
            assertThat(w.jobs().find(id)).isEmpty();
            assertThat(w.jobs().counts().values().stream().mapToLong(Long::longValue).sum()).isZero();
            assertThat(runs.get()).isEqualTo(1);
        }
    }

    @Test
    void theBuilderReportsEveryProblemAndTheWorkflowNeedsAJobQueue() {
        assertThatThrownBy(() -> Workflow.builder().workers(-1).maxDepth(0).lease(Duration.ofSeconds(1),
                Duration.ofSeconds(2)).action("Bad Name", c -> {}).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                        .contains("workers").contains("max depth").contains("lease").contains("Bad Name"));
        Workflow w = Workflow.defaults();
        assertThatThrownBy(() -> w.rules().list()).hasMessageContaining("not started");
        org.crmkit.storage.spi.Storage bare = new org.crmkit.storage.spi.Storage() {
            private final org.crmkit.storage.spi.Storage inner = org.crmkit.plugin.spi.Installation
                    .storageOf(InMemoryStorage.create());

            @Override
            public org.crmkit.storage.spi.StorageCapabilities capabilities() {
                return inner.capabilities();
            }

            @Override
            public List<org.crmkit.event.ChangeLogEntry> changesOf(String t, UUID id) {
                return inner.changesOf(t, id);
            }

            @Override
            public java.util.Optional<org.crmkit.schema.SchemaSnapshot> loadSchema() {
                return inner.loadSchema();
            }

            @Override
            public List<org.crmkit.schema.SchemaChangeEntry> schemaHistory() {
                return inner.schemaHistory();
            }

            @Override
            public org.crmkit.storage.spi.StorageTransaction begin() {
                return inner.begin();
            }

            @Override
            public List<org.crmkit.event.ChangeLogEntry> readChangeLog(long after, int limit) {
                return inner.readChangeLog(after, limit);
            }

            @Override
            public long lastSequence() {
                return inner.lastSequence();
            }

            @Override
            public java.util.UUID identity() {
                return inner.identity();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
        assertThatThrownBy(
                () -> Crm.builder().install(registry -> registry.storage(bare)).workflow(Workflow.defaults()).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("job queue");
    }
}
