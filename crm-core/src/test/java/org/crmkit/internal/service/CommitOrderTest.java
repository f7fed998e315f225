package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.storage.spi.CommitSequencing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finished commits reach the listeners in sequence order, and wait only for running commits that may hold a lower
 * sequence: with a storage that reports when it takes sequences, not for one that has not started taking. Each
 * "must wait" case is checked by order (the lower sequence is delivered first), each "need not wait" case by the
 * delivery finishing while the other commit still runs (it would never finish if it waited).
 */
class CommitOrderTest {
    private final CommitOrder order = new CommitOrder();
    private final List<Long> delivered = new CopyOnWriteArrayList<>();
    /** Threads of its own: the common pool may have a single worker, which a blocked commit would hold. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aCommitThatHasNotStartedTakingSequencesDoesNotHoldBackOneThatFinished() throws Exception {
        Blocked other = new Blocked(true);
        other.start(null);
        CommitOrder.Finished mine = order.commit(s -> true, () -> entries(5));
        deliverWithin(mine);
        assertThat(delivered).containsExactly(5L);
        other.finish(6);
    }

    @Test
    void aCommitTakingOrHoldingALowerSequenceIsDeliveredFirst() throws Exception {
        Blocked other = new Blocked(true);
        other.start(s -> s.taking());
        Thread deliverer = heldBack(order.commit(s -> true, () -> entries(5)));
        other.took(4);
        awaitWaiting(deliverer); // 4 is lower than 5: still held back until that commit finishes
        other.finish(4);
        deliverer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(delivered).containsExactly(4L, 5L);
    }

    @Test
    void aCommitThatTookAHigherSequenceReleasesTheOneWaitingForIt() throws Exception {
        Blocked other = new Blocked(true);
        other.start(s -> s.taking());
        Thread deliverer = heldBack(order.commit(s -> true, () -> entries(5)));
        other.took(6);
        deliverer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(deliverer.isAlive()).as("delivered while the other commit still runs").isFalse();
        assertThat(delivered).containsExactly(5L);
        other.finish(6);
    }

    @Test
    void withoutReportsEveryRunningCommitMayHoldALowerSequence() throws Exception {
        Blocked other = new Blocked(false);
        other.start(null);
        Thread deliverer = heldBack(order.commit(s -> false, () -> entries(5)));
        other.finish(4);
        deliverer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(delivered).containsExactly(4L, 5L);
    }

    /** A commit on another thread that stops inside the storage's commit until told to finish. */
    private final class Blocked {
        private final boolean reports;
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final AtomicReference<CommitSequencing> sequencing = new AtomicReference<>();
        private volatile long sequence;
        private CompletableFuture<Void> done;

        Blocked(boolean reports) {
            this.reports = reports;
        }

        void start(java.util.function.Consumer<CommitSequencing> beforeBlocking) throws InterruptedException {
            done = CompletableFuture.runAsync(() -> {
                CommitOrder.Finished f = order.commit(s -> {
                    sequencing.set(s);
                    return reports;
                }, () -> {
                    if (beforeBlocking != null) {
                        beforeBlocking.accept(sequencing.get());
                    }
                    started.countDown();
                    await(release);
                    return entries(sequence);
                });
                order.deliver(f, CommitOrderTest.this::record);
            }, threads);
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        }

        void took(long first) {
            sequencing.get().took(first);
        }

        void finish(long seq) throws Exception {
            sequence = seq;
            release.countDown();
            done.get(60, TimeUnit.SECONDS);
        }
    }

    /** Delivers {@code f} on a thread of its own, once that thread is held back waiting. */
    private Thread heldBack(CommitOrder.Finished f) throws InterruptedException {
        Thread deliverer = new Thread(() -> order.deliver(f, this::record));
        deliverer.start();
        awaitWaiting(deliverer);
        return deliverer;
    }

    private void deliverWithin(CommitOrder.Finished f) throws Exception {
        CompletableFuture.runAsync(() -> order.deliver(f, this::record), threads).get(60, TimeUnit.SECONDS);
    }

    private void record(List<ChangeLogEntry> entries) {
        entries.forEach(e -> delivered.add(e.sequence()));
    }

    /** Waits until {@code t} waits for the monitor (held back), failing if it ended (it delivered instead). */
    private static void awaitWaiting(Thread t) throws InterruptedException {
        for (int i = 0; i < 60_000; i++) {
            if (!t.isAlive()) {
                throw new AssertionError("delivered without waiting for a commit that may hold a lower sequence");
            }
            if (t.getState() == Thread.State.WAITING) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("neither delivered nor waiting");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<ChangeLogEntry> entries(long seq) {
        return List.of(new ChangeLogEntry(seq, Instant.EPOCH, "system", "item", UUID.randomUUID(), Operation.CREATE,
                1, List.of(), UUID.randomUUID()));
    }
}
