package org.crmkit.storage.jdbc.internal;

import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The merge links of one {@link JdbcTransaction} ({@code crmkit_merge_link}, migration V7): which record a merged-away
 * record went into, written in the merge's transaction, removed when the record is restored (a null link) or
 * purged.
 */
final class MergeLinks {
    private final JdbcStore store;
    private final SystemTables sys;
    private final TransactionConnection conn;

    MergeLinks(JdbcStore store, TransactionConnection conn) {
        this.store = store;
        this.sys = store.sys();
        this.conn = conn;
    }

    /** Replaces the link of record {@code id} (null: removes it). */
    void link(String objectType, UUID id, @Nullable UUID survivorId) {
        try {
            var writer = conn.writer();
            writer.deleteFrom(sys.mergeLinks).where(sys.recordId.eq(id)).execute();
            if (survivorId != null) {
                writer.insertInto(sys.mergeLinks, sys.recordId, sys.objectType, sys.survivorId)
                        .values(id, objectType, survivorId).execute();
            }
        } catch (RuntimeException e) {
            throw store.errors().map(e, null, null, "linking merged " + objectType + " " + id);
        }
    }

    /** The record {@code id} of {@code objectType} was merged into, as this transaction sees it. */
    Optional<UUID> survivorOf(String objectType, UUID id) {
        try {
            return Optional.ofNullable(conn.dsl().select(sys.survivorId).from(sys.mergeLinks)
                    .where(sys.recordId.eq(id).and(sys.objectType.eq(objectType))).fetchOne(sys.survivorId));
        } catch (RuntimeException e) {
            throw store.errors().map(e, null, null, "reading the merge link of " + objectType + " " + id);
        }
    }

    /** Removes the link of a record being purged, if it has one. */
    void purged(UUID id) {
        try {
            conn.writer().deleteFrom(sys.mergeLinks).where(sys.recordId.eq(id)).execute();
        } catch (RuntimeException e) {
            throw store.errors().map(e, null, null, "removing the merge link of " + id);
        }
    }
}
