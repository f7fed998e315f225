package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Permission;
import org.crmkit.storage.spi.StorageQuery;
import org.jspecify.annotations.Nullable;

/**
 * The records related to one record for a roll-up timeline, as one caller may know them: the records that reference
 * it (the contacts, deals, activities and tasks of a company), then the records that reference those (the activities
 * of those contacts and deals), {@value #DEPTH} steps in all. A step follows only reference and relation fields the
 * caller can see, of types the caller may read, to records in the caller's scope (soft-deleted ones included: their
 * history stays on the timeline), so the set tells nothing the caller could not query. At most a given number of
 * related records are collected (nearest first, each step in id order); a roll-up past that covers those only, and
 * says so.
 */
final class RelatedRecords {
    /** How many reference steps away from the record a related record may be. */
    static final int DEPTH = 2;
    private static final int IDS_PER_QUERY = 500;

    private final Session session;
    private final CompiledSchema cs;

    RelatedRecords(Session session, CompiledSchema cs) {
        this.session = session;
        this.cs = cs;
    }

    /**
     * The records related to a root, by id with their type (the root first, then the nearest), and whether more were
     * left out.
     */
    record Related(Map<UUID, String> records, boolean truncated) {}

    /** The related records of {@code root} (itself first), at most {@code max} besides it. */
    Related of(Tx tx, Record root, int max) {
        // one more than asked for tells whether there were more; the farthest is dropped again
        int cap = max + 2;
        Map<UUID, String> found = new LinkedHashMap<>();
        found.put(root.id(), root.type());
        Map<UUID, String> frontier = Map.of(root.id(), root.type());
        for (int step = 0; step < DEPTH && !frontier.isEmpty() && found.size() < cap; step++) {
            Map<UUID, String> next = new LinkedHashMap<>();
            for (ObjectType t : cs.snapshot.types()) {
                Access access = new Access(session.principal(), t.name(), cs, session.engine.accessModels);
                if (!access.can(Permission.READ)) {
                    continue;
                }
                for (Field f : t.fields()) {
                    if ((f.type() != FieldType.REFERENCE && f.type() != FieldType.RELATION) || f.target() == null
                            || !access.canSee(f.name())) {
                        continue;
                    }
                    List<UUID> targets = frontier.entrySet().stream().filter(e -> e.getValue().equals(f.target()))
                            .map(Map.Entry::getKey).toList();
                    for (int i = 0; i < targets.size()
                            && found.size() + next.size() < cap; i += IDS_PER_QUERY) {
                        List<UUID> chunk = targets.subList(i, Math.min(targets.size(), i + IDS_PER_QUERY));
                        collect(tx, t, f, access, chunk, found, next, cap);
                    }
                }
            }
            found.putAll(next);
            frontier = next;
        }
        boolean truncated = found.size() > max + 1;
        if (truncated) {
            UUID farthest = List.copyOf(found.keySet()).get(found.size() - 1);
            found.remove(farthest);
        }
        return new Related(found, truncated);
    }

    private void collect(Tx tx, ObjectType t, Field f, Access access, List<UUID> targets, Map<UUID, String> found,
            Map<UUID, String> next, int cap) {
        Object[] ids = targets.toArray();
        Filter pointing = f.type() == FieldType.REFERENCE ? Filters.where(f.name()).in(ids)
                : Filters.where(f.name()).hasAny(ids);
        Filter scope = access.scopeFilter();
        Filter filter = scope == null ? pointing : Filters.and(pointing, scope);
        List<@Nullable Object> after = null;
        while (found.size() + next.size() < cap) {
            int limit = Math.min(IDS_PER_QUERY, cap - found.size() - next.size());
            List<Record> batch = tx.storage.query(t.name(), StorageQuery.resolve(cs.snapshot, t.name(), filter,
                    List.of(Sort.asc("id")), limit, after, Query.Deleted.INCLUDE));
            for (Record r : batch) {
                if (!found.containsKey(r.id())) {
                    next.put(r.id(), r.type());
                }
            }
            if (batch.size() < limit) {
                return;
            }
            after = new ArrayList<>(List.of(batch.get(batch.size() - 1).id()));
        }
    }
}
