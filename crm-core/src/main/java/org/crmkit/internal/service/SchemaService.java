package org.crmkit.internal.service;

import org.jspecify.annotations.Nullable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.internal.duplicate.RuleCheck;
import org.crmkit.internal.duplicate.StandardRules;
import org.crmkit.internal.schema.LeadMappings;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.internal.schema.RecordHooks;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Schema;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.Stage;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.StorageTransaction;

/**
 * The schema engine: checks each change against the rules of names, types, dependencies and existing data,
 * then has the storage apply and record it in one transaction, and swaps in the recompiled schema. Changes are
 * serialised by a lock here and by the storage's version check across nodes.
 *
 * <p>About 500 lines, on purpose: it is the one implementation of the public {@link Schema} interface, one short
 * method per operation (plan the change, let {@code change} commit it), and splitting those by kind would scatter
 * one interface over several classes. The jobs beside it have their own classes: {@link SchemaValidator} checks
 * definitions (roll-ups too, {@code canonicalRollup}), {@link CurrencyRules} the currencies, {@link SchemaBootstrap}
 * opens and upgrades a stored schema, {@link CompiledSchema} compiles one; a new kind of change adds its checks
 * there and only its short plan here.
 */
final class SchemaService implements Schema {
    private final CrmEngine engine;
    private final SchemaValidator validator;
    private final RecordHooks recordHooks = StandardSchema.recordHooks();
    private final ReentrantLock lock = new ReentrantLock();
    /** Null until {@link #load()}, which the engine calls before anything else uses this service. */
    private volatile @Nullable CompiledSchema compiled;

    SchemaService(CrmEngine engine) {
        this.engine = engine;
        this.validator = new SchemaValidator(engine.converter, engine.storage.capabilities(), engine.keys != null);
    }

    /** Loads the persisted schema (upgraded to the standard fields), or creates the standard one. */
    void load() {
        // empty until the stored or the standard schema is read, as nothing uses it before load() returns
        compiled = new CompiledSchema(new SchemaSnapshot(0, java.util.Map.of(), java.util.Map.of()));
        compiled = new CompiledSchema(new SchemaBootstrap(engine.storage, this::entry).load());
    }

    /**
     * Reads the schema again whatever its version (a restore replaced it; the version may even be lower), creating
     * the standard one when the storage has none, and forgets cached records.
     */
    void reloadReplaced() {
        lock.lock();
        try {
            compiled = new CompiledSchema(new SchemaBootstrap(engine.storage, this::entry).load());
            engine.recordCache.clear();
        } finally {
            lock.unlock();
        }
    }

    CompiledSchema compiled() {
        CompiledSchema current = compiled;
        if (current == null) {
            throw new IllegalStateException("schema not loaded yet");
        }
        return current;
    }

    /** The write rules of the standard types, registered by {@link StandardSchema}. */
    RecordHooks recordHooks() {
        return recordHooks;
    }

