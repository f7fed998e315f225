package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.value.codec.Problems;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.storage.spi.StorageQuery;

/**
 * The unique-value check of a dry-run import ({@link RecordImport}), which writes nothing and so cannot let the
 * storage refuse a value taken. For each unique field of text, number, date or id type, a row's value is refused
 * ({@code NOT_UNIQUE}) when a stored record of the type holds it (any owner, soft-deleted ones too, as the storage's
 * constraint counts them: what a real run's insert would have said), when an earlier row of the same batch has it,
 * or when an earlier row of the import that passed has it. That last check remembers at most
 * {@value #MAX_REMEMBERED} values over the whole run, so memory stays bounded; past that, repeats within the file are
 * caught within a batch only.
 */
final class UniqueProbe {
    /** Values of earlier batches remembered, over all unique fields. */
    static final int MAX_REMEMBERED = 100_000;
    /** Values looked up by one query. */
    private static final int VALUES_PER_QUERY = 500;

    private final String type;
    private final Map<String, Set<Object>> seen = new HashMap<>();
    private int remembered;

    UniqueProbe(String type) {
        this.type = type;
    }

    /**
     * The rows (of the valid records of one batch, by row number) whose unique values are taken, each with its
     * errors; the values of the others are remembered for later batches.
     */
    Map<Long, List<FieldError>> check(Tx tx, CompiledSchema cs, Map<Long, Record> byRow) {
        Map<Long, List<FieldError>> out = new TreeMap<>();
        List<Field> unique = cs.snapshot.findObjectType(type).map(t -> t.fields().stream().filter(Field::unique)
                .toList()).orElse(List.of());
        Map<Long, Record> rows = new TreeMap<>(byRow);
        for (Field f : unique) {
            Set<Object> values = new LinkedHashSet<>();
            rows.values().forEach(r -> {
                Object v = r.get(f.name());
                if (comparable(v)) {
                    values.add(v);
                }
            });
            if (values.isEmpty()) {
                continue;
            }
            Set<Object> stored = held(tx, cs, f, values);
            Set<Object> earlier = seen.getOrDefault(f.name(), Set.of());
            Set<Object> inBatch = new HashSet<>();
            for (Map.Entry<Long, Record> e : rows.entrySet()) {
                Object v = e.getValue().get(f.name());
                if (!comparable(v)) {
                    continue;
                }
                String shown = f.name() + " '" + Problems.abbreviate(String.valueOf(v)) + "'";
                String why = stored.contains(v) ? "another " + type + " already has " + shown
                        : earlier.contains(v) || !inBatch.add(v) ? "an earlier row of this import has " + shown
                        : null;
                if (why != null) {
                    out.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(new FieldError(f.name(), FieldErrorCode.NOT_UNIQUE, why));
                }
            }
        }
        rememberPassed(unique, rows, out.keySet());
        return out;
    }

    private void rememberPassed(List<Field> unique, Map<Long, Record> rows, Set<Long> refused) {
        for (Map.Entry<Long, Record> e : rows.entrySet()) {
            if (refused.contains(e.getKey())) {
                continue;
            }
            for (Field f : unique) {
                Object v = e.getValue().get(f.name());
                if (comparable(v) && remembered < MAX_REMEMBERED
                        && seen.computeIfAbsent(f.name(), k -> new HashSet<>()).add(v)) {
                    remembered++;
                }
            }
        }
    }

    /** The values of {@code field} that stored records (deleted ones too, in any scope) hold. */
    private Set<Object> held(Tx tx, CompiledSchema cs, Field field, Set<Object> values) {
        Set<Object> out = new HashSet<>();
        List<Object> all = new ArrayList<>(values);
        for (int from = 0; from < all.size(); from += VALUES_PER_QUERY) {
            List<Object> part = all.subList(from, Math.min(all.size(), from + VALUES_PER_QUERY));
            StorageQuery q = StorageQuery.resolve(cs.snapshot, type, Filters.where(field.name()).in(List.copyOf(
                    part)), List.of(Sort.asc("id")), part.size() + 1, null, Query.Deleted.INCLUDE);
            for (Record r : tx.storage.query(type, q)) {
                Object v = r.get(field.name());
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** Whether a value is one a filter compares as the unique constraint does (text, numbers, dates, ids). */
    private static boolean comparable(@org.jspecify.annotations.Nullable Object v) {
        return v instanceof String || v instanceof Long || v instanceof BigDecimal || v instanceof LocalDate
                || v instanceof Instant || v instanceof UUID;
    }
}
