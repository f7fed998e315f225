package org.crmkit.storage.memory.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.query.Filter;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.spi.ValueOrder;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory storage's ordered indexes of committed records, the counterpart of a SQL table's b-tree indexes:
 * one per field that is {@code indexed}, {@code unique} or a reference (the fields a SQL storage indexes), and one of
 * each type's owners. Each maps a value, in {@link ValueOrder}, to the ids of the records holding it, so that a
 * query whose filter pins such a field ({@code eq}, {@code in}, a comparison or {@code between}, alone or in an
 * {@code and}) reads the records it names instead of the whole table. {@link #candidates} only narrows: the caller
 * still evaluates the whole filter on every candidate, so an index can never change an answer. Encrypted fields,
 * formulas and composite values (currency, address, long text, multi-picklists) are not indexed. Not thread-safe:
 * the store changes it under its write lock and reads it under its read lock.
 */
final class FieldIndexes {
    private static final Set<FieldType> INDEXABLE = EnumSet.of(FieldType.TEXT, FieldType.INTEGER, FieldType.DECIMAL,
            FieldType.PERCENT, FieldType.BOOLEAN, FieldType.DATE, FieldType.DATETIME, FieldType.EMAIL,
            FieldType.PHONE, FieldType.URL, FieldType.PICKLIST, FieldType.REFERENCE);
    /** The key of a type's owner index (a system property, so no field can be named like it in the index map). */
    private static final String OWNER = "owner";

    /** type -> field name (or {@link #OWNER}) -> value -> the id holding it, or a {@code Set<UUID>} of several. */
    private final Map<String, Map<String, NavigableMap<Object, Object>>> byType = new HashMap<>();

    /** Whether a field of a type gets an index. */
    static boolean indexes(Field f) {
        return (f.indexed() || f.unique() || f.type() == FieldType.REFERENCE) && !f.encrypted()
                && INDEXABLE.contains(f.type());
    }

    /**
     * Builds the indexes of a type again from its committed records (after its fields changed or a schema change
     * rewrote its records); a type that no longer exists loses its indexes.
     */
    void rebuild(String type, @Nullable ObjectType definition, Collection<Record> records) {
        if (definition == null) {
            byType.remove(type);
            return;
        }
        Map<String, NavigableMap<Object, Object>> indexes = new HashMap<>();
        indexes.put(OWNER, new TreeMap<>(FieldIndexes::compare));
        for (Field f : definition.fields()) {
            if (indexes(f)) {
                indexes.put(f.name(), new TreeMap<>(FieldIndexes::compare));
            }
        }
        byType.put(type, indexes);
        for (Record r : records) {
            write(type, null, r);
        }
    }

    /** Builds every type's indexes again (a restore). */
    void rebuildAll(SchemaSnapshot schema, Map<String, RowTable> tables) {
        byType.clear();
        for (ObjectType t : schema.types()) {
            RowTable table = tables.get(t.name());
            rebuild(t.name(), t, table == null ? List.of() : table.values());
        }
    }

    void clear() {
        byType.clear();
    }

    /** Moves a record from its old values ({@code before}, null when new) to its new ones (null when purged). */
    void write(String type, @Nullable Record before, @Nullable Record after) {
        Map<String, NavigableMap<Object, Object>> indexes = byType.get(type);
        if (indexes == null) {
            return;
        }
        for (Map.Entry<String, NavigableMap<Object, Object>> e : indexes.entrySet()) {
            Object old = before == null ? null : valueOf(before, e.getKey());
            Object now = after == null ? null : valueOf(after, e.getKey());
            if (old != null && now != null && compare(old, now) == 0) {
                continue;
            }
            if (before != null && old != null) {
                remove(e.getValue(), old, before.id());
            }
            if (after != null && now != null) {
                add(e.getValue(), now, after.id());
            }
        }
    }

    /**
     * The ids of the committed records that can match {@code filter}, from the most selective index one of its
     * conditions can use; null when no index applies (the caller scans). Records written by a transaction but not
     * committed are the caller's to add.
     */
    @Nullable
    Collection<UUID> candidates(String type, Filter filter, ResolvedPaths paths) {
        Map<String, NavigableMap<Object, Object>> indexes = byType.get(type);
        if (indexes == null) {
            return null;
        }
        List<Filter> conditions = filter instanceof Filter.And and ? and.operands() : List.of(filter);
        Collection<UUID> best = null;
        boolean bestIsRange = true;
        for (Filter condition : conditions) {
            boolean range = condition instanceof Filter.Between || condition instanceof Filter.Compare c
                    && c.op() != Filter.Op.EQ;
            if (best != null && range && !bestIsRange) {
                continue; // an equality already narrows; a range would only read more of its index
            }
            Collection<UUID> ids = lookUp(indexes, condition, paths);
            if (ids != null && (best == null || ids.size() < best.size() || bestIsRange && !range)) {
                best = ids;
                bestIsRange = range;
            }
        }
        return best;
    }

    @Nullable
    private static Collection<UUID> lookUp(Map<String, NavigableMap<Object, Object>> indexes, Filter condition,
            ResolvedPaths paths) {
        return switch (condition) {
            case Filter.Compare c when c.op() != Filter.Op.NE -> {
                NavigableMap<Object, Object> index = index(indexes, c.path(), paths);
                if (index == null) {
                    yield null;
                }
                yield switch (c.op()) {
                    case EQ -> ids(index.get(c.value()));
                    case LT -> ids(index.headMap(c.value(), false).values());
                    case LTE -> ids(index.headMap(c.value(), true).values());
                    case GT -> ids(index.tailMap(c.value(), false).values());
                    case GTE -> ids(index.tailMap(c.value(), true).values());
                    case NE -> throw new IllegalStateException("not indexed");
                };
            }
            case Filter.In in -> {
                NavigableMap<Object, Object> index = index(indexes, in.path(), paths);
                if (index == null) {
                    yield null;
                }
                List<Object> held = new ArrayList<>();
                for (Object v : in.values()) {
                    if (v != null) {
                        held.add(index.get(v));
                    }
                }
                yield ids(held);
            }
            case Filter.Between b when b.low() != null && b.high() != null -> {
                NavigableMap<Object, Object> index = index(indexes, b.path(), paths);
                if (index == null || compare(b.low(), b.high()) > 0) {
                    yield index == null ? null : List.of();
                }
                yield ids(index.subMap(b.low(), true, b.high(), true).values());
            }
            default -> null;
        };
    }

    /** The index a path reads, or null: only a field (or owner) of the queried type itself, without a part. */
    @Nullable
    private static NavigableMap<Object, Object> index(Map<String, NavigableMap<Object, Object>> indexes, String path,
            ResolvedPaths paths) {
        ResolvedPath resolved = paths.get(path);
        if (!resolved.hops().isEmpty() || resolved.part() != null || resolved.conversion() != null) {
            return null;
        }
        if (resolved.property() != null) {
            return resolved.property().equals(OWNER) ? indexes.get(OWNER) : null;
        }
        Field f = resolved.field();
        return f == null ? null : indexes.get(f.name());
    }

    @Nullable
    private static Object valueOf(Record r, String key) {
        return key.equals(OWNER) ? r.owner() : r.get(key);
    }

    private static Collection<UUID> ids(@Nullable Object held) {
        if (held == null) {
            return List.of();
        }
        if (held instanceof UUID id) {
            return List.of(id);
        }
        @SuppressWarnings("unchecked")
        Set<UUID> several = (Set<UUID>) held;
        return several;
    }

    private static Collection<UUID> ids(Collection<Object> helds) {
        Set<UUID> out = new HashSet<>();
        for (Object held : helds) {
            out.addAll(ids(held));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void add(NavigableMap<Object, Object> index, Object value, UUID id) {
        Object held = index.get(value);
        if (held == null) {
            index.put(value, id);
        } else if (held instanceof UUID one) {
            if (!one.equals(id)) {
                Set<UUID> several = new IdSet();
                several.add(one);
                several.add(id);
                index.put(value, several);
            }
        } else {
            ((Set<UUID>) held).add(id);
        }
    }

    @SuppressWarnings("unchecked")
    private static void remove(NavigableMap<Object, Object> index, Object value, UUID id) {
        Object held = index.get(value);
        if (held instanceof UUID one) {
            if (one.equals(id)) {
                index.remove(value);
            }
        } else if (held != null) {
            Set<UUID> several = (Set<UUID>) held;
            several.remove(id);
            if (several.size() == 1) {
                index.put(value, several.iterator().next());
            } else if (several.isEmpty()) {
                index.remove(value);
            }
        }
    }

    /**
     * {@link ValueOrder#compare}, with ids compared by their unsigned halves (the order of their text, without
     * making the text on every step of a tree lookup).
     */
    private static int compare(Object a, Object b) {
        if (a instanceof UUID x && b instanceof UUID y) {
            int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
            return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
        }
        return ValueOrder.compare(a, b);
    }
}
