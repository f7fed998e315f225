package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.internal.cel.CelPrograms;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Stage;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.StorageQuery;
import org.jspecify.annotations.Nullable;

/** {@link RecordSet} of one type for one session: access, conversion, validation, writes and change log. */
final class Records implements RecordSet {
    private static final Set<String> READ_ONLY_PROPERTIES = Set.of("id", "version", "created_at", "created_by",
            "updated_at", "updated_by", "deleted_at");
    private static final int MAX_PRINCIPAL_LENGTH = 255;

    private final Session session;
    private final CrmEngine engine;
    private final String type;

    Records(Session session, String type) {
        this.session = session;
        this.engine = session.engine;
        this.type = type;
    }

    @Override
    public String objectType() {
        return type;
    }

    /** A null argument is bad input like any other: a typed error naming the argument. */
    private <T> T present(@Nullable T argument, String name) {
        if (argument == null) {
            throw new ValidationException(type, new FieldError(name, FieldErrorCode.REQUIRED, name
                    + " must not be null"));
        }
        return argument;
    }

    private Access access() {
        return new Access(session.principal(), type, schema());
    }

    private CompiledSchema schema() {
        return engine.schema.compiled();
    }

    private ObjectType objectTypeIn(CompiledSchema cs) {
        return cs.snapshot.findObjectType(type).orElseThrow(() -> SchemaService.unknownType(type));
    }

    // ---- reads --------------------------------------------------------------------------------------------

    @Override
    public Record get(UUID id) {
        Objects.requireNonNull(id, "id");
        return find(id).orElseThrow(() -> new NotFoundException(type, id));
    }

    @Override
    public Optional<Record> find(UUID id) {
        Objects.requireNonNull(id, "id");
        present(id, "id");
        Access access = access();
        access.require(Permission.READ);
        CompiledSchema cs = schema();
        return session.inTx(tx -> {
                    Optional<Record> stored = tx.storage.find(type, id);
                    stored.ifPresent(tx::saw);
                    return stored;
                })
                .filter(r -> !r.isDeleted() && access.inScope(r))
                .map(r -> present(r, access, cs));
    }

    @Override
    public Page<Record> query(Query query) {
        Objects.requireNonNull(query, "query");
        present(query, "query");
        Access access = access();
        access.require(Permission.READ);
        CompiledSchema cs = schema();
        QueryPlanner planner = new QueryPlanner(cs, type, session.principal(), engine.converter);
        Filter filter = planner.withScope(planner.filter(query.filter()));
        List<ResolvedPath> sortPaths = planner.sorts(query.sorts());
        if (query.limit() < 1 || query.limit() > Query.MAX_LIMIT) {
            planner.error(new FieldError("limit", FieldErrorCode.OUT_OF_RANGE, "page size must be 1 to "
                    + Query.MAX_LIMIT));
        }
        planner.finish();
        List<Sort> sorts = new ArrayList<>(query.sorts());
        sorts.add(Sort.asc("id"));
        String binding = cursorBinding(filter, sorts, query.deleted());
        List<@Nullable Object> after = null;
        if (query.after() != null) {
            after = engine.cursors.decode(binding, query.after(), sortPaths);
            if (after == null) {
                throw new ValidationException(type, new FieldError("cursor", FieldErrorCode.WRONG_TYPE,
                        "not a cursor of this query"));
            }
        }
        StorageQuery sq = new StorageQuery(filter, sorts, query.limit() + 1, after, query.deleted());
        List<Record> rows = session.inTx(tx -> tx.storage.query(type, sq));
        String next = null;
        if (rows.size() > query.limit()) {
            rows = rows.subList(0, query.limit());
            Record last = rows.get(rows.size() - 1);
            List<@Nullable Object> key = new ArrayList<>();
            for (ResolvedPath p : sortPaths) {
                key.add(p.valueOn(last));
            }
            key.add(last.id());
            next = engine.cursors.encode(binding, key);
        }
        return new Page<>(rows.stream().map(r -> present(r, access, cs)).toList(), next, query);
    }

