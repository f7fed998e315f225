package org.crmkit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.SchemaException;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;

/**
 * The writer threads of the {@code schema} suite. Each loops until {@link #stop()}: with even odds it creates a
 * contact, or reads a random stored contact and updates its title with the version it read, each write in a
 * transaction of its own, as {@link Principal#SYSTEM}. An attempt refused with {@link SchemaException}
 * {@code CONCURRENT_CHANGE} (a schema change committed while it ran) or {@link ConflictException} (another writer
 * updated the same contact first) is retried, counted in the writer's {@link WriteLog}; the write's time runs from
 * its first attempt to the one that succeeded. Any other failure ends the writer, and {@link #check()} or
 * {@link #stop()} rethrows it.
 */
final class SchemaWriters {
    private final Crm crm;
    private final UUID[] ids;
    private final long seed;
    private final List<WriteLog> logs = new ArrayList<>();
    private final List<Future<?>> running = new ArrayList<>();
    private final ExecutorService threads;
    private volatile boolean stopped;

    SchemaWriters(Crm crm, UUID[] ids, int writers, long seed) {
        this.crm = crm;
        this.ids = ids.clone();
        this.seed = seed;
        this.threads = Executors.newFixedThreadPool(writers, r -> {
            Thread t = new Thread(r, "schema-writer");
            t.setDaemon(true);
            return t;
        });
        for (int w = 0; w < writers; w++) {
            WriteLog log = new WriteLog();
            logs.add(log);
            int writer = w;
            running.add(threads.submit(() -> {
                loop(writer, log);
                return null;
            }));
        }
    }

    private void loop(int writer, WriteLog log) {
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        Random random = new Random(seed + writer);
        for (int n = 0; !stopped; n++) {
            long start = System.nanoTime();
            write(contacts, random, writer, n, log);
            log.add(start, System.nanoTime());
        }
    }

    private void write(RecordSet contacts, Random random, int writer, int n, WriteLog log) {
        boolean create = random.nextBoolean();
        UUID id = ids[random.nextInt(ids.length)];
        while (true) {
            try {
                if (create) {
                    contacts.create(Map.of("first_name", "Writer" + writer, "last_name", "Contact" + n, "email",
                            "w" + writer + "." + n + "@schema.example.com", "title", "Buyer"));
                } else {
                    Record r = contacts.get(id);
                    contacts.update(r, Map.of("title", "Buyer " + writer + "." + n));
                }
                return;
            } catch (SchemaException e) {
                if (e.problem() != SchemaException.Problem.CONCURRENT_CHANGE) {
                    throw e;
                }
                log.schemaRetry(System.nanoTime());
            } catch (ConflictException e) {
                log.conflictRetry();
            }
        }
    }

    /** Throws the failure of a writer that ended on its own (a write failed in a way that is not retried). */
    void check() throws ExecutionException, InterruptedException {
        for (Future<?> f : running) {
            if (f.isDone()) {
                f.get();
                throw new IllegalStateException("a writer stopped before it was told to");
            }
        }
    }

    /** Stops the writers after their current write, waits for them and rethrows the first failure. */
    void stop() throws ExecutionException, InterruptedException {
        stopped = true;
        threads.shutdown();
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            threads.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** Each writer's log; read only after {@link #stop()}. */
    List<WriteLog> logs() {
        return List.copyOf(logs);
    }
}