    /**
     * Reloads the schema when a transaction's storage works with a newer version than the compiled one (another
     * node changed it): called at the start of every transaction, it costs nothing while the versions agree.
     */
    void catchUp(long storageVersion) {
        if (storageVersion <= compiled().snapshot.version()) {
            return;
        }
        lock.lock();
        try {
            long held = compiled().snapshot.version();
            if (storageVersion > held) {
                engine.storage.loadSchema().filter(s -> s.version() > held).ifPresent(s -> {
                    compiled = new CompiledSchema(s);
                    engine.recordCache.clear();
                });
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SchemaSnapshot snapshot() {
        return compiled().snapshot;
    }

    @Override
    public ObjectType objectType(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return findObjectType(name).orElseThrow(() -> unknownType(name));
    }

    @Override
    public Optional<ObjectType> findObjectType(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return compiled().snapshot.findObjectType(name);
    }

    @Override
    public Pipeline pipeline(String name) {
        java.util.Objects.requireNonNull(name, "name");
        return compiled().snapshot.findPipeline(name).orElseThrow(() -> new SchemaException(
                Problem.UNKNOWN_OBJECT_TYPE, "deal", "pipeline", "no pipeline " + name));
    }

    static SchemaException unknownType(@org.jspecify.annotations.Nullable String name) {
        String shown = name == null ? "null" : NameRules.shown(name);
        return new SchemaException(Problem.UNKNOWN_OBJECT_TYPE, shown, null, "no object type '" + shown + "'");
    }

    private Field field(ObjectType type, String name) {
        return type.findField(name).orElseThrow(() -> new SchemaException(Problem.UNKNOWN_FIELD, type.name(),
                NameRules.shown(name), "no field '" + NameRules.shown(name) + "'"));
    }

    // ---- changes ------------------------------------------------------------------------------------------

    @Override
    public ObjectType addObjectType(ObjectType type) {
        java.util.Objects.requireNonNull(type, "type");
        return change(s -> {
            NameRules.check(type.name(), null, type.name());
            if (s.findObjectType(type.name()).isPresent()) {
                throw new SchemaException(Problem.DUPLICATE, type.name(), null, "object type exists");
            }
            SchemaValidator.checkLabel(type.name(), null, type.label());
            ObjectType custom = new ObjectType(type.name(), type.label(), true, List.of(), List.of());
            Set<String> names = new HashSet<>();
            List<Field> fields = new ArrayList<>();
            for (Field f : type.fields()) {
                if (!names.add(f.name())) {
                    throw new SchemaException(Problem.DUPLICATE, type.name(), f.name(), "field defined twice");
                }
                fields.add(validator.canonicalDefault(type.name(), unsystem(f)));
            }
            ObjectType plain = custom.withFields(fields.stream().filter(f -> !f.isRollup()).toList());
            SchemaSnapshot base = s.with(plain); // roll-ups may summarise the new type itself
            fields.replaceAll(f -> validator.canonicalRollup(base, plain, f));
            ObjectType candidate = custom.withFields(fields).withRules(type.rules());
            SchemaSnapshot next = s.with(candidate);
            for (Field f : candidate.fields()) {
                validator.checkDefinition(next, candidate, f);
            }
            return new Step(new SchemaChange.AddObjectType(candidate), next);
        }).snapshot.findObjectType(type.name()).orElseThrow(); // the change just added or kept it
    }

    private static Field unsystem(Field f) {
        return f.system() ? f.system(false) : f;
    }

    @Override
    public void deleteObjectType(String name, DataPolicy policy) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(policy, "policy");
        change(s -> {
            ObjectType type = s.findObjectType(name).orElseThrow(() -> unknownType(name));
            if (!type.custom()) {
                throw new SchemaException(Problem.SYSTEM, name, null, "standard object types cannot be deleted");
            }
            for (ObjectType other : s.types()) {
                for (Field f : other.fields()) {
                    if (name.equals(f.target()) && !other.name().equals(name)) {
                        throw new SchemaException(Problem.IN_USE, name, null, "referenced by " + other.name() + "."
                                + f.name());
                    }
                    if (f.rollup() != null && name.equals(f.rollup().childType()) && !other.name().equals(name)) {
                        throw new SchemaException(Problem.IN_USE, name, null, "summarised by the roll-up "
                                + other.name() + "." + f.name());
                    }
                }
            }
            if (policy == DataPolicy.REFUSE_IF_DATA && hasRecords(name, Filter.ALL)) {
                throw new SchemaException(Problem.HAS_DATA, name, null, "records exist; delete them or use "
                        + DataPolicy.DISCARD_DATA);
            }
            return new Step(new SchemaChange.DeleteObjectType(type), s.without(name));
        });
    }

    @Override
    public ObjectType addField(String objectType, Field field) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(field, "field");
        ObjectType added = change(s -> {
            ObjectType type = s.findObjectType(objectType).orElseThrow(() -> unknownType(objectType));
            NameRules.check(objectType, field.name(), field.name());
            if (type.findField(field.name()).isPresent()) {
                throw new SchemaException(Problem.DUPLICATE, objectType, field.name(), "field exists");
            }
            Field f = validator.canonicalRollup(s, type, validator.canonicalDefault(objectType, unsystem(field)));
            List<Field> fields = new ArrayList<>(type.fields());
            fields.add(f);
            ObjectType changed = type.withFields(fields);
            SchemaSnapshot next = s.with(changed);
            validator.checkDefinition(next, changed, f);
            if (f.required() && hasRecords(objectType, Filter.ALL)) {
                if (f.defaultValue() == null) {
                    throw new SchemaException(Problem.HAS_DATA, objectType, f.name(), "a required field needs a "
                            + "default value when records exist (existing records get the default)");
                }
            }
            return new Step(new SchemaChange.AddField(objectType, f), next);
        }).snapshot.findObjectType(objectType).orElseThrow(); // the change just added or kept it
        if (added.findField(field.name()).filter(Field::isRollup).isPresent()) {
            engine.rollups.recalculateInBackground(objectType, field.name());
        }
        return added;
    }

    @Override
    public ObjectType relabelField(String objectType, String fieldName, String label) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(fieldName, "field");
        java.util.Objects.requireNonNull(label, "label");
        return changeField(objectType, fieldName, (type, f) -> {
            SchemaValidator.checkLabel(objectType, fieldName, label);
            return f.label(label);
        });
    }

