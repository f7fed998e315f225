package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.crmkit.error.FieldError;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.internal.schema.NameRules;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.Stage;
import org.crmkit.schema.StageKind;
import org.crmkit.search.support.SearchFields;
import org.jspecify.annotations.Nullable;

/**
 * Checks definitions before the schema engine ({@link SchemaService}) applies them: a field in the context of the
 * schema it will be part of, a pipeline's stages, labels; each problem is a {@link SchemaException} naming the type
 * and field. Checks that need stored data (records holding a value) stay with the schema engine.
 */
final class SchemaValidator {
    /** Longest a text field may be declared; longer text belongs in a long-text field. */
    static final int MAX_TEXT_LENGTH = 4000;
    /**
     * Longest unique or indexed text: 500 characters are at most 2,000 bytes of UTF-8, inside PostgreSQL's b-tree
     * entry limit (about 2,700 bytes) and InnoDB's key limit (3,072 bytes), so every storage can index them.
     */
    static final int MAX_INDEXED_TEXT_LENGTH = 500;

    private final ValueConverter converter;
    private final org.crmkit.storage.spi.StorageCapabilities storage;
    /** Whether the engine has a key provider, so fields may be encrypted. */
    private final boolean keys;

    SchemaValidator(ValueConverter converter, org.crmkit.storage.spi.StorageCapabilities storage, boolean keys) {
        this.converter = converter;
        this.storage = storage;
        this.keys = keys;
    }

    /** The encrypted fields of a schema as "type.field, ...", empty when there are none. */
    static String encryptedFields(SchemaSnapshot schema) {
        return schema.types().stream().flatMap(t -> t.fields().stream().filter(Field::encrypted)
                .map(f -> t.name() + "." + f.name())).sorted().collect(Collectors.joining(", "));
    }

