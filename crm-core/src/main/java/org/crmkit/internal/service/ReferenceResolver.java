package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.RecordSet;
import org.crmkit.duplicate.DuplicateException;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.service.ReferenceLookups.Lookup;
import org.crmkit.internal.service.RowBatches.Row;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ReferenceLookup;
import org.crmkit.record.Record;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Permission;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.ValueOrder;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the reference fields an import or upsert looks up by key ({@link ImportOptions#references()}), one
 * batch at a time inside the batch's transaction, so nothing read for one batch is trusted in the next:
 * <ol>
 * <li>each row's key is converted as the key field converts values, and its dotted columns
 * ({@code company.name}) are taken out of the row (those of a reference without a lookup are an error);</li>
 * <li>the batch's distinct keys are read with one query per lookup (per {@value #KEYS_PER_QUERY} keys): every
 * record holding one, deleted or not, whoever owns it (the holders the storage's unique check sees), filtered on a
 * field the caller may read. A row is linked only to a live holder in the caller's scope ({@link Access#inScope},
 * the rule every read applies); any other holder is "not found", in the same words as a key nobody holds, so
 * the answer tells nothing about records the caller cannot see;</li>
 * <li>with {@code createMissing}, a key no record holds is created once, through {@link Records#create} in the
 * same transaction (so permission, validation, duplicate rules, change log and roll-ups apply), with the key and
 * the dotted values of the first row naming it; one held by a record the caller cannot see stays "not found";</li>
 * <li>{@link Resolved#write} runs the row's write with the ids in place of the keys and reports the row's
 * reference errors with the write's own.</li>
 * </ol>
 * Reading holders and creating in one transaction leaves one race: another import creating the key after the read.
 * The create then fails the transaction with the storage's {@code NOT_UNIQUE} (the unique key decides);
 * {@link #transaction} reads the keys again and turns that into a {@link ConflictException}, which the importer
 * answers by running the batch again, when the read finds the winner's record.
 */
final class ReferenceResolver {
    /** Most keys one lookup query names. */
    static final int KEYS_PER_QUERY = 1_000;

    private final CrmEngine engine;
    private final Access access;
    private final String type;
    private final Map<String, ReferenceLookup> options;
    /** The keys of the records the current transaction tried to create, per lookup; see {@link #transaction}. */
    private final Map<Lookup, Set<Object>> attempted = new LinkedHashMap<>();

    /** Checks the options against the current schema: a {@link ValidationException} names each bad one. */
    ReferenceResolver(CrmEngine engine, Access access, String type, ImportOptions options) {
        this.engine = engine;
        this.access = access;
        this.type = type;
        this.options = options.references();
        lookups(engine.schema.compiled());
    }

    private Map<String, Lookup> lookups(CompiledSchema cs) {
        if (options.isEmpty()) {
            return Map.of();
        }
        ObjectType t = cs.snapshot.findObjectType(type).orElseThrow(() -> SchemaService.unknownType(type));
        return ReferenceLookups.check(cs, t, access, options);
    }

    /**
     * Runs a batch's transaction. When the storage refuses it for a unique value of a record this resolver tried
     * to create in it: a {@link ConflictException} if another transaction holds one of those keys now (run the
     * batch again: the lookup will find it); else the refusal as an error of the imported type on
     * {@code <reference>.<field>} when it was about the created record, so that the row naming it reports it.
     */
    <T> T transaction(Function<Tx, T> work) {
        attempted.clear();
        try {
            return engine.transaction(work);
        } catch (ValidationException e) {
            if (attempted.isEmpty()) {
                throw e;
            }
            Map<Lookup, Set<Object>> tried = new LinkedHashMap<>(attempted);
            attempted.clear();
            throw afterRefusal(e, tried);
        }
    }

    private RuntimeException afterRefusal(ValidationException e, Map<Lookup, Set<Object>> tried) {
        CompiledSchema cs = engine.schema.compiled();
        for (Map.Entry<Lookup, Set<Object>> t : tried.entrySet()) {
            Lookup l = t.getKey();
            if (l.target().equals(e.objectType())) {
                Map<Object, Record> now = engine.transaction(tx -> holders(tx, cs, l, t.getValue()));
                if (!now.isEmpty()) {
                    return new ConflictException(l.target(), new UUID(0, 0), 0, 0, "another transaction created the "
                            + l.target() + " with " + l.key().name() + " '" + now.keySet().iterator().next()
                            + "' meanwhile; run the import again");
                }
            }
        }
        for (Map.Entry<Lookup, Set<Object>> t : tried.entrySet()) {
            Lookup l = t.getKey();
            if (l.target().equals(e.objectType()) && !l.target().equals(type)) {
                Object key = t.getValue().size() == 1 ? t.getValue().iterator().next() : null;
                return new ValidationException(type, parentErrors(l, key, e.errors()));
            }
        }
        return e;
    }

    /** Resolves the references of a batch in {@code tx}. */
    Resolved resolve(Tx tx, CompiledSchema cs, List<Row> batch) {
        Map<String, Lookup> lookups = lookups(cs);
        Resolved out = new Resolved(type);
        if (lookups.isEmpty()) {
            return out;
        }
        ObjectType t = cs.snapshot.findObjectType(type).orElseThrow(() -> SchemaService.unknownType(type));
        Map<Lookup, Map<Long, Object>> keys = new LinkedHashMap<>();
        Map<Lookup, Map<Object, Map<String, @Nullable Object>>> given = new HashMap<>();
        for (Row row : batch) {
            Map<String, @Nullable Object> values = new HashMap<>(row.values());
            out.values.put(row.number(), values);
            Map<String, Map<String, @Nullable Object>> dotted = dotted(t, lookups, row, values, out);
            for (Lookup l : lookups.values()) {
                Object k = key(l, row, values, dotted.get(l.reference()), out);
                if (k != null) {
                    keys.computeIfAbsent(l, x -> new LinkedHashMap<>()).put(row.number(), k);
                }
                if (k != null && l.createMissing()) {
                    given.computeIfAbsent(l, x -> new HashMap<>()).putIfAbsent(k,
                            dotted.getOrDefault(l.reference(), Map.of()));
                }
            }
        }
        for (Map.Entry<Lookup, Map<Long, Object>> e : keys.entrySet()) {
            Lookup l = e.getKey();
            Map<Object, Record> held = holders(tx, cs, l, new LinkedHashSet<>(e.getValue().values()));
            Access targetAccess = new Access(access.principal(), l.target(), cs, access.models());
            Map<Object, UUID> ids = new HashMap<>();
            held.forEach((k, r) -> {
                if (!r.isDeleted() && targetAccess.inScope(r)) {
                    ids.put(k, r.id());
                }
            });
            Map<Object, List<FieldError>> refused = new HashMap<>();
            if (l.createMissing()) {
                createMissing(tx, targetAccess, l, given.getOrDefault(l, Map.of()), held.keySet(), ids, refused);
            }
            e.getValue().forEach((row, k) -> {
                UUID id = ids.get(k);
                Map<String, @Nullable Object> values = out.values.getOrDefault(row, new HashMap<>());
                if (id != null) {
                    values.put(l.reference(), id);
                } else {
                    values.remove(l.reference());
                    refused.getOrDefault(k, List.of(notFound(l, k, ""))).forEach(x -> out.fail(row, l.reference(), x));
                }
            });
        }
        return out;
    }

    /**
     * Takes the row's dotted columns out of {@code values}: those of a lookup come back by reference name (field
     * to value), those of another reference field the caller sees are errors; other names are left to the write.
     */
    private Map<String, Map<String, @Nullable Object>> dotted(ObjectType t, Map<String, Lookup> lookups,
            Row row, Map<String, @Nullable Object> values, Resolved out) {
        Map<String, Map<String, @Nullable Object>> found = new HashMap<>();
        for (Map.Entry<String, ?> e : row.values().entrySet()) {
            String name = e.getKey();
            int dot = name == null ? -1 : name.indexOf('.');
            if (dot <= 0) {
                continue;
            }
            String reference = name.substring(0, dot);
            if (lookups.containsKey(reference)) {
                values.remove(name);
                found.computeIfAbsent(reference, x -> new LinkedHashMap<>()).put(name.substring(dot + 1), e.getValue());
            } else if (t.findField(reference).filter(f -> f.type() == FieldType.REFERENCE
                    || f.type() == FieldType.RELATION).filter(f -> access.canSee(f.name())).isPresent()) {
                values.remove(name);
                out.fail(row.number(), name, new FieldError(name, FieldErrorCode.UNKNOWN_FIELD, name + " gives a "
                        + "value of the record " + reference + " references, but " + reference + " takes record ids:"
                        + " only a reference resolved by a key (ImportOptions.resolve) takes values for it"));
            }
        }
        return found;
    }

    /** The row's key for {@code l}, converted; null when it gives none (or a bad one, reported). */
    private @Nullable Object key(Lookup l, Row row, Map<String, @Nullable Object> values,
            @Nullable Map<String, @Nullable Object> dotted, Resolved out) {
        String ref = l.reference();
        Object raw = row.values().get(ref);
        List<FieldError> problems = new ArrayList<>();
        Object k = raw == null ? null : engine.converter.convert(l.key(), raw, problems);
        for (FieldError p : problems) {
            values.remove(ref);
            out.fail(row.number(), ref, new FieldError(ref, p.code(), ref + " is looked up by " + l.target() + "."
                    + l.key().name() + ": " + p.message()));
        }
        if (k == null && problems.isEmpty()) {
            if (raw != null) {
                values.put(ref, null); // blank: no reference
            }
            if (dotted != null) {
                out.fail(row.number(), ref, new FieldError(ref, FieldErrorCode.REQUIRED, "the row gives values of "
                        + ref + " (" + String.join(", ", dotted.keySet()) + ") but not its " + l.key().name()));
            }
        }
        return k;
    }

    /**
     * Creates a record for each key no record holds ({@code held}: the keys some record holds, {@code ids}: those
     * the caller may link to), in key order (so concurrent imports take the keys in the same order); adds the new
     * ids to {@code ids} and the keys that stay unresolved, with why, to {@code refused}. A key held by a record
     * the caller cannot see, or a deleted one, stays "not found", as without createMissing.
     */
    private void createMissing(Tx tx, Access targetAccess, Lookup l, Map<Object, Map<String, @Nullable Object>> given,
            Set<Object> held, Map<Object, UUID> ids, Map<Object, List<FieldError>> refused) {
        List<Object> missing = given.keySet().stream().filter(k -> !ids.containsKey(k)).sorted(ValueOrder::compare)
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        if (!targetAccess.can(Permission.CREATE)) {
            missing.forEach(k -> refused.put(k, List.of(notFound(l, k, ", and creating one needs the CREATE "
                    + "permission on " + l.target()))));
            return;
        }
        RecordSet parents = new Session(engine, access.principal(), tx).records(l.target());
        for (Object k : missing) {
            if (held.contains(k)) {
                continue;
            }
            Map<String, @Nullable Object> values = new HashMap<>(given.getOrDefault(k, Map.of()));
            values.put(l.key().name(), k);
            attempted.computeIfAbsent(l, x -> new LinkedHashSet<>()).add(k);
            try {
                ids.put(k, parents.create(values).id());
            } catch (ValidationException e) {
                if (e.errors().stream().anyMatch(x -> x.code() == FieldErrorCode.NOT_UNIQUE)) {
                    throw e; // the storage's unique check: decided for the transaction as a whole (see transaction)
                }
                refused.put(k, parentErrors(l, k, e.errors()));
            } catch (DuplicateException e) {
                refused.put(k, parentErrors(l, k, List.of(DuplicateGuard.rowError(e))));
            }
        }
    }

    /**
     * The records of {@code l}'s target holding {@code keys}, by key, whoever owns them and deleted or not: the
     * holders the storage's unique check sees. The caller's field access applies to the filter; the caller's scope
     * is applied by the callers of this method, to what it returns.
     */
    private Map<Object, Record> holders(Tx tx, CompiledSchema cs, Lookup l, Collection<Object> wanted) {
        List<Object> keys = List.copyOf(wanted);
        Map<Object, Record> out = new HashMap<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
            List<Object> part = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
            QueryPlanner planner = new QueryPlanner(cs, l.target(), access.principal(), engine.converter,
                    engine.accessModels);
            Filter filter = planner.filter(Filters.where(l.key().name()).in(List.copyOf(part)));
            planner.resolveAdded("id");
            planner.finish();
            StorageQuery q = new StorageQuery(filter, List.of(Sort.asc("id")), part.size() + 1, null,
                    Query.Deleted.INCLUDE, planner.paths());
            for (Record r : tx.storage.query(l.target(), q)) {
                Object held = r.get(l.key().name());
                if (held != null) {
                    out.put(held, r);
                }
            }
        }
        return out;
    }

    private static FieldError notFound(Lookup l, Object key, String more) {
        return new FieldError(l.reference(), FieldErrorCode.INVALID_REFERENCE, "no " + l.target() + " has "
                + l.key().name() + " '" + key + "'" + more);
    }

    /** The errors of creating {@code l}'s record, as errors of the row on {@code <reference>.<field>}. */
    private static List<FieldError> parentErrors(Lookup l, @Nullable Object key, List<FieldError> errors) {
        String what = "creating the " + l.target() + (key == null ? "" : " with " + l.key().name() + " '" + key
                + "'") + ": ";
        return errors.stream().map(e -> new FieldError(e.field().equals(FieldError.RECORD) ? l.reference()
                : l.reference() + "." + e.field(), e.code(), what + e.message())).toList();
    }

    /**
     * A batch's rows with their references resolved: the values to write per row (keys replaced by ids, dotted
     * columns removed) and the row's reference errors.
     */
    static final class Resolved {
        private final String objectType;
        private final Map<Long, Map<String, @Nullable Object>> values = new HashMap<>();
        private final Map<Long, List<FieldError>> errors = new HashMap<>();
        /** Per row, the names whose errors are this resolver's: the write's errors on them are left out. */
        private final Map<Long, Set<String>> failed = new HashMap<>();

        private Resolved(String objectType) {
            this.objectType = objectType;
        }

        private void fail(long row, String name, FieldError error) {
            errors.computeIfAbsent(row, x -> new ArrayList<>()).add(error);
            failed.computeIfAbsent(row, x -> new java.util.HashSet<>()).add(name);
        }

        /**
         * Runs {@code write} (a create or update pipeline) on the row's resolved values and returns its record;
         * throws one {@link ValidationException} with the row's reference errors and the write's other errors.
         */
        Record write(Row row, Function<Map<String, ?>, Record> write) {
            Map<String, ?> v = values.get(row.number());
            List<FieldError> own = errors.getOrDefault(row.number(), List.of());
            Record r;
            try {
                r = write.apply(v == null ? row.values() : v);
            } catch (ValidationException e) {
                if (own.isEmpty()) {
                    throw e;
                }
                Set<String> ours = failed.getOrDefault(row.number(), Set.of());
                List<FieldError> all = new ArrayList<>(own);
                e.errors().stream().filter(x -> !ours.contains(x.field())).forEach(all::add);
                throw new ValidationException(objectType, all);
            }
            if (!own.isEmpty()) {
                throw new ValidationException(objectType, own);
            }
            return r;
        }
    }
}
