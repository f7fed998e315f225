package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.cel.CelPrograms;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.jspecify.annotations.Nullable;

/**
 * Checks and converts the input of a write in two steps around the type's {@link org.crmkit.internal.schema.RecordHook}:
 * {@link #convert} (access to each field, conversion, owner and team, defaults) and {@link #check} (required
 * fields, references, record rules). Every problem is collected and thrown together; record rules run even when
 * fields are invalid (seeing those fields at their previous values), so their errors come back in the same batch.
 */
final class RecordValidator {
    private static final Set<String> READ_ONLY_PROPERTIES = Set.of("id", "version", "created_at", "created_by",
            "updated_at", "updated_by", "deleted_at");
    private static final int MAX_PRINCIPAL_LENGTH = 255;

    /**
     * A write in progress: the record's values after it, the fields the caller set, its owner and team, and the
     * problems found so far. The values, fields and problems are mutable until {@link #check} ends the write.
     */
    record Draft(Map<String, Object> values, Set<String> given, String owner, @Nullable String team,
            List<FieldError> errors) {}

    private final String type;
    private final Principal principal;
    private final ValueConverter converter;
    private final RecordContext ctx;

    RecordValidator(RecordContext ctx) {
        this.ctx = ctx;
        this.type = ctx.type();
        this.principal = ctx.principal();
        this.converter = ctx.engine().converter;
    }

    /** Converts {@code input} over {@code before} (null: a create, which gets the defaults of the fields not given). */
    Draft convert(Access access, ObjectType t, @Nullable Record before, Map<String, ?> input) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> values = new HashMap<>(before == null ? Map.of() : before.values());
        String owner = before == null ? principal.id() : before.owner();
        String team = before == null ? (principal.teams().isEmpty() ? null : principal.teams().get(0)) : before.team();
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
                    errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, principal.id()
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
                errors.add(new FieldError(NameRules.shown(name), FieldErrorCode.UNKNOWN_FIELD, type + " has no field '"
                        + NameRules.shown(name) + "'"));
                continue;
            }
            if (f.type() == FieldType.FORMULA) {
                errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, "formula fields are computed"));
                continue;
            }
            if (f.isRollup()) {
                errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, "roll-up fields are kept by CRMKit"));
                continue;
            }
            if (access.field(name) != FieldAccess.EDITABLE) {
                errors.add(new FieldError(name, FieldErrorCode.READ_ONLY, name + " is read-only for "
                        + principal.id()));
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
                Object none = f.isRollup()
                        ? RollupSpec.valueOverNone(f, ctx.schema().snapshot.currencies().corporate()) : null;
                if (none != null) {
                    values.put(f.name(), none);
                }
                if (!given.contains(f.name()) && f.defaultValue() != null && !f.deprecated()) {
                    Object d = converter.convert(f, f.defaultValue(), new ArrayList<>());
                    if (d != null) {
                        values.put(f.name(), d);
                    }
                }
            }
        }
        return new Draft(values, given, owner, team, errors);
    }

    /**
     * Checks a converted write (required fields, references, record rules) and throws every problem found, its
     * own and the draft's, in one {@link ValidationException}; returns normally when there are none.
     */
    void check(Tx tx, Access access, CompiledSchema cs, ObjectType t, @Nullable Record before, Draft draft) {
        List<FieldError> errors = draft.errors();
        for (Field f : t.fields()) {
            if (f.required() && !f.deprecated() && !draft.values().containsKey(f.name())
                    && errors.stream().noneMatch(e -> e.field().equals(f.name()))) {
                errors.add(new FieldError(f.name(), FieldErrorCode.REQUIRED, f.name() + " is required"));
            }
        }
        checkReferences(tx, cs, t, before, draft.values(), errors);
        checkConvertible(cs, t, before, draft.values(), errors);
        checkRules(cs, t, access, before, draft.values(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(type, errors);
        }
    }

    /**
     * With a corporate currency, an amount written in another currency needs a rate into it (a value the record
     * already held stays acceptable), so every total can convert every amount.
     */
    private static void checkConvertible(CompiledSchema cs, ObjectType t, @Nullable Record before,
            Map<String, Object> values, List<FieldError> errors) {
        org.crmkit.schema.Currencies currencies = cs.snapshot.currencies();
        if (currencies.corporate() == null) {
            return;
        }
        for (Field f : t.fields()) {
            if (f.type() == FieldType.CURRENCY && !f.isRollup()
                    && values.get(f.name()) instanceof org.crmkit.record.Money m && !currencies.converts(m.currency())
                    && !(before != null && m.equals(before.get(f.name())))) {
                errors.add(new FieldError(f.name(), FieldErrorCode.INVALID_CURRENCY, m.currency() + " has no "
                        + "exchange rate into the corporate currency " + currencies.corporate()));
            }
        }
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
                        .map(o -> held.contains(o.value()) ? new PicklistOption(o.value(), o.label(), true) : o)
                        .toList());
                return converter.convert(widened, raw, errors);
            }
        }
        return converter.convert(f, raw, errors);
    }

    private static @Nullable String principalValue(String name, @Nullable Object raw, List<FieldError> errors,
            boolean nullable) {
        if (raw == null && nullable) {
            return null;
        }
        if (!(raw instanceof String s) || s.isBlank() || s.length() > MAX_PRINCIPAL_LENGTH
                || TextChecks.badCharacter(s, false) != null) {
            errors.add(new FieldError(name, FieldErrorCode.WRONG_TYPE, name + " must be a user or team id of 1 to "
                    + MAX_PRINCIPAL_LENGTH + " characters"));
            return null;
        }
        return s;
    }

    private void checkReferences(Tx tx, CompiledSchema cs, ObjectType t, @Nullable Record before,
            Map<String, Object> values, List<FieldError> errors) {
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
            String target = java.util.Objects.requireNonNull(f.target(), "a reference field has a target");
            Access targetAccess = new Access(principal, target, cs, ctx.engine().accessModels);
            for (Object id : ids) {
                if (oldIds.contains(id)) {
                    continue;
                }
                boolean ok = targetAccess.can(Permission.READ) && tx.storage.find(target, (UUID) id)
                        .filter(r -> !r.isDeleted() && targetAccess.inScope(r)).isPresent();
                if (!ok) {
                    errors.add(new FieldError(f.name(), FieldErrorCode.INVALID_REFERENCE, "no " + f.target() + " "
                            + id));
                }
            }
        }
    }

    private static void checkRules(CompiledSchema cs, ObjectType t, Access access, @Nullable Record before,
            Map<String, Object> values, List<FieldError> errors) {
        Map<String, CelPrograms.Program> rules = cs.rules(t.name());
        if (rules.isEmpty()) {
            return;
        }
        Map<String, Object> withFormulas = new HashMap<>(values);
        withFormulas.putAll(RecordView.formulas(cs, t, values));
        Map<String, Object> vars = CelPrograms.variables(t, withFormulas, true);
        Set<String> changed = new TreeSet<>();
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
