package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.crmkit.event.Operation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.StorageQuery;
import org.jspecify.annotations.Nullable;

/**
 * Re-points, in a merge's transaction, every reference and relation of every type (custom ones and soft-deleted
 * records included) that holds one of the merged records to the survivor; each record changed gets a new version
 * and an {@code UPDATE} in the change log, so the merge shows on its timeline. Records are found by querying each
 * reference field for the merged ids, batch by batch, under the storage's version checks: a concurrent edit of one
 * of them fails the merge with a {@link org.crmkit.error.ConflictException}. Access is not checked record by
 * record, as for a purge's clean-up: the caller's right to merge is what allows it.
 */
final class ReferenceRepointer {
    private static final int BATCH = 500;

    private final RecordContext ctx;
    private final RecordStamps stamps;

    ReferenceRepointer(RecordContext ctx, RecordStamps stamps) {
        this.ctx = ctx;
        this.stamps = stamps;
    }

    /** Re-points the references to {@code gone} held by records other than {@code skip}. */
    void repoint(Tx tx, Set<UUID> gone, UUID survivor, Set<UUID> skip) {
        SchemaSnapshot schema = ctx.schema().snapshot;
        List<Object> goneIds = new ArrayList<>(gone);
        for (ObjectType other : schema.types()) {
            for (Field f : other.fields()) {
                if (!ctx.type().equals(f.target())) {
                    continue;
                }
                Filter pointing = f.type() == FieldType.REFERENCE ? Filters.where(f.name()).in(goneIds)
                        : Filters.where(f.name()).hasAny(goneIds.toArray());
                List<@Nullable Object> after = null;
                while (true) {
                    List<Record> batch = tx.storage.query(other.name(), StorageQuery.resolve(schema, other.name(),
                            pointing, List.of(Sort.asc("id")), BATCH, after, Query.Deleted.INCLUDE));
                    for (Record r : batch) {
                        if (!skip.contains(r.id())) {
                            write(tx, r, f, gone, survivor);
                        }
                    }
                    if (batch.size() < BATCH) {
                        break;
                    }
                    after = List.of(batch.get(batch.size() - 1).id());
                }
            }
        }
    }

    private void write(Tx tx, Record r, Field f, Set<UUID> gone, UUID survivor) {
        Record current = tx.storage.find(r.type(), r.id()).orElse(r);
        Map<String, Object> values = new HashMap<>(current.values());
        Object now = pointedAt(f, values.get(f.name()), gone, survivor);
        if (Objects.equals(now, values.get(f.name()))) {
            return;
        }
        values.put(f.name(), Objects.requireNonNull(now, "a re-pointed reference is never empty"));
        Record next = stamps.next(current, values, current.owner(), current.team());
        tx.update(next, current);
        tx.saw(next);
        tx.log(stamps.entry(tx, next, Operation.UPDATE, ChangeDiff.between(current, next)));
    }

    /**
     * A reference or relation value with each merged id replaced by the survivor's (a relation keeps its order and
     * drops the duplicates this makes); other values as they are.
     */
    static @Nullable Object pointedAt(Field f, @Nullable Object value, Set<UUID> gone, UUID survivor) {
        if (f.type() == FieldType.REFERENCE && value instanceof UUID id && gone.contains(id)) {
            return survivor;
        }
        if (f.type() == FieldType.RELATION && value instanceof List<?> ids
                && ids.stream().anyMatch(gone::contains)) {
            return ids.stream().map(id -> gone.contains(id) ? survivor : id).distinct().map(Object.class::cast)
                    .toList();
        }
        return value;
    }
}
