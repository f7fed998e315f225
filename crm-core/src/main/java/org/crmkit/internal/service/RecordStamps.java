package org.crmkit.internal.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * Stamps what a write stores: a new record's id and first version, each next version (who and when), and the
 * change-log entry that records it.
 */
final class RecordStamps {
    private final RecordContext ctx;

    RecordStamps(RecordContext ctx) {
        this.ctx = ctx;
    }

    /** A new record at version 1, created and updated now by the caller. */
    Record created(Map<String, Object> values, String owner, @Nullable String team) {
        CrmEngine engine = ctx.engine();
        Instant now = engine.clock.instant();
        String by = ctx.principal().id();
        return new Record(engine.ids.get(), ctx.type(), 1, owner, team, now, by, now, by, null, values);
    }

    /** The next version of {@code r} with new values, owner and team. */
    Record next(Record r, Map<String, Object> values, String owner, @Nullable String team) {
        return new Record(r.id(), r.type(), r.version() + 1, owner, team, r.createdAt(), r.createdBy(),
                ctx.engine().clock.instant(), ctx.principal().id(), r.deletedAt(), values);
    }

    /** The next version of {@code r}, deleted at {@code deletedAt} (null: restored), updated at that instant too. */
    Record deleted(Record r, @Nullable Instant deletedAt) {
        return new Record(r.id(), r.type(), r.version() + 1, r.owner(), r.team(), r.createdAt(), r.createdBy(),
                deletedAt != null ? deletedAt : ctx.engine().clock.instant(), ctx.principal().id(), deletedAt,
                r.values());
    }

    /** The next version of {@code r} with new values, deleted (and updated) at {@code deletedAt} (merged away). */
    Record nextDeleted(Record r, Map<String, Object> values, Instant deletedAt) {
        return new Record(r.id(), r.type(), r.version() + 1, r.owner(), r.team(), r.createdAt(), r.createdBy(),
                deletedAt, ctx.principal().id(), deletedAt, values);
    }

    /**
     * The change-log entry of an operation that left {@code r}, made by the caller in {@code tx}; {@code r} may be of
     * another type (a purge clears references held by other types' records). A write's entry carries the instant the
     * record was stamped with ({@code updatedAt}), so the log tells exactly when each version was written (a
     * point-in-time restore rebuilds versions from it); a purge, which leaves no record, is stamped now.
     */
    ChangeLogEntry entry(Tx tx, Record r, Operation op, List<FieldChange> changes) {
        java.time.Instant at = op == Operation.PURGE ? ctx.engine().clock.instant() : r.updatedAt();
        return new ChangeLogEntry(0, at, ctx.principal().id(), r.type(), r.id(), op, r.version(), changes, tx.id);
    }
}
