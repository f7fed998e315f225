package org.crmkit.internal.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * The last committed state this engine saw of recently read or written records, so that an update at a known
 * version needs no read before its write. Safe without any invalidation between nodes: an entry is used only when
 * its version is the one the caller expects, and a committed version never changes, so the entry is exactly the
 * stored state at that version; the storage's own version check ({@code WHERE version = ?}) then decides whether
 * that version is still current. Only committed states are put in; schema changes clear it (they can change
 * stored values without a new version).
 */
final class RecordCache {
    private final @Nullable Cache<UUID, Record> cache;
    private final int maximumSize;
    /** Lookups that found the record at the version asked for, and those that did not (for metrics). */
    private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();

    RecordCache(int maximumSize) {
        this.maximumSize = maximumSize;
        this.cache = maximumSize == 0 ? null : Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /** The committed state of {@code id} at {@code version}, if it is cached and of type {@code type}. */
    Optional<Record> at(String type, UUID id, long version) {
        Record r = cache == null ? null : cache.getIfPresent(id);
        if (r != null && r.version() == version && r.type().equals(type)) {
            hits.increment();
            return Optional.of(r);
        }
        misses.increment();
        return Optional.empty();
    }

    /** Hit and miss counts since the engine started, and the size now. */
    org.crmkit.observe.CacheStats stats() {
        return new org.crmkit.observe.CacheStats(hits.sum(), misses.sum(),
                cache == null ? 0 : cache.estimatedSize(), maximumSize);
    }

    /** Remembers committed states (a newer version replaces an older one, never the other way round). */
    void remember(Collection<Record> committed) {
        if (cache == null) {
            return;
        }
        for (Record r : committed) {
            cache.asMap().merge(r.id(), r, (old, now) -> now.version() >= old.version() ? now : old);
        }
    }

    void forget(Collection<UUID> ids) {
        if (cache != null) {
            cache.invalidateAll(ids);
        }
    }

    void clear() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }
}