    @Override
    public ObjectType setPicklistOptions(String objectType, String fieldName, List<PicklistOption> options) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(fieldName, "field");
        java.util.Objects.requireNonNull(options, "options");
        return changeField(objectType, fieldName, (type, f) -> {
            if (f.type() != FieldType.PICKLIST && f.type() != FieldType.MULTI_PICKLIST) {
                throw new SchemaException(Problem.INVALID_DEFINITION, objectType, fieldName, "not a picklist");
            }
            Set<String> kept = new HashSet<>();
            for (PicklistOption o : options) {
                kept.add(o.value());
            }
            for (PicklistOption old : f.options()) {
                if (!kept.contains(old.value())) {
                    Filter uses = f.type() == FieldType.PICKLIST ? Filters.where(fieldName).eq(old.value())
                            : Filters.where(fieldName).hasAny(old.value());
                    if (hasRecords(objectType, uses)) {
                        throw new SchemaException(Problem.HAS_DATA, objectType, fieldName, "option '" + old.value()
                                + "' is held by records; deactivate it instead of removing it");
                    }
                }
            }
            return f.options(options);
        });
    }

    @Override
    public ObjectType changeRollup(String objectType, String fieldName, org.crmkit.schema.Rollup rollup) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(fieldName, "field");
        java.util.Objects.requireNonNull(rollup, "rollup");
        ObjectType changed = changeField(objectType, fieldName, (type, f) -> {
            if (!f.isRollup()) {
                throw new SchemaException(Problem.INVALID_DEFINITION, objectType, fieldName, "not a roll-up field");
            }
            Field after = validator.canonicalRollup(compiled().snapshot, type, f.withRollup(rollup));
            if (after.type() != f.type() || after.scale() != f.scale()) {
                throw new SchemaException(Problem.INVALID_DEFINITION, objectType, fieldName, "the new definition "
                        + "gives " + after.type() + " values with scale " + after.scale() + ", not " + f.type()
                        + " with scale " + f.scale() + "; add a new roll-up field instead");
            }
            return after;
        });
        engine.rollups.recalculateInBackground(objectType, fieldName);
        return changed;
    }

    @Override
    public ObjectType encryptField(String objectType, String fieldName) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(fieldName, "field");
        return changeField(objectType, fieldName, (type, f) -> {
            if (f.system()) {
                throw new SchemaException(Problem.SYSTEM, objectType, fieldName, "system fields cannot be encrypted");
            }
            return f.encrypted(true);
        });
    }

    @Override
    public ObjectType deprecateField(String objectType, String fieldName) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(fieldName, "field");
        return changeField(objectType, fieldName, (type, f) -> {
            if (f.system() && f.required()) {
                throw new SchemaException(Problem.SYSTEM, objectType, fieldName,
                        "required system fields cannot be deprecated");
            }
            return f.deprecated(true);
        });
    }

    private ObjectType changeField(String objectType, String fieldName,
            java.util.function.BiFunction<ObjectType, Field, Field> edit) {
        return change(s -> {
            ObjectType type = s.findObjectType(objectType).orElseThrow(() -> unknownType(objectType));
            Field before = field(type, fieldName);
            Field after = edit.apply(type, before);
            ObjectType changed = type.withFields(type.fields().stream().map(f -> f == before ? after : f).toList());
            SchemaSnapshot next = s.with(changed);
            validator.checkDefinition(next, changed, after);
            if (LeadMappings.names(s.leadMapping(), objectType, fieldName)) {
                try {
                    LeadMappings.check(next, next.leadMapping());
                } catch (SchemaException e) {
                    throw new SchemaException(Problem.IN_USE, objectType, fieldName, "the lead mapping would no "
                            + "longer fit: " + e.getMessage());
                }
            }
            return new Step(new SchemaChange.ChangeField(objectType, before, after), next);
        }).snapshot.findObjectType(objectType).orElseThrow(); // the change just added or kept it
    }

    @Override
    public ObjectType deleteField(String objectType, String fieldName, DataPolicy policy) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(fieldName, "field");
        java.util.Objects.requireNonNull(policy, "policy");
        return change(s -> {
            ObjectType type = s.findObjectType(objectType).orElseThrow(() -> unknownType(objectType));
            Field f = field(type, fieldName);
            if (f.system()) {
                throw new SchemaException(Problem.SYSTEM, objectType, fieldName, "system fields cannot be deleted");
            }
            DuplicateRules dupes = type.duplicateRules();
            if (dupes != null && dupes.findField(fieldName).isPresent()) {
                throw new SchemaException(Problem.IN_USE, objectType, fieldName, "the duplicate rules compare it");
            }
            if (LeadMappings.names(s.leadMapping(), objectType, fieldName)) {
                throw new SchemaException(Problem.IN_USE, objectType, fieldName, "the lead mapping names it; "
                        + "change the mapping first");
            }
            ObjectType changed = type.withFields(type.fields().stream().filter(x -> x != f).toList());
            SchemaSnapshot next = s.with(changed);
            try {
                new CompiledSchema(next);
            } catch (SchemaException e) {
                throw new SchemaException(Problem.IN_USE, objectType, fieldName,
                        "a rule, formula or roll-up uses it: " + e.getMessage());
            }
            if (policy == DataPolicy.REFUSE_IF_DATA && f.type() != FieldType.FORMULA
                    && hasRecords(objectType, Filters.where(fieldName).isNotNull())) {
                throw new SchemaException(Problem.HAS_DATA, objectType, fieldName, "records hold values; clear them "
                        + "or use " + DataPolicy.DISCARD_DATA);
            }
            return new Step(new SchemaChange.DeleteField(objectType, f), next);
        }).snapshot.findObjectType(objectType).orElseThrow(); // the change just added or kept it
    }

    @Override
    public ObjectType addRule(String objectType, ValidationRule rule) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(rule, "rule");
        return change(s -> {
            ObjectType type = s.findObjectType(objectType).orElseThrow(() -> unknownType(objectType));
            NameRules.check(objectType, rule.name(), rule.name());
            if (type.findRule(rule.name()).isPresent()) {
                throw new SchemaException(Problem.DUPLICATE, objectType, null, "rule " + rule.name() + " exists");
            }
            if (rule.field() != null && type.findField(rule.field()).isEmpty()) {
                throw new SchemaException(Problem.UNKNOWN_FIELD, objectType, rule.field(), "rule " + rule.name()
                        + " reports on a field that does not exist");
            }
            SchemaValidator.checkLabel(objectType, null, rule.message());
            List<ValidationRule> rules = new ArrayList<>(type.rules());
            rules.add(rule);
            return new Step(new SchemaChange.ChangeRules(objectType, rules), s.with(type.withRules(rules)));
        }).snapshot.findObjectType(objectType).orElseThrow(); // the change just added or kept it
    }

    @Override
    public Optional<DuplicateRules> duplicateRules(String objectType) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        return effectiveDuplicateRules(objectType(objectType));
    }

    /** A type's own matching rules, else a standard type's built-in ones. */
    static Optional<DuplicateRules> effectiveDuplicateRules(ObjectType type) {
        DuplicateRules own = type.duplicateRules();
        if (own != null) {
            return Optional.of(own);
        }
        // the standard rules skip the fields an application encrypted (their values cannot be compared)
        return (type.custom() ? Optional.<DuplicateRules>empty() : StandardRules.of(type.name())).flatMap(rules -> {
            List<org.crmkit.duplicate.FieldMatch> kept = rules.fields().stream()
                    .filter(m -> type.findField(m.field()).map(f -> !f.encrypted()).orElse(true)).toList();
            return kept.isEmpty() ? Optional.empty() : Optional.of(new DuplicateRules(kept, rules.threshold(),
                    rules.minimumWeight(), rules.mode()));
        });
    }

    @Override
    public ObjectType setDuplicateRules(String objectType, @Nullable DuplicateRules rules) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        return change(s -> {
            ObjectType type = s.findObjectType(objectType).orElseThrow(() -> unknownType(objectType));
            if (rules != null) {
                RuleCheck.check(type, rules);
            }
            return new Step(new SchemaChange.SetDuplicateRules(objectType, rules),
                    s.with(type.withDuplicateRules(rules)));
        }).snapshot.findObjectType(objectType).orElseThrow(); // the change just added or kept it
    }

    @Override
    public ObjectType removeRule(String objectType, String ruleName) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        java.util.Objects.requireNonNull(ruleName, "ruleName");
        return change(s -> {
            ObjectType type = s.findObjectType(objectType).orElseThrow(() -> unknownType(objectType));
            if (type.findRule(ruleName).isEmpty()) {
                throw new SchemaException(Problem.UNKNOWN_FIELD, objectType, null, "no rule " + ruleName);
            }
            List<ValidationRule> rules = type.rules().stream().filter(r -> !r.name().equals(ruleName)).toList();
            return new Step(new SchemaChange.ChangeRules(objectType, rules), s.with(type.withRules(rules)));
        }).snapshot.findObjectType(objectType).orElseThrow(); // the change just added or kept it
    }

    @Override
    public Pipeline savePipeline(Pipeline pipeline) {
        java.util.Objects.requireNonNull(pipeline, "pipeline");
        change(s -> {
            Set<String> names = SchemaValidator.checkPipeline(pipeline);
            Pipeline old = s.pipelines().get(pipeline.name());
            if (old != null) {
                for (Stage st : old.stages()) {
                    if (!names.contains(st.name()) && hasRecords("deal", Filters.where("pipeline")
                            .eq(pipeline.name()).and("stage").eq(st.name()))) {
                        throw new SchemaException(Problem.HAS_DATA, "deal", "stage", "deals are in stage " + st.name()
                                + " of pipeline " + pipeline.name() + "; move them first");
                    }
                }
            }
            return new Step(new SchemaChange.SavePipeline(pipeline), s.with(pipeline));
        });
        return pipeline(pipeline.name());
    }

    @Override
    public org.crmkit.schema.LeadMapping setLeadMapping(org.crmkit.schema.LeadMapping mapping) {
        java.util.Objects.requireNonNull(mapping, "mapping");
        return change(s -> {
            LeadMappings.check(s, mapping);
            return new Step(new SchemaChange.SetLeadMapping(mapping), s.with(mapping));
        }).snapshot.leadMapping();
    }

    @Override
    public org.crmkit.schema.Currencies setCurrencies(org.crmkit.schema.Currencies currencies) {
        java.util.Objects.requireNonNull(currencies, "currencies");
        org.crmkit.schema.Currencies set = change(s -> {
            CurrencyRules.check(currencies);
            CurrencyRules.checkHeld(s, currencies, this::hasRecords);
            return new Step(new SchemaChange.SetCurrencies(currencies), s.with(currencies));
        }).snapshot.currencies();
        compiled().types().forEach(t -> t.fields().stream().filter(f -> f.isRollup() && f.type() == FieldType.CURRENCY)
                .forEach(f -> engine.rollups.recalculateInBackground(t.name(), f.name())));
        engine.summaries.rebuildConvertingInBackground();
        return set;
    }

    @Override
    public List<SchemaChangeEntry> history() {
        engine.checkOpen();
        return engine.storage.schemaHistory();
    }

    // ---- machinery ----------------------------------------------------------------------------------------

    private record Step(SchemaChange change, SchemaSnapshot next) {}

    private CompiledSchema change(java.util.function.Function<SchemaSnapshot, Step> plan) {
        engine.checkOpen();
        lock.lock();
        try {
            Step step = plan.apply(compiled().snapshot);
            CompiledSchema next = new CompiledSchema(step.next());
            try (StorageTransaction tx = engine.storage.begin()) {
                tx.applySchemaChange(step.change(), step.next(), entry(step.next(), step.change()));
                tx.commit();
            } catch (SchemaException e) {
                if (e.problem() == Problem.CONCURRENT_CHANGE) {
                    engine.storage.loadSchema().ifPresent(s -> compiled = new CompiledSchema(s));
                    engine.recordCache.clear();
                }
                throw e;
            }
            compiled = next;
            engine.recordCache.clear(); // a change may alter stored values without new versions
            return next;
        } finally {
            lock.unlock();
        }
    }

    private SchemaChangeEntry entry(SchemaSnapshot next, SchemaChange change) {
        return new SchemaChangeEntry(next.version(), engine.clock.instant(), Principal.SYSTEM_ID, change);
    }

    private boolean hasRecords(String type, Filter filter) {
        try (StorageTransaction tx = engine.storage.begin()) {
            // called while changing the schema, under the lock: the compiled snapshot is the one being changed
            ResolvedFilter resolved = ResolvedFilter.resolve(compiled().snapshot, type, filter);
            return tx.count(type, resolved, Query.Deleted.INCLUDE) > 0;
        }
    }
}
