package org.crmkit.relay.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.crmkit.error.ConfigurationException;
import org.crmkit.event.ChangeLog;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.plugin.spi.EnginePlugin;
import org.crmkit.relay.RelayState;
import org.crmkit.relay.RelayStatus;
import org.crmkit.relay.spi.RelayMessage;
import org.crmkit.schema.Field;
import org.crmkit.schema.Schema;
import org.crmkit.storage.spi.DocumentStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's engine plug-in: one thread that reads the change log after the confirmed position, publishes at most a
 * window of entries, waits for the broker's confirms, and only then moves (and stores) the position. A failure leaves
 * the position where it was and retries the same entries after a backoff, so nothing is skipped; a crash between
 * publish and confirm publishes those entries again after the restart (at least once). It wakes on every commit
 * ({@link ChangeLog#subscribe}) and at least once a poll interval.
 */
public final class RelayEngine implements EnginePlugin {
    private static final Logger LOG = LoggerFactory.getLogger(RelayEngine.class);

    private final RelaySettings settings;
    private final ChangeJson json = new ChangeJson();
    private final Semaphore wake = new Semaphore(0);
    private final Backoff backoff;
    private volatile @Nullable Running running;
    private volatile boolean stopping;
    private volatile RelayState state = RelayState.NEW;
    private volatile long confirmed;
    private volatile long lastSeen;
    private volatile int failures;
    private volatile @Nullable String lastError;
    /** The log's newest sequence when the relay started, before the application could write. */
    private volatile long newestAtStart;

    private record Running(ChangeLog log, Schema schema, StoredPosition position, AutoCloseable subscription,
            Thread thread) {}

    public RelayEngine(RelaySettings settings) {
        this.settings = settings;
        this.backoff = new Backoff(settings.minBackoff(), settings.maxBackoff(), new SplittableRandom());
    }

    @Override
    public String name() {
        return "relay " + settings.name();
    }

    @Override
    public synchronized void start(EngineContext context) {
        if (running != null || stopping) {
            throw new ConfigurationException(List.of("relay " + settings.name()
                    + " is already started (or closed); a ChangeRelay serves one Crm"));
        }
        DocumentStore documents = context.storage().extension(DocumentStore.class)
                .orElseThrow(() -> new ConfigurationException(List.of("storage " + context.storage().name()
                        + " keeps no documents; the relay stores its position there (memory and JDBC storages do)")));
        ChangeLog log = context.crm().changeLog();
        newestAtStart = log.lastSequence();
        StoredPosition position = new StoredPosition(context, documents, settings.name(), settings.nodeId(),
                settings.lease(), settings.checkpointInterval());
        AutoCloseable subscription = log.subscribe(entries -> wake());
        Thread thread = Thread.ofPlatform().daemon().name("crmkit-relay-" + settings.name()).unstarted(this::run);
        // stays registered after close(): a relay stopped while its Crm runs is reported down
        context.addHealthContributor(new RelayHealth(this, settings.name()));
        running = new Running(log, context.crm().schema(), position, subscription, thread);
        thread.start();
    }

    /** The relay's state and progress now. */
    public RelayStatus status() {
        Running r = running;
        long last = lastSeen;
        if (r != null && state != RelayState.STOPPED) {
            try {
                last = Math.max(last, r.log().lastSequence());
            } catch (RuntimeException e) {
                LOG.debug("relay {}: cannot read the log's last sequence", settings.name(), e);
            }
        }
        return new RelayStatus(settings.name(), settings.publisher().name(), state, confirmed, last, failures,
                Optional.ofNullable(lastError));
    }

    private void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void await(Duration timeout) {
        try {
            if (wake.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Running r = running;
        if (r == null) {
            return;
        }
        try {
            while (!stopping) {
                step(r);
            }
        } finally {
            finish(r);
        }
    }

    private void step(Running r) {
        StoredPosition position = r.position();
        try {
            if (!position.held()) {
                // at the end as it was when the relay started (Crm.build()), not when this thread first ran:
                // entries committed in between are the new changes a caller of startAtEnd wants published
                OptionalLong start = position.tryAcquire(() -> settings.startAtEnd() ? newestAtStart : 0);
                if (start.isEmpty()) {
                    state = RelayState.STANDBY;
                    position.stored().ifPresent(s -> confirmed = s);
                    await(settings.pollInterval());
                    return;
                }
                confirmed = start.getAsLong();
                long newest = r.log().lastSequence();
                if (confirmed > newest) {
                    // a restore (point in time, or an older backup) left the log behind the stored position: new
                    // entries would get sequences at or below it and be skipped, so resume from the log's end as it
                    // was when the relay started (entries written since then are published, at least once)
                    long resume = Math.min(newest, newestAtStart);
                    LOG.warn("relay {}: stored position {} is past the log's newest entry {} (restored?); resuming "
                            + "after {}", settings.name(), confirmed, newest, resume);
                    confirmed = resume;
                    position.checkpoint(resume);
                }
                LOG.info("relay {} holds the lease on node {}, resuming after sequence {}", settings.name(),
                        settings.nodeId(), confirmed);
            }
            List<ChangeLogEntry> entries = r.log().read(confirmed, settings.window());
            if (entries.isEmpty()) {
                position.checkpoint(confirmed);
                succeeded();
                await(settings.pollInterval());
                return;
            }
            long last = entries.get(entries.size() - 1).sequence();
            lastSeen = Math.max(lastSeen, last);
            List<RelayMessage> messages = messages(r.schema(), entries);
            if (!messages.isEmpty()) {
                settings.publisher().publish(messages);
                settings.publisher().confirm(settings.confirmTimeout());
            }
            confirmed = last;
            position.checkpoint(last);
            succeeded();
        } catch (StoredPosition.LeaseLostException e) {
            LOG.warn("relay {}: {}; standing by", settings.name(), e.getMessage());
            position.drop();
            state = RelayState.STANDBY;
        } catch (RuntimeException e) {
            if (stopping) {
                return;
            }
            int n = ++failures;
            lastError = String.valueOf(e);
            state = RelayState.RETRYING;
            Duration delay = backoff.delay(n);
            LOG.warn("relay {}: attempt {} failed after sequence {}, retrying in {} ms: {}", settings.name(), n,
                    confirmed, delay.toMillis(), e.toString());
            sleep(delay);
        }
    }

    private List<RelayMessage> messages(Schema schema, List<ChangeLogEntry> entries) {
        List<RelayMessage> out = new ArrayList<>(entries.size());
        for (ChangeLogEntry entry : entries) {
            ChangeLogEntry clear = settings.encryptedFields() ? entry : withoutEncryptedFields(schema, entry);
            Optional<ChangeLogEntry> kept = settings.filter().apply(clear);
            if (kept.isPresent()) {
                ChangeLogEntry e = kept.get();
                out.add(new RelayMessage(entry.sequence(), e.objectType(), e.recordId(), e.operation(),
                        json.encode(e)));
            }
        }
        return out;
    }

    /** {@code entry} without the changes of its type's encrypted fields (the log is read decrypted). */
    private static ChangeLogEntry withoutEncryptedFields(Schema schema, ChangeLogEntry entry) {
        java.util.Set<String> encrypted = new java.util.HashSet<>();
        schema.findObjectType(entry.objectType()).ifPresent(t -> t.fields().stream().filter(Field::encrypted)
                .forEach(f -> encrypted.add(f.name())));
        return encrypted.isEmpty() ? entry : entry.onlyFields(f -> !encrypted.contains(f));
    }

    private void succeeded() {
        failures = 0;
        lastError = null;
        state = RelayState.RUNNING;
    }

    private void sleep(Duration delay) {
        long end = System.nanoTime() + delay.toNanos();
        while (!stopping) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void finish(Running r) {
        try {
            if (r.position().held()) {
                r.position().release(confirmed);
            }
        } catch (RuntimeException e) {
            LOG.warn("relay {}: cannot store position {} while stopping", settings.name(), confirmed, e);
        }
        try {
            settings.publisher().close();
        } catch (RuntimeException e) {
            LOG.warn("relay {}: closing {} failed", settings.name(), settings.publisher().name(), e);
        }
        state = RelayState.STOPPED;
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the relay: an unconfirmed batch is abandoned (its entries are published again by whoever runs next), the
     * confirmed position is stored and the lease released.
     */
    @Override
    public void close() {
        Running r;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            r = running;
        }
        if (r == null) {
            state = RelayState.STOPPED;
            settings.publisher().close();
            return;
        }
        try {
            r.subscription().close();
        } catch (Exception e) {
            LOG.debug("relay {}: unsubscribing failed", settings.name(), e);
        }
        wake();
        // no interrupt: it could hit the storage's I/O (H2 closes its file on one); a publish blocked on the broker
        // is cut short by closing the publisher instead
        join(r.thread(), Duration.ofSeconds(5));
        if (r.thread().isAlive()) {
            try {
                settings.publisher().close();
            } catch (RuntimeException e) {
                LOG.debug("relay {}: closing the publisher to stop a blocked publish failed", settings.name(), e);
            }
            join(r.thread(), Duration.ofSeconds(30));
        }
        if (r.thread().isAlive()) {
            LOG.warn("relay {}: its thread did not stop within 35 s", settings.name());
        }
    }
}