    /**
     * What a cursor is bound to: the query as checked (object type, principal with roles and teams, filter with
     * scopes and converted values, sort keys, deletion state), so a cursor works only for the query and the
     * principal it was made for.
     */
    private String cursorBinding(Filter checked, List<Sort> sorts, Query.Deleted deleted) {
        StringBuilder b = new StringBuilder();
        org.crmkit.security.Principal p = session.principal();
        for (Object part : List.of(type, p.id(), p.roles().stream().map(org.crmkit.security.Role::name).toList(),
                p.teams(), p.system(), deleted, sorts, checked)) {
            String text = part.toString();
            b.append(text.length()).append(':').append(text).append(';');
        }
        return b.toString();
    }

    @Override
    public long count(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        Access access = access();
        access.require(Permission.READ);
        QueryPlanner planner = new QueryPlanner(schema(), type, session.principal(), engine.converter);
        Filter checked = planner.withScope(planner.filter(present(filter, "filter")));
        planner.finish();
        return session.inTx(tx -> tx.storage.count(type, checked, Query.Deleted.EXCLUDE));
    }

    @Override
    public List<AggregateRow> aggregate(Aggregation aggregation, Filter filter) {
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(filter, "filter");
        Access access = access();
        access.require(Permission.READ);
        CompiledSchema cs = schema();
        QueryPlanner planner = new QueryPlanner(cs, type, session.principal(), engine.converter);
        Filter checked = planner.withScope(planner.filter(present(filter, "filter")));
        aggregation.groupBy().forEach(planner::groupBy);
        aggregation.metrics().forEach(planner::metric);
        if (aggregation.groupBy().size() > 4) {
            planner.error(new FieldError("groupBy", FieldErrorCode.OUT_OF_RANGE, "at most 4 group keys"));
        }
        planner.finish();
        AggregatePlan plan = new AggregatePlan(objectTypeIn(cs), aggregation);
        return plan.results(session.inTx(tx -> tx.storage.aggregate(type, checked, aggregation.groupBy(),
                plan.storageMetrics())));
    }

    @Override
    public org.crmkit.search.SearchResult search(String text) {
        Objects.requireNonNull(text, "text");
        return session.search(org.crmkit.search.SearchQuery.of(present(text, "text")).types(type));
    }

    @Override
    public List<ChangeLogEntry> timeline(UUID id) {
        Objects.requireNonNull(id, "id");
        Access access = access();
        access.require(Permission.READ);
        Record r = session.inTx(tx -> tx.storage.find(type, id)).orElse(null);
        if (r == null || !access.inScope(r)) {
            throw new NotFoundException(type, id);
        }
        ObjectType t = objectTypeIn(schema());
        return engine.storage.changesOf(type, id).stream()
                .flatMap(e -> VisibleChanges.of(e, access, t).stream())
                .toList();
    }

    /** The record as the caller may see it: hidden fields removed, formulas computed. */
    private Record present(Record r, Access access, CompiledSchema cs) {
        ObjectType t = objectTypeIn(cs);
        Map<String, Object> values = new HashMap<>(r.values());
        values.putAll(formulas(cs, t, r.values()));
        values.keySet().removeIf(f -> !access.canSee(f));
        return new Record(r.id(), r.type(), r.version(), r.owner(), r.team(), r.createdAt(), r.createdBy(),
                r.updatedAt(), r.updatedBy(), r.deletedAt(), values);
    }

    private static Map<String, Object> formulas(CompiledSchema cs, ObjectType t, Map<String, Object> values) {
        Map<String, CelPrograms.Program> programs = cs.formulas(t.name());
        if (programs.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> vars = CelPrograms.variables(t, values, false);
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<String, CelPrograms.Program> e : programs.entrySet()) {
            Field f = t.findField(e.getKey()).orElseThrow();
            try {
                Object v = CelPrograms.fromCel(f, e.getValue().eval(vars));
                if (v != null) {
                    out.put(f.name(), v);
                }
            } catch (Exception ex) {
                // a formula that cannot be evaluated on this record (division by zero, empty input) is empty
            }
        }
        return out;
    }

    // ---- writes -------------------------------------------------------------------------------------------

    @Override
    public Record create(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        present(values, "values");
        Access access = access();
        access.require(Permission.CREATE);
        return session.inTx(tx -> {
            CompiledSchema cs = schema();
            Record created = newRecord(tx, access, cs, values);
            tx.storage.insert(created);
            logCreated(tx, created);
            tx.saw(created);
            return present(created, access, cs);
        });
    }

