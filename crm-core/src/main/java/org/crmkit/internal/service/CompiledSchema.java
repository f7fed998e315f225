package org.crmkit.internal.service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.error.SchemaException;
import org.crmkit.internal.cel.CelPrograms;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.ValidationRule;
import org.jspecify.annotations.Nullable;

/**
 * A schema snapshot with its CEL rules and formulas compiled and its roll-ups checked ({@link RollupSpec}), swapped
 * whole when the schema changes. Compiling a snapshot is also how a schema change proves every rule, formula and
 * roll-up still fits.
 */
final class CompiledSchema {
    final SchemaSnapshot snapshot;
    private final Map<String, Map<String, CelPrograms.Program>> rules = new HashMap<>();
    private final Map<String, Map<String, CelPrograms.Program>> formulas = new HashMap<>();
    private final Map<String, Map<String, Set<String>>> formulaInputs = new HashMap<>();
    /** Roll-up fields by the type they summarise, and by the type holding them then field name. */
    private final Map<String, List<RollupSpec>> rollupsByChild = new HashMap<>();
    private final Map<String, Map<String, RollupSpec>> rollupsByParent = new HashMap<>();
    /** The differences of the count and sum roll-ups ({@link RollupDelta}). */
    private final Map<RollupSpec, RollupDelta> rollupDeltas = new java.util.IdentityHashMap<>();

    CompiledSchema(SchemaSnapshot snapshot) {
        this.snapshot = snapshot;
        for (ObjectType type : snapshot.objectTypes().values()) {
            Map<String, CelPrograms.Program> typeFormulas = new LinkedHashMap<>();
            for (Field f : type.fields()) {
                if (f.type() == FieldType.FORMULA) {
                    typeFormulas.put(f.name(),
                            compileNaming(type, f.name(), () -> CelPrograms.compileFormula(type, f)));
                }
            }
            formulas.put(type.name(), typeFormulas);
            Map<String, Set<String>> inputs = new HashMap<>();
            for (Field f : type.fields()) {
                if (f.type() == FieldType.FORMULA) {
                    inputs.put(f.name(), f.visibleRegardlessOfInputs() ? Set.of()
                            : java.util.Objects.requireNonNull(typeFormulas.get(f.name())).reads());
                }
            }
            formulaInputs.put(type.name(), inputs);
            Map<String, CelPrograms.Program> typeRules = new LinkedHashMap<>();
            for (ValidationRule r : type.rules()) {
                typeRules.put(r.name(), CelPrograms.compileRule(type, r.name(), r.expression()));
            }
            rules.put(type.name(), typeRules);
            for (Field f : type.fields()) {
                if (f.isRollup()) {
                    RollupSpec spec = RollupSpec.compile(snapshot, type, f);
                    rollupsByChild.computeIfAbsent(spec.childType(), k -> new java.util.ArrayList<>()).add(spec);
                    rollupsByParent.computeIfAbsent(type.name(), k -> new LinkedHashMap<>()).put(f.name(), spec);
                    RollupDelta.of(spec, snapshot).ifPresent(d -> rollupDeltas.put(spec, d));
                }
            }
        }
    }

    /** Whether any type has a roll-up field. */
    boolean hasRollups() {
        return !rollupsByChild.isEmpty();
    }

    /** The roll-up fields that summarise records of {@code childType}. */
    List<RollupSpec> rollupsOf(String childType) {
        return rollupsByChild.getOrDefault(childType, List.of());
    }

    /** The roll-up field {@code field} of {@code type}, or null when it is not one. */
    @Nullable
    RollupSpec rollup(String type, String field) {
        Map<String, RollupSpec> ofType = rollupsByParent.get(type);
        return ofType == null ? null : ofType.get(field);
    }

    /** How a write moves the count or sum roll-up {@code spec} by a difference; null for the other metrics. */
    @Nullable
    RollupDelta rollupDelta(RollupSpec spec) {
        return rollupDeltas.get(spec);
    }

    /** The roll-up fields of {@code type}, by name. */
    Map<String, RollupSpec> rollupsHeldBy(String type) {
        return rollupsByParent.getOrDefault(type, Map.of());
    }

    private static CelPrograms.Program compileNaming(ObjectType type, String field,
            java.util.function.Supplier<CelPrograms.Program> compile) {
        try {
            return compile.get();
        } catch (SchemaException e) {
            throw new SchemaException(e.problem(), type.name(), field,
                    java.util.Objects.requireNonNullElse(e.getMessage(), ""));
        }
    }

    Map<String, CelPrograms.Program> rules(String type) {
        return rules.getOrDefault(type, Map.of());
    }

    Map<String, CelPrograms.Program> formulas(String type) {
        return formulas.getOrDefault(type, Map.of());
    }

    /**
     * The fields whose access bounds a formula's ({@link Access#field}): those it reads, none when its definition
     * says {@link Field#visibleRegardlessOfInputs(boolean)}; null when {@code field} is not a formula of {@code type}.
     */
    @Nullable
    Set<String> formulaInputs(String type, String field) {
        Map<String, Set<String>> ofType = formulaInputs.get(type);
        return ofType == null ? null : ofType.get(field);
    }

    List<ObjectType> types() {
        return snapshot.types();
    }
}