    /**
     * The rules of encryption: only text-like fields (text, long text, email, phone, url) may be encrypted, only with
     * a key provider; and no formula, roll-up or duplicate rule may read an encrypted field (they would need its
     * values in the storage or in queries).
     */
    private void checkEncryption(SchemaSnapshot next, CompiledSchema compiled, ObjectType type, Field f) {
        String t = type.name();
        if (f.encrypted()) {
            if (!org.crmkit.internal.encryption.RecordCipher.ENCRYPTABLE.contains(f.type())) {
                throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), f.type() + " fields cannot be "
                        + "encrypted: only TEXT, LONG_TEXT, EMAIL, PHONE and URL fields can");
            }
            if (!keys) {
                throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "an encrypted field needs a key "
                        + "provider: build the Crm with keys(KeyProvider)");
            }
            if (type.duplicateRules() != null && type.duplicateRules().fields().stream()
                    .anyMatch(m -> m.field().equals(f.name()))) {
                throw new SchemaException(Problem.IN_USE, t, f.name(), "the type's duplicate rules match on it, "
                        + "and an encrypted field's values cannot be compared for similarity; change the rules first");
            }
        }
        for (ObjectType other : next.types()) {
            for (Field g : other.fields()) {
                if (g.type() == FieldType.FORMULA && other.name().equals(t)) {
                    for (String input : java.util.Objects.requireNonNullElse(compiled.formulaInputs(t, g.name()),
                            Set.<String>of())) {
                        Field read = type.findField(input).orElse(null);
                        if (read != null && read.encrypted()) {
                            throw new SchemaException(Problem.INVALID_DEFINITION, t, g.name(), "formula " + g.name()
                                    + " reads " + input + ", which is encrypted: formulas cannot read encrypted "
                                    + "fields");
                        }
                    }
                }
                org.crmkit.schema.Rollup r = g.rollup();
                String metricField = r == null ? null : r.metric().field();
                if (r != null && metricField != null) {
                    Field read = next.findObjectType(r.childType()).flatMap(c -> c.findField(metricField))
                            .orElse(null);
                    if (read != null && read.encrypted()) {
                        throw new SchemaException(Problem.INVALID_DEFINITION, other.name(), g.name(), "roll-up "
                                + g.name() + " summarises " + r.childType() + "." + read.name() + ", which is "
                                + "encrypted: roll-ups cannot summarise encrypted fields");
                    }
                }
            }
        }
    }

    static void checkLabel(String type, @Nullable String field, @Nullable String label) {
        if (label == null || label.isBlank() || label.length() > 255 || TextChecks.badCharacter(label, false) != null) {
            throw new SchemaException(Problem.INVALID_DEFINITION, type, field,
                    "labels and messages must be 1 to 255 characters without control characters");
        }
    }

    /**
     * A roll-up field as stored: its type and scale set from what it summarises and its filter's values converted
     * to their fields' canonical types, checked against {@code base} (a schema holding the child type); a bad
     * definition is a {@link SchemaException} naming the parent type and field. Other fields come back unchanged.
     */
    Field canonicalRollup(SchemaSnapshot base, ObjectType parent, Field f) {
        org.crmkit.schema.Rollup r = f.rollup();
        if (r == null) {
            return f;
        }
        for (var needed : List.of(org.crmkit.storage.spi.StorageFeature.AGGREGATES,
                org.crmkit.storage.spi.StorageFeature.ROW_LOCKS)) {
            if (!storage.supports(needed)) {
                throw needed.refused();
            }
        }
        Field shaped = RollupSpec.canonical(base, parent, f);
        QueryPlanner planner = new QueryPlanner(new CompiledSchema(base), r.childType(),
                org.crmkit.security.Principal.SYSTEM, converter);
        org.crmkit.query.Filter converted = planner.filter(r.filter());
        try {
            planner.finish();
        } catch (org.crmkit.error.ValidationException e) {
            throw RollupSpec.bad(parent, f, "bad filter: " + e.getMessage());
        }
        return shaped.withRollup(new org.crmkit.schema.Rollup(r.childType(), r.via(), r.metric(), converted));
    }

    /** The field with its default value converted to the field's canonical value (checked again later). */
    Field canonicalDefault(String type, Field f) {
        if (f.defaultValue() == null || f.type() == FieldType.FORMULA) {
            return f;
        }
        return f.defaultValue(convertedDefault(type, f));
    }

    private Object convertedDefault(String type, Field f) {
        List<FieldError> errors = new ArrayList<>();
        Object converted = converter.convert(f, f.defaultValue(), errors);
        if (!errors.isEmpty() || converted == null) {
            throw new SchemaException(Problem.INVALID_DEFINITION, type, f.name(), "bad default value: "
                    + (errors.isEmpty() ? "empty" : errors.get(0).message()));
        }
        return converted;
    }

    /**
     * Checks a pipeline on its own: its name and labels, at least one open stage, stage names unique, probabilities
     * 0 to 100, forecast categories that fit the stages' kinds. Returns the names of its stages.
     */
    static Set<String> checkPipeline(Pipeline pipeline) {
        NameRules.check("deal", "pipeline", pipeline.name());
        checkLabel("deal", "pipeline", pipeline.label());
        if (pipeline.stages().isEmpty() || pipeline.stages().stream().noneMatch(st -> st.kind() == StageKind.OPEN)) {
            throw new SchemaException(Problem.INVALID_DEFINITION, "deal", "stage", "pipeline " + pipeline.name()
                    + " needs at least one open stage");
        }
        Set<String> names = new HashSet<>();
        for (Stage st : pipeline.stages()) {
            NameRules.check("deal", "stage", st.name());
            checkLabel("deal", "stage", st.label());
            if (!names.add(st.name())) {
                throw new SchemaException(Problem.DUPLICATE, "deal", "stage", "stage " + st.name() + " twice");
            }
            if (st.probability() < 0 || st.probability() > 100) {
                throw new SchemaException(Problem.INVALID_DEFINITION, "deal", "stage", "stage " + st.name()
                        + " probability must be 0..100");
            }
            if (!st.forecastCategory().fits(st.kind())) {
                throw new SchemaException(Problem.INVALID_DEFINITION, "deal", "stage", "stage " + st.name() + " is "
                        + st.kind() + " and cannot be in forecast category " + st.forecastCategory()
                        + " (won stages are CLOSED, lost stages OMITTED, open stages anything but CLOSED)");
            }
        }
        return names;
    }

    /** Checks one field definition in the context of the schema it will be part of. */
    void checkDefinition(SchemaSnapshot next, ObjectType type, Field f) {
        String t = type.name();
        NameRules.check(t, f.name(), f.name());
        checkLabel(t, f.name(), f.label());
        if (f.unique() && switch (f.type()) {
            case MULTI_PICKLIST, RELATION, ADDRESS, LONG_TEXT, FORMULA, BOOLEAN, CURRENCY -> true;
            default -> false;
        }) {
            throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), f.type() + " fields cannot be unique");
        }
        if (f.searchable() && !SearchFields.SEARCHABLE_TYPES.contains(f.type())) {
            throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), f.type() + " fields cannot be "
                    + "searchable: search indexes " + SearchFields.SEARCHABLE_TYPES.stream().map(Enum::name)
                            .collect(Collectors.joining(", "))
                    + " fields only");
        }
        if (f.visibleRegardlessOfInputs() && f.type() != FieldType.FORMULA && !f.isRollup()) {
            throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(),
                    "only formulas and roll-ups can be visible regardless of their inputs");
        }
        checkByType(next, t, f);
        if (f.min() != null && f.max() != null && f.min().compareTo(f.max()) > 0) {
            throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "min is above max");
        }
        if ((f.min() != null || f.max() != null) && !f.type().isNumeric()) {
            throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "only numbers have a range");
        }
        if (f.defaultValue() != null) {
            convertedDefault(t, f);
            if (f.type() == FieldType.REFERENCE || f.type() == FieldType.RELATION) {
                throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "references have no default");
            }
        }
        CompiledSchema compiled;
        try {
            compiled = new CompiledSchema(next);
        } catch (SchemaException e) {
            throw e.field().isPresent() ? e : new SchemaException(e.problem(), t, f.name(),
                    java.util.Objects.requireNonNullElse(e.getMessage(), ""));
        }
        checkEncryption(next, compiled, type, f);
    }

    /** The rules of the field's type: text lengths, decimal scale, picklist options, reference targets, formulas. */
    private static void checkByType(SchemaSnapshot next, String t, Field f) {
        switch (f.type()) {
            case TEXT -> {
                if (f.maxLength() < 0 || f.maxLength() > MAX_TEXT_LENGTH) {
                    throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "text length must be 1 to "
                            + MAX_TEXT_LENGTH + " (use a long text field for more)");
                }
                if ((f.unique() || f.indexed()) && f.effectiveMaxLength() > MAX_INDEXED_TEXT_LENGTH) {
                    throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "a unique or indexed text "
                            + "field holds at most " + MAX_INDEXED_TEXT_LENGTH + " characters, not "
                            + f.effectiveMaxLength() + " (database index entries are limited to a few KB)");
                }
            }
            case LONG_TEXT -> {
                if (f.maxLength() < 0 || f.maxLength() > Field.MAX_LONG_TEXT_LENGTH) {
                    throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "long text length must be 1 "
                            + "to " + Field.MAX_LONG_TEXT_LENGTH);
                }
            }
            case DECIMAL, PERCENT, CURRENCY -> {
                if (f.scale() < 0 || f.scale() > 8) {
                    throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "scale must be 0 to 8");
                }
            }
            case PICKLIST, MULTI_PICKLIST -> {
                Set<String> values = new HashSet<>();
                if (f.options().isEmpty()) {
                    throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "a picklist needs options");
                }
                for (PicklistOption o : f.options()) {
                    if (o.value().isBlank() || o.value().length() > 100 || o.value().contains(";")
                            || TextChecks.badCharacter(o.value(), false) != null) {
                        throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "option values must be 1 "
                                + "to 100 characters without ';' or control characters");
                    }
                    checkLabel(t, f.name(), o.label());
                    if (!values.add(o.value())) {
                        throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "option '" + o.value()
                                + "' twice");
                    }
                }
            }
            case REFERENCE, RELATION -> {
                if (f.target() == null || next.findObjectType(f.target()).isEmpty()) {
                    throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(), "target object type '"
                            + f.target() + "' does not exist");
                }
            }
            case FORMULA -> {
                if (f.required() || f.unique() || f.defaultValue() != null) {
                    throw new SchemaException(Problem.INVALID_DEFINITION, t, f.name(),
                            "formula fields cannot be required, unique or have a default");
                }
            }
            default -> {}
        }
    }
}