    @Override
    public ImportResult importRecords(String importId, Iterable<? extends Map<String, ?>> rows,
            ImportOptions options) {
        RecordImport.checkArguments(type, importId, rows, options);
        if (session.inOpenTransaction()) {
            throw new IllegalStateException("importRecords commits batch by batch; it cannot run inside inTransaction");
        }
        Access access = access();
        access.require(Permission.CREATE);
        return new RecordImport(engine, this, access, importId, options).run(rows);
    }

    /**
     * The first half of a create, shared with imports: checks and converts {@code values} (access, defaults,
     * validation, record rules) and returns the record to insert, or throws every problem in a
     * {@link ValidationException}.
     */
    Record newRecord(Tx tx, Access access, CompiledSchema cs, Map<String, ?> values) {
        return write(tx, access, cs, null, values);
    }

    /** The second half of a create, after the insert: its change-log entry. */
    void logCreated(Tx tx, Record created) {
        tx.log(entry(tx, created, Operation.CREATE, diff(null, created)));
    }

    @Override
    public Record update(UUID id, long expectedVersion, Map<String, ?> changes) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(changes, "changes");
        present(id, "id");
        present(changes, "changes");
        Access access = access();
        access.require(Permission.UPDATE);
        return session.inTx(tx -> {
            CompiledSchema cs = schema();
            Record before = atVersion(tx, access, id, expectedVersion);
            Record after = write(tx, access, cs, before, changes);
            List<FieldChange> diff = diff(before, after);
            if (diff.isEmpty()) {
                return present(before, access, cs);
            }
            tx.storage.update(after, before);
            tx.log(entry(tx, after, Operation.UPDATE, diff));
            tx.saw(after);
            return present(after, access, cs);
        });
    }

    @Override
    public Record delete(UUID id, long expectedVersion) {
        Objects.requireNonNull(id, "id");
        Access access = access();
        access.require(Permission.DELETE);
        return session.inTx(tx -> {
            Record before = atVersion(tx, access, id, expectedVersion);
            Record after = stamp(before, engine.clock.instant(), true);
            tx.storage.update(after, before);
            tx.log(entry(tx, after, Operation.DELETE, List.of()));
            tx.saw(after);
            return present(after, access, schema());
        });
    }

    @Override
    public Record restore(UUID id, long expectedVersion) {
        Objects.requireNonNull(id, "id");
        Access access = access();
        access.require(Permission.DELETE);
        return session.inTx(tx -> {
            Record before = tx.storage.find(type, id).filter(r -> r.isDeleted() && access.inScope(r))
                    .orElseThrow(() -> new NotFoundException(type, id));
            checkVersion(before, expectedVersion);
            Record after = stamp(before, null, true);
            tx.storage.update(after, before);
            tx.log(entry(tx, after, Operation.RESTORE, List.of()));
            tx.saw(after);
            return present(after, access, schema());
        });
    }

    @Override
    public void purge(UUID id) {
        Objects.requireNonNull(id, "id");
        Access access = access();
        access.require(Permission.DELETE);
        session.inTx(tx -> {
            Record r = tx.storage.find(type, id).filter(access::inScope)
                    .orElseThrow(() -> new NotFoundException(type, id));
            clearReferencesTo(tx, r.id());
            tx.storage.purge(type, id, r.version());
            tx.sawPurge(id);
            List<FieldChange> removed = new ArrayList<>();
            r.values().forEach((k, v) -> removed.add(new FieldChange(k, v, null)));
            tx.log(new ChangeLogEntry(0, engine.clock.instant(), session.principal().id(), type, id, Operation.PURGE,
                    r.version(), sorted(removed), tx.id));
            return null;
        });
    }

    /** Clears references and relation links pointing at a record about to be purged, logging each change. */
    private void clearReferencesTo(Tx tx, UUID target) {
        for (ObjectType other : schema().snapshot.types()) {
            for (Field f : other.fields()) {
                if (!type.equals(f.target())) {
                    continue;
                }
                Filter pointing = f.type() == FieldType.REFERENCE ? Filters.where(f.name()).eq(target)
                        : Filters.where(f.name()).hasAny(target);
                while (true) {
                    List<Record> batch = tx.storage.query(other.name(), new StorageQuery(pointing,
                            List.of(Sort.asc("id")), 500, null, Query.Deleted.INCLUDE)).stream()
                            .filter(r -> !r.id().equals(target) || !other.name().equals(type)).toList();
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (Record r : batch) {
                        Map<String, Object> values = new HashMap<>(r.values());
                        if (f.type() == FieldType.REFERENCE) {
                            values.remove(f.name());
                        } else {
                            List<UUID> kept = r.<UUID>getList(f.name()).stream().filter(x -> !x.equals(target)).toList();
                            if (kept.isEmpty()) {
                                values.remove(f.name());
                            } else {
                                values.put(f.name(), kept);
                            }
                        }
                        Record after = withValues(r, values, r.owner(), r.team());
                        tx.storage.update(after, r);
                        tx.saw(after);
                        tx.log(entry(tx, after, Operation.UPDATE, diff(r, after)));
                    }
                    if (batch.size() < 500) {
                        break;
                    }
                }
            }
        }
    }

    private Record live(Tx tx, Access access, UUID id) {
        return tx.storage.find(type, id).filter(r -> !r.isDeleted() && access.inScope(r))
                .orElseThrow(() -> new NotFoundException(type, id));
    }

    /**
     * The live record at {@code expectedVersion} as the caller may see it: from the engine's cache of committed
     * states when it holds exactly that version (the storage's version check at write time then decides whether it
     * is still current), else read; throws NotFound or Conflict.
     */
    private Record atVersion(Tx tx, Access access, UUID id, long expectedVersion) {
        Record cached = engine.recordCache.at(type, id, expectedVersion).orElse(null);
        if (cached != null) {
            if (cached.isDeleted() || !access.inScope(cached)) {
                throw new NotFoundException(type, id);
            }
            return cached;
        }
        Record before = live(tx, access, id);
        checkVersion(before, expectedVersion);
        return before;
    }

    private void checkVersion(Record r, long expected) {
        if (r.version() != expected) {
            throw new ConflictException(type, r.id(), expected, r.version());
        }
    }

    private Record stamp(Record r, @Nullable Instant deletedAt, boolean bump) {
        Instant now = engine.clock.instant();
        return new Record(r.id(), r.type(), bump ? r.version() + 1 : r.version(), r.owner(), r.team(), r.createdAt(),
                r.createdBy(), now, session.principal().id(), deletedAt, r.values());
    }

    private Record withValues(Record r, Map<String, Object> values, String owner, @Nullable String team) {
        return new Record(r.id(), r.type(), r.version() + 1, owner, team, r.createdAt(), r.createdBy(),
                engine.clock.instant(), session.principal().id(), r.deletedAt(), values);
    }

    private ChangeLogEntry entry(Tx tx, Record r, Operation op, List<FieldChange> changes) {
        return new ChangeLogEntry(0, engine.clock.instant(), session.principal().id(), type, r.id(), op, r.version(),
                changes, tx.id);
    }

    /** The field changes between two versions of a record (before null: a create), owner and team included. */
    private static List<FieldChange> diff(@Nullable Record before, Record after) {
        List<FieldChange> out = new ArrayList<>();
        Map<String, Object> old = before == null ? Map.of() : before.values();
        Set<String> names = new java.util.TreeSet<>(old.keySet());
        names.addAll(after.values().keySet());
        for (String n : names) {
            Object a = old.get(n);
            Object b = after.values().get(n);
            if (!Objects.equals(a, b)) {
                out.add(new FieldChange(n, a, b));
            }
        }
        if (before == null || !before.owner().equals(after.owner())) {
            out.add(new FieldChange("owner", before == null ? null : before.owner(), after.owner()));
        }
        if (before == null ? after.team() != null : !Objects.equals(before.team(), after.team())) {
            out.add(new FieldChange("team", before == null ? null : before.team(), after.team()));
        }
        return out;
    }

    private static List<FieldChange> sorted(List<FieldChange> changes) {
        return changes.stream().sorted(java.util.Comparator.comparing(FieldChange::field)).toList();
    }

    /**
     * Checks and converts a write and returns the record it produces (not yet stored). Collects every problem
     * and throws them together; nothing is written when anything is wrong. Record rules run even when fields
     * are invalid (seeing those fields at their previous values), so their errors come back in the same batch.
     */
    private Record write(Tx tx, Access access, CompiledSchema cs, @Nullable Record before, Map<String, ?> input) {
        ObjectType t = objectTypeIn(cs);
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> values = new HashMap<>(before == null ? Map.of() : before.values());
        String owner = before == null ? session.principal().id() : before.owner();
        String team = before == null ? (session.principal().teams().isEmpty() ? null : session.principal().teams()
                .get(0)) : before.team();
        Set<String> given = new LinkedHashSet<>();
        for (Map.Entry<String, ?> e : input.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                errors.add(new FieldError("null", FieldErrorCode.UNKNOWN_FIELD, "field name must not be null"));
                continue;
            }
            Object raw = e.getValue();
            if (name.equals("owner") || name.equals("team")) {
                if (!access.can(Permission.TRANSFER)) {
                    errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, session.principal().id()
                            + " may not set the " + name + " of " + type + " records (TRANSFER permission)"));
                    continue;
                }
                String v = principalValue(name, raw, errors, name.equals("team"));
                if (name.equals("owner") && v != null) {
                    owner = v;
                } else if (name.equals("team")) {
                    team = v;
                }
                continue;
            }
            if (READ_ONLY_PROPERTIES.contains(name)) {
                errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, name + " is set by CRMKit"));
                continue;
            }
            Field f = t.findField(name).orElse(null);
            if (f == null || !access.canSee(name)) {
                errors.add(new FieldError(org.crmkit.internal.schema.NameRules.shown(name),
                        FieldErrorCode.UNKNOWN_FIELD, type + " has no field '"
                        + org.crmkit.internal.schema.NameRules.shown(name) + "'"));
                continue;
            }
            if (f.type() == FieldType.FORMULA) {
                errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, "formula fields are computed"));
                continue;
            }
            if (access.field(name) != FieldAccess.EDITABLE) {
                errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, name + " is read-only for "
                        + session.principal().id()));
                continue;
            }
            int errorsBefore = errors.size();
            Object converted = convertKeepingInactive(f, raw, before, errors);
            if (errors.size() > errorsBefore) {
                continue;
            }
            if (f.deprecated() && converted != null && !Objects.equals(converted, values.get(name))) {
                errors.add(new FieldError(name, FieldErrorCode.DEPRECATED, name + " is deprecated"));
                continue;
            }
            given.add(name);
            if (converted == null) {
                values.remove(name);
            } else {
                values.put(name, converted);
            }
        }
        if (before == null) {
            for (Field f : t.fields()) {
                if (!given.contains(f.name()) && f.defaultValue() != null && !f.deprecated()) {
                    Object d = engine.converter.convert(f, f.defaultValue(), new ArrayList<>());
                    if (d != null) {
                        values.put(f.name(), d);
                    }
                }
            }
        }
        if (t.name().equals("deal") && !t.custom()) {
            dealStage(cs, before, values, given, errors);
        }
        for (Field f : t.fields()) {
            if (f.required() && !f.deprecated() && !values.containsKey(f.name())
                    && errors.stream().noneMatch(e -> e.field().equals(f.name()))) {
                errors.add(new FieldError(f.name(), FieldErrorCode.REQUIRED, f.name() + " is required"));
            }
        }
        checkReferences(tx, t, before, values, errors);
        checkRules(cs, t, access, before, values, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(type, errors);
        }
        Instant now = engine.clock.instant();
        if (before == null) {
            return new Record(engine.ids.get(), type, 1, owner, team, now, session.principal().id(), now,
                    session.principal().id(), null, values);
        }
        return withValues(before, values, owner, team);
    }

    /** Converts a value; an inactive picklist option the record already holds stays acceptable. */
    private @Nullable Object convertKeepingInactive(Field f, @Nullable Object raw, @Nullable Record before,
            List<FieldError> errors) {
        if (before != null && raw != null && (f.type() == FieldType.PICKLIST || f.type() == FieldType.MULTI_PICKLIST)) {
            Object current = before.get(f.name());
            if (Objects.equals(raw, current)) {
                return current;
            }
            if (f.type() == FieldType.MULTI_PICKLIST && current instanceof List<?> held) {
                Field widened = f.options(f.options().stream()
                        .map(o -> held.contains(o.value()) ? new org.crmkit.schema.PicklistOption(o.value(), o.label(),
                                true) : o).toList());
                return engine.converter.convert(widened, raw, errors);
            }
        }
        return engine.converter.convert(f, raw, errors);
    }

    private static @Nullable String principalValue(String name, @Nullable Object raw, List<FieldError> errors,
            boolean nullable) {
        if (raw == null && nullable) {
            return null;
        }
        if (!(raw instanceof String s) || s.isBlank() || s.length() > MAX_PRINCIPAL_LENGTH
                || org.crmkit.internal.value.TextChecks.badCharacter(s, false) != null) {
            errors.add(new FieldError(name, FieldErrorCode.WRONG_TYPE, name + " must be a user or team id of 1 to "
                    + MAX_PRINCIPAL_LENGTH + " characters"));
            return null;
        }
        return s;
    }

    /** Deal pipeline rules: the stage belongs to the pipeline; entering a stage sets its probability. */
    private void dealStage(CompiledSchema cs, @Nullable Record before, Map<String, Object> values, Set<String> given,
            List<FieldError> errors) {
        Object pipelineName = values.get("pipeline");
        Object stageName = values.get("stage");
        if (pipelineName == null || stageName == null) {
            return;
        }
        Pipeline pipeline = cs.snapshot.findPipeline((String) pipelineName).orElse(null);
        if (pipeline == null) {
            errors.add(new FieldError("pipeline", FieldErrorCode.UNKNOWN_OPTION, "no pipeline '" + pipelineName + "'"));
            return;
        }
        Stage stage = pipeline.stage((String) stageName).orElse(null);
        if (stage == null) {
            errors.add(new FieldError("stage", FieldErrorCode.INVALID_STAGE, "'" + stageName
                    + "' is not a stage of pipeline " + pipeline.name()));
            return;
        }
        boolean entered = before == null || !stageName.equals(before.get("stage"));
        if (entered && !given.contains("probability")) {
            values.put("probability", BigDecimal.valueOf(stage.probability()).setScale(2));
        }
    }

    private void checkReferences(Tx tx, ObjectType t, @Nullable Record before, Map<String, Object> values,
            List<FieldError> errors) {
        for (Field f : t.fields()) {
            if (f.type() != FieldType.REFERENCE && f.type() != FieldType.RELATION) {
                continue;
            }
            Object now = values.get(f.name());
            Object old = before == null ? null : before.get(f.name());
            if (now == null || now.equals(old)) {
                continue;
            }
            List<?> ids = now instanceof List<?> l ? l : List.of(now);
            List<?> oldIds = old instanceof List<?> l ? l : old == null ? List.of() : List.of(old);
            Access targetAccess = new Access(session.principal(), f.target(), schema());
            for (Object id : ids) {
                if (oldIds.contains(id)) {
                    continue;
                }
                boolean ok = targetAccess.can(Permission.READ) && tx.storage.find(f.target(), (UUID) id)
                        .filter(r -> !r.isDeleted() && targetAccess.inScope(r)).isPresent();
                if (!ok) {
                    errors.add(new FieldError(f.name(), FieldErrorCode.INVALID_REFERENCE, "no " + f.target() + " "
                            + id));
                }
            }
        }
    }

    private void checkRules(CompiledSchema cs, ObjectType t, Access access, @Nullable Record before,
            Map<String, Object> values, List<FieldError> errors) {
        Map<String, CelPrograms.Program> rules = cs.rules(t.name());
        if (rules.isEmpty()) {
            return;
        }
        Map<String, Object> withFormulas = new HashMap<>(values);
        withFormulas.putAll(formulas(cs, t, values));
        Map<String, Object> vars = CelPrograms.variables(t, withFormulas, true);
        Set<String> changed = new java.util.TreeSet<>();
        Map<String, Object> prior = before == null ? Map.of() : before.values();
        for (Field f : t.fields()) {
            if (!Objects.equals(prior.get(f.name()), values.get(f.name()))) {
                changed.add(f.name());
            }
        }
        CelPrograms.addRuleContext(vars, t, before == null, changed, prior);
        RecordRules.check(t, rules, vars, access, errors);
    }
}
