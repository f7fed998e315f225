package org.crmkit.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.StorageUnavailableException;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.workflow.DatabaseCrashTest.Acked;

/**
 * Writer threads for {@link DatabaseCrashTest}: each creates a contact with a name of its own, updates its title a few
 * times with the expected version, then starts on the next one, and remembers what every call that returned wrote.
 * A failure is kept; after one the writer leaves that contact (its state is then the last acknowledged one, or one
 * past it when the outcome was unknown) and goes on with a new contact, as a caller retrying later would.
 */
final class CrashWriters {
    private static final int UPDATES = 3;

    /** A write that threw, and whether it was a create, for the checks. */
    record Failure(String writer, boolean create, String name, Throwable error) {}

    private final Crm crm;
    private final int count;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger acknowledged = new AtomicInteger();
    /** Per contact, the state after its last acknowledged write. */
    private final Map<String, Acked> last = new ConcurrentHashMap<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Acked> afterRestart = new CopyOnWriteArrayList<>();
    /** Per writer: failures since the crash, acknowledged writes since the restart. */
    private final Map<String, AtomicLong> failedSinceCrash = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ackedSinceRestart = new ConcurrentHashMap<>();
    private volatile boolean crashed;
    private volatile boolean restarted;

    CrashWriters(Crm crm, int count) {
        this.crm = crm;
        this.count = count;
    }

    void start() {
        for (int w = 0; w < count; w++) {
            String writer = "w" + letters(w);
            failedSinceCrash.put(writer, new AtomicLong());
            ackedSinceRestart.put(writer, new AtomicLong());
            Thread t = new Thread(() -> run(writer), "crash-writer-" + w);
            threads.add(t);
            t.start();
        }
    }

    private void run(String writer) {
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        for (int n = 0; !stop.get(); n++) {
            String name = "Crash" + writer + "x" + letters(n);
            Record r;
            try {
                r = contacts.create(Map.of("last_name", name, "title", "t0"));
            } catch (RuntimeException e) {
                fail(writer, true, name, e);
                continue;
            }
            ack(writer, new Acked(r.id(), name, r.version(), "t0", false));
            for (int u = 1; u <= UPDATES && !stop.get(); u++) {
                String title = "t" + u;
                try {
                    r = contacts.update(r.id(), r.version(), Map.of("title", title));
                } catch (RuntimeException e) {
                    Acked before = last.get(name);
                    if (e instanceof StorageUnavailableException s && s.outcomeUnknown()) {
                        last.put(name, new Acked(before.id(), name, before.version(), before.title(), true));
                    }
                    fail(writer, false, name, e);
                    break;
                }
                ack(writer, new Acked(r.id(), name, r.version(), title, false));
            }
        }
    }

    private void ack(String writer, Acked a) {
        last.put(a.name(), a);
        acknowledged.incrementAndGet();
        if (restarted) {
            ackedSinceRestart.get(writer).incrementAndGet();
            afterRestart.add(a);
        }
    }

    private void fail(String writer, boolean create, String name, RuntimeException e) {
        failures.add(new Failure(writer, create, name, e));
        if (crashed) {
            failedSinceCrash.get(writer).incrementAndGet();
        }
        try {
            Thread.sleep(20); // a caller's pause before retrying
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    void markCrash() {
        crashed = true;
    }

    void markRestart() {
        restarted = true;
    }

    boolean everyWriterFailedSinceCrash() {
        return failedSinceCrash.values().stream().allMatch(n -> n.get() > 0);
    }

    boolean everyWriterAcknowledged(int writes) {
        return ackedSinceRestart.values().stream().allMatch(n -> n.get() >= writes);
    }

    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(120_000);
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not stop");
            }
        }
    }

    int acknowledged() {
        return acknowledged.get();
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Failures that are not the retryable typed error (with their class, for the message). */
    List<String> unexpected() {
        return failures.stream().filter(f -> !(f.error() instanceof StorageUnavailableException))
                .map(f -> f.writer() + " " + f.name() + ": " + f.error()).toList();
    }

    long unknownOutcomes() {
        return failures.stream().filter(f -> f.error() instanceof StorageUnavailableException s
                && s.outcomeUnknown()).count();
    }

    /** Of the creates whose outcome was unknown, how many landed (for the report). */
    long landedUnknown(Crm crm) {
        RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
        return failures.stream().filter(f -> f.create() && f.error() instanceof StorageUnavailableException s
                && s.outcomeUnknown()).filter(
                        f -> contacts.count(org.crmkit.query.Filters.where("last_name")
                                .eq(f.name())) > 0)
                .count();
    }

    /** Names of creates that failed with a known outcome: nothing of them may be stored. */
    List<String> createsThatFailedBeforeCommit() {
        return failures.stream().filter(f -> f.create() && f.error() instanceof StorageUnavailableException s
                && !s.outcomeUnknown()).map(Failure::name).toList();
    }

    List<Acked> lastAcknowledged() {
        return List.copyOf(last.values());
    }

    List<Acked> acknowledgedAfterRestart() {
        return List.copyOf(afterRestart);
    }

    /** A number as lowercase letters, so names are single words to every analyzer. */
    static String letters(int n) {
        StringBuilder s = new StringBuilder();
        int v = n;
        do {
            s.append((char) ('a' + v % 26));
            v /= 26;
        } while (v > 0);
        return s.toString();
    }
}
