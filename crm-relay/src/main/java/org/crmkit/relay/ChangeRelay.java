package org.crmkit.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.error.ConfigurationException;
import org.crmkit.plugin.spi.CrmPlugin;
import org.crmkit.plugin.spi.PluginRegistry;
import org.crmkit.relay.internal.RelayEngine;
import org.crmkit.relay.internal.RelaySettings;
import org.crmkit.relay.spi.ChangePublisher;
import org.jspecify.annotations.Nullable;

/**
 * Publishes every committed change of a {@code Crm} to a message broker, in change-log order, at least once: install
 * it into the {@code Crm} it relays and it runs on its own thread until the {@code Crm} (or the relay) closes.
 *
 * <pre>{@code
 * ChangeRelay relay = ChangeRelay.builder("orders-feed", RabbitPublisher.builder().uri("amqp://localhost").build())
 *         .filter(EntryFilter.withoutFields("contact", Set.of("birthdate")))
 *         .build();
 * Crm crm = Crm.builder().storage(storage).install(relay).build();
 * relay.status().lag(); // entries not yet confirmed by the broker
 * }</pre>
 *
 * <p>Its position (the newest sequence the broker confirmed) is a document in the storage (one per relay name), so a
 * restarted relay, or another node's relay of the same name, resumes after it: entries published but not confirmed
 * before a crash are published again (same message id), none is skipped. Of the nodes that run a relay of one name,
 * one at a time holds its lease and publishes; the others stand by and take over when the lease lapses.
 *
 * <p><b>Security:</b> a relay publishes the system's full change-log entries, every field of every record with old and
 * new values, hidden and encrypted fields included as the log keeps them: it is an integration feed for trusted
 * services. Drop what must not leave with {@link Builder#filter}.
 */
public final class ChangeRelay implements CrmPlugin, AutoCloseable {
    private final RelayEngine engine;
    private final String name;

    private ChangeRelay(RelaySettings settings) {
        this.engine = new RelayEngine(settings);
        this.name = settings.name();
    }

    /**
     * A builder for the relay named {@code name} (letters, digits, {@code - _ .}; the key of its stored position)
     * publishing through {@code publisher}.
     */
    public static Builder builder(String name, ChangePublisher publisher) {
        return new Builder(name, publisher);
    }

    public String name() {
        return name;
    }

    /** State, confirmed position and lag, for health checks and metrics. */
    public RelayStatus status() {
        return engine.status();
    }

    @Override
    public void install(PluginRegistry registry) {
        registry.engine(engine);
    }

    /**
     * Stops this relay before its {@code Crm} closes: a batch not yet confirmed is abandoned (published again on the
     * next start), the confirmed position is stored and the lease released. Closing the {@code Crm} does the same.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Settings of a {@link ChangeRelay}; {@link #build} reports every problem at once. */
    public static final class Builder {
        private final @Nullable String name;
        private final @Nullable ChangePublisher publisher;
        private @Nullable EntryFilter filter = EntryFilter.all();
        private int window = 100;
        private @Nullable Duration pollInterval = Duration.ofSeconds(1);
        private @Nullable Duration confirmTimeout = Duration.ofSeconds(30);
        private @Nullable Duration minBackoff = Duration.ofMillis(100);
        private @Nullable Duration maxBackoff = Duration.ofSeconds(30);
        private @Nullable Duration lease = Duration.ofSeconds(30);
        private @Nullable Duration checkpointInterval = Duration.ofSeconds(1);
        private @Nullable String nodeId = UUID.randomUUID().toString();
        private boolean startAtEnd;
        private boolean encryptedFields;

        private Builder(@Nullable String name, @Nullable ChangePublisher publisher) {
            this.name = name;
            this.publisher = publisher;
        }

        /** What of each entry is published (default: every entry whole). */
        public Builder filter(@Nullable EntryFilter filter) {
            this.filter = filter;
            return this;
        }

