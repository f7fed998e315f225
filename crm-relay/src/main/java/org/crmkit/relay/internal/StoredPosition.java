package org.crmkit.relay.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.DocumentStore.StoredDocument;

/**
 * A relay's position and lease, one document of kind {@value #KIND} per relay name in the storage's
 * {@link DocumentStore}: {@code {"sequence":N,"holder":"node id","leaseUntil":"instant"}}. The node that saved it last
 * holds the lease until {@code leaseUntil}; another node may take it over only after that. Every save names the
 * version this node saved before, so a node whose lease was taken over fails its next save with a conflict
 * ({@link LeaseLostException}) and stops publishing: the document's version is the fencing token.
 */
final class StoredPosition {
    static final String KIND = "relay_position";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The stored body. */
    record Body(long sequence, String holder, String leaseUntil) {}

    /** Thrown when another node has taken the lease over. */
    static final class LeaseLostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLostException(String message) {
            super(message);
        }
    }

    private final EngineContext context;
    private final DocumentStore documents;
    private final String name;
    private final String nodeId;
    private final Duration lease;
    private final Duration checkpointInterval;
    private long version = -1;
    private long savedSequence = -1;
    private Instant savedAt = Instant.MIN;

    StoredPosition(EngineContext context, DocumentStore documents, String name, String nodeId, Duration lease,
            Duration checkpointInterval) {
        this.context = context;
        this.documents = documents;
        this.name = name;
        this.nodeId = nodeId;
        this.lease = lease;
        this.checkpointInterval = checkpointInterval;
    }

    boolean held() {
        return version >= 0;
    }

    /** The position stored now (whoever holds the lease), if any. */
    OptionalLong stored() {
        return documents.find(KIND, name).map(StoredPosition::body)
                .map(b -> OptionalLong.of(b.sequence())).orElse(OptionalLong.empty());
    }

    /**
     * Takes the lease if no other node holds it: returns the stored position ({@code startIfNew} when there is none
     * yet), or empty while another node's lease runs.
     */
    OptionalLong tryAcquire(java.util.function.LongSupplier startIfNew) {
        Instant now = context.clock().instant();
        Optional<StoredDocument> doc = documents.find(KIND, name);
        long expected;
        long sequence;
        if (doc.isEmpty() || doc.get().body() == null) {
            List<StoredDocument> history = documents.history(KIND, name);
            expected = history.isEmpty() ? 0 : history.get(history.size() - 1).version();
            sequence = startIfNew.getAsLong();
        } else {
            Body body = body(doc.get());
            if (!body.holder().equals(nodeId) && Instant.parse(body.leaseUntil()).isAfter(now)) {
                return OptionalLong.empty();
            }
            expected = doc.get().version();
            sequence = body.sequence();
        }
        try {
            save(expected, sequence, now.plus(lease), now);
        } catch (LeaseLostException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(sequence);
    }

    /**
     * Stores {@code sequence} if it moved and the checkpoint interval has passed, or renews the lease when a third
     * of it has passed since the last save.
     *
     * @throws LeaseLostException when another node has taken the lease over
     */
    void checkpoint(long sequence) {
        Instant now = context.clock().instant();
        boolean moved = sequence != savedSequence && !now.isBefore(savedAt.plus(checkpointInterval));
        boolean renew = !now.isBefore(savedAt.plus(lease.dividedBy(3)));
        if (moved || renew) {
            save(version, sequence, now.plus(lease), now);
        }
    }

    /** Stores {@code sequence} and lets the lease lapse now, so another node may take over at once. */
    void release(long sequence) {
        if (!held()) {
            return;
        }
        Instant now = context.clock().instant();
        try {
            save(version, sequence, now, now);
        } finally {
            version = -1;
        }
    }

    /** Forgets the lease without saving (after it was lost). */
    void drop() {
        version = -1;
    }

    private void save(long expected, long sequence, Instant leaseUntil, Instant now) {
        String body;
        try {
            body = JSON.writeValueAsString(new Body(sequence, nodeId, leaseUntil.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StoredDocument saved;
        try {
            saved = context.transaction(Principal.SYSTEM,
                    (session, tx) -> documents.save(tx, KIND, name, expected, body, Principal.SYSTEM.id(), now));
        } catch (CrmException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                version = -1;
                throw new LeaseLostException("another node took the lease over");
            }
            throw e;
        }
        version = saved.version();
        savedSequence = sequence;
        savedAt = now;
    }

    private static Body body(StoredDocument doc) {
        String text = doc.body();
        if (text == null) {
            throw new IllegalStateException("relay position " + doc.name() + " is deleted");
        }
        try {
            return JSON.readValue(text, Body.class);
        } catch (JsonProcessingException e) {
            throw new CrmException(ErrorCode.STORAGE, "relay position " + doc.name() + " is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }
}
