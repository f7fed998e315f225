package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commits are ordered for delivery only while a change listener is registered. On PostgreSQL, where writers commit
 * side by side: without a listener a commit never waits for another still committing (it waited, to hand both to
 * listeners in sequence order, when there were none); with one, the listener sees every commit that began after it
 * subscribed, in sequence order.
 */
class ListenerlessCommitTest {
    /** The commit made on {@link #held} waits at {@link #release} before it reaches the database. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private volatile Thread held;
    /** Threads of the test's own (the common pool may have a single worker on a small machine). */
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopThreads() {
        release.countDown();
        threads.shutdownNow();
    }

    @Test
    void withoutListenersACommitDoesNotWaitForAnotherStillCommitting() throws Exception {
        try (TestStore store = TestStore.create(TestDatabase.POSTGRES);
                Crm crm = Crm.builder().storage(JdbcStorage.builder().dataSource(holdingCommits(store.url))
                        .tablePrefix(store.prefix).build()).build()) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            CompletableFuture<Record> slow = CompletableFuture.supplyAsync(() -> {
                held = Thread.currentThread();
                return contacts.create(Map.of("last_name", "Slow"));
            }, threads);
            assertThat(holding.await(60, TimeUnit.SECONDS)).as("the first commit reached the database").isTrue();
            // it has its change-log sequence; before the change this create waited (forever here) for it
            Record fast = CompletableFuture.supplyAsync(() -> contacts.create(Map.of("last_name", "Fast")),
                    threads).get(60, TimeUnit.SECONDS);
            assertThat(fast.getString("last_name")).isEqualTo("Fast");
            assertThat(slow).isNotDone();
            release.countDown();
            assertThat(slow.get(60, TimeUnit.SECONDS).getString("last_name")).isEqualTo("Slow");
        }
    }

    @Test
    void aListenerSeesTheCommitsThatBeganAfterItSubscribedInSequenceOrder() throws Exception {
        release.countDown(); // nothing is held here
        try (TestStore store = TestStore.create(TestDatabase.POSTGRES);
                Crm crm = Crm.builder().storage(JdbcStorage.builder().url(store.url).tablePrefix(store.prefix)
                        .build()).build()) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            contacts.create(Map.of("last_name", "Before"));
            List<Long> told = new CopyOnWriteArrayList<>();
            try (AutoCloseable s = crm.changeLog().subscribe(batch -> batch.forEach(e -> told.add(e.sequence())))) {
                List<CompletableFuture<Record>> writes = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    int n = i;
                    writes.add(CompletableFuture.supplyAsync(() -> contacts.create(Map.of("last_name", "W" + n)),
                            threads));
                }
                for (CompletableFuture<Record> w : writes) {
                    w.get(60, TimeUnit.SECONDS);
                }
            }
            List<Long> logged = crm.changeLog().read(0, 1_000).stream().map(ChangeLogEntry::sequence).toList();
            assertThat(logged).hasSize(61);
            assertThat(told).containsExactlyElementsOf(logged.subList(1, logged.size()));
        }
    }

    /** Plain driver connections whose {@code commit()} on the {@link #held} thread waits for {@link #release}. */
    private DataSource holdingCommits(String url) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (ds, m, a) -> {
                    if (!m.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    Connection real = DriverManager.getConnection(url);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (c, method, args) -> {
                                if (method.getName().equals("commit") && Thread.currentThread() == held) {
                                    holding.countDown();
                                    if (!release.await(60, TimeUnit.SECONDS)) {
                                        throw new IllegalStateException("never released");
                                    }
                                }
                                try {
                                    return method.invoke(real, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }
}