        /** At most this many entries are published before their confirms are awaited (default 100). */
        public Builder window(int entries) {
            this.window = entries;
            return this;
        }

        /** The longest wait for new entries without a commit's wake-up (default 1 s; other nodes' commits). */
        public Builder pollInterval(@Nullable Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /** The longest wait for a batch's confirms before it counts as failed (default 30 s). */
        public Builder confirmTimeout(@Nullable Duration timeout) {
            this.confirmTimeout = timeout;
            return this;
        }

        /** Retry waits: doubling from {@code min} up to {@code max}, each with jitter (default 100 ms to 30 s). */
        public Builder backoff(@Nullable Duration min, @Nullable Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /** How long a node's hold on the relay lasts without renewal before another node may take over (30 s). */
        public Builder lease(@Nullable Duration lease) {
            this.lease = lease;
            return this;
        }

        /**
         * The shortest time between two saves of the position (default 1 s; each save is a document version in the
         * storage). A crash republishes at most what was confirmed since the last save.
         */
        public Builder checkpointInterval(@Nullable Duration interval) {
            this.checkpointInterval = interval;
            return this;
        }

        /** This node's name in the lease (default: a random UUID per relay). */
        public Builder nodeId(@Nullable String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        /**
         * When no position is stored yet, start after the log's newest entry as of {@code Crm.build()} instead of at
         * its beginning (default: the whole log is published); every change committed after the build is published.
         */
        public Builder startAtEnd(boolean startAtEnd) {
            this.startAtEnd = startAtEnd;
            return this;
        }

        /**
         * Whether the values of encrypted fields ({@code Field.encrypted}) are published (default: no). The change
         * log is read decrypted, so a relay would otherwise send them in clear to the broker; they are left out of
         * every entry unless this says so, whatever the {@link #filter}.
         */
        public Builder publishEncryptedFields(boolean publish) {
            this.encryptedFields = publish;
            return this;
        }

        /**
         * The relay.
         *
         * @throws ConfigurationException listing every problem of the settings
         */
        public ChangeRelay build() {
            List<String> problems = new ArrayList<>();
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,100}")) {
                problems.add("name: must be 1 to 100 letters, digits, '-', '_' or '.', was " + name);
            }
            if (publisher == null) {
                problems.add("publisher: must not be null");
            }
            if (filter == null) {
                problems.add("filter: must not be null (EntryFilter.all() publishes everything)");
            }
            if (window < 1 || window > 10_000) {
                problems.add("window: must be 1 to 10000 entries, was " + window);
            }
            positive(problems, "pollInterval", pollInterval);
            positive(problems, "confirmTimeout", confirmTimeout);
            positive(problems, "backoff min", minBackoff);
            positive(problems, "backoff max", maxBackoff);
            positive(problems, "lease", lease);
            if (checkpointInterval == null || checkpointInterval.isNegative()) {
                problems.add("checkpointInterval: must be zero or positive, was " + checkpointInterval);
            }
            if (minBackoff != null && maxBackoff != null && maxBackoff.compareTo(minBackoff) < 0) {
                problems.add("backoff: max " + maxBackoff + " is below min " + minBackoff);
            }
            if (nodeId == null || nodeId.isBlank()) {
                problems.add("nodeId: must not be blank");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new ChangeRelay(new RelaySettings(Objects.requireNonNull(name), Objects.requireNonNull(publisher),
                    Objects.requireNonNull(filter), window, Objects.requireNonNull(pollInterval),
                    Objects.requireNonNull(confirmTimeout), Objects.requireNonNull(minBackoff),
                    Objects.requireNonNull(maxBackoff), Objects.requireNonNull(lease),
                    Objects.requireNonNull(checkpointInterval), Objects.requireNonNull(nodeId), startAtEnd,
                    encryptedFields));
        }

        private static void positive(List<String> problems, String setting, @Nullable Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                problems.add(setting + ": must be positive, was " + d);
            }
        }
    }
}
