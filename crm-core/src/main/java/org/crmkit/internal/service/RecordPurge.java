package org.crmkit.internal.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.crmkit.error.NotFoundException;
import org.crmkit.event.ChangeLogEntry;
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
import org.crmkit.security.Permission;
import org.crmkit.storage.spi.StorageQuery;

/**
 * Purges a record for good: clears the references and relation links that point at it (each an update in the
 * change log), removes it from storage and logs its values as removed, in one transaction.
 */
final class RecordPurge {
    private static final int BATCH = 500;

    private final RecordContext ctx;
    private final RecordStamps stamps;

    RecordPurge(RecordContext ctx, RecordStamps stamps) {
        this.ctx = ctx;
        this.stamps = stamps;
    }

    void purge(UUID id) {
        Access access = ctx.access();
        access.require(Permission.DELETE);
        ctx.session().inTx(access, tx -> {
            Record r = tx.storage.find(ctx.type(), id).filter(access::inScope)
                    .orElseThrow(() -> new NotFoundException(ctx.type(), id));
            access.writable(r, Permission.DELETE);
            purgeIn(tx, r, UnaryOperator.identity());
            return null;
        });
    }

    /**
     * Purges {@code r} (as {@code tx} sees it) in {@code tx} with no access check, passing every change-log entry it
     * writes through {@code logged} first: a privacy erasure writes them without the person's values.
     */
    void purgeIn(Tx tx, Record r, UnaryOperator<ChangeLogEntry> logged) {
        clearReferencesTo(tx, r.id(), logged);
        tx.purge(r);
        tx.sawPurge(r.id());
        tx.log(logged.apply(stamps.entry(tx, r, Operation.PURGE, ChangeDiff.removed(r))));
    }

    /** Clears references and relation links pointing at a record about to be purged, logging each change. */
    private void clearReferencesTo(Tx tx, UUID target, UnaryOperator<ChangeLogEntry> logged) {
        String type = ctx.type();
        SchemaSnapshot schema = ctx.schema().snapshot;
        for (ObjectType other : schema.types()) {
            for (Field f : other.fields()) {
                if (!type.equals(f.target())) {
                    continue;
                }
                Filter pointing = f.type() == FieldType.REFERENCE ? Filters.where(f.name()).eq(target)
                        : Filters.where(f.name()).hasAny(target);
                while (true) {
                    List<Record> batch = tx.storage.query(other.name(), StorageQuery.resolve(schema,
                            other.name(), pointing, List.of(Sort.asc("id")), BATCH, null,
                            Query.Deleted.INCLUDE)).stream()
                            .filter(r -> !r.id().equals(target) || !other.name().equals(type)).toList();
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (Record r : batch) {
                        Map<String, Object> values = new HashMap<>(r.values());
                        if (f.type() == FieldType.REFERENCE) {
                            values.remove(f.name());
                        } else {
                            List<UUID> kept = r.<UUID>getList(f.name()).stream().filter(x -> !x.equals(target))
                                    .toList();
                            if (kept.isEmpty()) {
                                values.remove(f.name());
                            } else {
                                values.put(f.name(), kept);
                            }
                        }
                        Record after = stamps.next(r, values, r.owner(), r.team());
                        tx.update(after, r);
                        tx.saw(after);
                        tx.log(logged.apply(stamps.entry(tx, after, Operation.UPDATE, ChangeDiff.between(r, after))));
                    }
                    if (batch.size() < BATCH) {
                        break;
                    }
                }
            }
        }
    }
}
