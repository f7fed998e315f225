package org.crmkit.rest.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The first reply to each {@code Idempotency-Key} of each principal, kept in memory on this node (bounded in number
 * and time): a retry with the same key and the same request gets that reply again instead of a second write.
 */
public final class IdempotencyStore {
    /** The longest key taken. */
    public static final int MAX_KEY_LENGTH = 255;

    private final Cache<String, Entry> entries;

    public IdempotencyStore(int maxKeys, Duration keepFor) {
        this.entries = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterWrite(keepFor).build();
    }

    /** How many keys are kept now (after pending evictions). */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private record Entry(String fingerprint, CompletableFuture<Reply> reply) {}

    /**
     * Runs {@code work} once per principal and key: a second call with the same fingerprint gets the first reply
     * (marked as replayed); with another fingerprint, or while the first is still running, a problem. Replies of
     * 5xx are not kept (the retry runs again); {@code work} answers problems as replies rather than throwing.
     */
    public Reply once(String principal, String key, String fingerprint, Supplier<Reply> work) {
        String id = principal.length() + ":" + principal + key;
        Entry mine = new Entry(fingerprint, new CompletableFuture<>());
        Entry found = entries.asMap().putIfAbsent(id, mine);
        if (found != null) {
            if (!found.fingerprint().equals(fingerprint)) {
                throw new ProblemException(Problem.of(422, "idempotency-key-reused", "Idempotency key reused",
                        "this Idempotency-Key was used for a different request", "IDEMPOTENCY_KEY_REUSED"));
            }
            Reply done = found.reply().getNow(null);
            if (done == null) {
                throw new ProblemException(Problem.of(409, "idempotency-key-in-use", "Idempotency key in use",
                        "a request with this Idempotency-Key is still running; retry later", "IDEMPOTENCY_KEY_IN_USE"));
            }
            return done.withHeader("Idempotent-Replayed", "true");
        }
        Reply reply;
        try {
            reply = work.get();
        } catch (RuntimeException | Error e) {
            entries.asMap().remove(id, mine);
            throw e;
        }
        if (reply.status() >= 500) {
            entries.asMap().remove(id, mine);
        } else {
            mine.reply().complete(reply);
        }
        return reply;
    }
}
