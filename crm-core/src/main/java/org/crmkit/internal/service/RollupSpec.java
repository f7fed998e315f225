package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Metric;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Rollup;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.jspecify.annotations.Nullable;

/**
 * One roll-up field as the engine keeps it, checked against the schema it is part of: the parent type and field,
 * what it summarises, and the paths of the child it reads (the reference, the summarised field, the filter's
 * fields), whose values decide whether a change of a child can move it ({@link #parentsMoved}).
 *
 * @param parentType the type holding the roll-up field
 * @param field      the roll-up field
 * @param rollup     its definition
 * @param reads      the child's paths it reads: the reference first, then the metric's field and the filter's paths
 */
record RollupSpec(String parentType, Field field, Rollup rollup, List<ResolvedPath> reads) {
    /** Fractional digits of an average (as {@link org.crmkit.query.Metric}'s averages). */
    static final int AVERAGE_SCALE = 6;

    RollupSpec {
        Objects.requireNonNull(parentType, "parentType");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(rollup, "rollup");
        reads = List.copyOf(reads);
    }

    String childType() {
        return rollup.childType();
    }

    String via() {
        return rollup.via();
    }

    Metric metric() {
        return rollup.metric();
    }

    /** The child fields whose access bounds the roll-up's ({@link Access#field}): reference, metric field, filter. */
    Set<String> childFields() {
        Set<String> out = new LinkedHashSet<>();
        for (ResolvedPath p : reads) {
            if (p.field() != null) {
                out.add(p.field().name());
            }
        }
        return out;
    }

    /**
     * The parents whose value a change of one child (null before: created; null after: purged) may move: none when
     * the child stayed out of every summary (deleted before and after) or changed none of the paths the roll-up
     * reads; otherwise the parent it pointed at before and the one it points at after.
     */
    void parentsMoved(@Nullable Record before, @Nullable Record after, Set<UUID> into) {
        Record live0 = before != null && !before.isDeleted() ? before : null;
        Record live1 = after != null && !after.isDeleted() ? after : null;
        if (live0 == null && live1 == null) {
            return;
        }
        if (live0 != null && live1 != null && reads.stream().allMatch(p -> Objects.equals(p.valueOn(live0),
                p.valueOn(live1)))) {
            return;
        }
        ResolvedPath via = reads.get(0);
        if (live0 != null && via.valueOn(live0) instanceof UUID parent) {
            into.add(parent);
        }
        if (live1 != null && via.valueOn(live1) instanceof UUID parent) {
            into.add(parent);
        }
    }

    /**
     * Checks a roll-up field of {@code parent} in {@code schema} and returns its spec; a bad definition is a
     * {@link SchemaException} naming the parent type and field.
     */
    static RollupSpec compile(SchemaSnapshot schema, ObjectType parent, Field f) {
        Rollup r = Objects.requireNonNull(f.rollup(), "a roll-up field");
        ObjectType child = schema.findObjectType(r.childType())
                .orElseThrow(() -> bad(parent, f, "child type '" + r.childType() + "' does not exist"));
        Field via = child.findField(r.via()).orElse(null);
        if (via == null || via.type() != FieldType.REFERENCE || !parent.name().equals(via.target())) {
            throw bad(parent, f, r.childType() + "." + r.via() + " is not a reference to " + parent.name());
        }
        List<ResolvedPath> reads = new ArrayList<>();
        reads.add(ResolvedPath.resolve(schema, child.name(), via.name()));
        Field summarised = summarised(parent, f, child, r.metric());
        if (summarised != null) {
            reads.add(ResolvedPath.resolve(schema, child.name(), summarised.name()));
        }
        if (summarised != null && summarised.type() == FieldType.CURRENCY) {
            if (schema.currencies().corporate() == null) {
                throw bad(parent, f, "a roll-up of a currency field totals amounts in the corporate currency; set "
                        + "one first (Schema.setCurrencies)");
            }
            String date = org.crmkit.schema.Currencies.conversionDateField(child.name()).orElse(null);
            if (date != null && child.findField(date).isPresent()) {
                reads.add(ResolvedPath.resolve(schema, child.name(), date)); // it picks the rate
            }
        }
        for (String path : ResolvedPaths.pathsOf(r.filter())) {
            ResolvedPath p;
            try {
                p = ResolvedPath.resolve(schema, child.name(), path);
            } catch (ValidationException e) {
                throw bad(parent, f, "the filter names '" + path + "', which " + child.name() + " does not have");
            }
            if (!p.isLocal() || (p.field() != null && (p.field().type() == FieldType.FORMULA
                    || p.field().isRollup()))) {
                throw bad(parent, f, "the filter may read only stored fields of " + child.name() + " itself, not '"
                        + path + "' (a change there would not move the roll-up)");
            }
            reads.add(p);
        }
        Shape shape = shape(r.metric(), summarised);
        if (f.type() != shape.type() || f.scale() != shape.scale()) {
            throw bad(parent, f, "a roll-up of " + r.metric() + " is " + shape.type() + " with scale " + shape.scale());
        }
        if (f.required() || f.unique() || f.defaultValue() != null || f.searchable()) {
            throw bad(parent, f, "roll-up fields cannot be required, unique, searchable or have a default");
        }
        return new RollupSpec(parent.name(), f, r, reads);
    }

    /** The field a metric summarises, checked, or null for a count of records. */
    private static @Nullable Field summarised(ObjectType parent, Field f, ObjectType child, Metric m) {
        if (m.field() == null) {
            if (m.function() != Metric.Function.COUNT) {
                throw bad(parent, f, m + " needs a field");
            }
            return null;
        }
        Field s = child.findField(m.field())
                .orElseThrow(() -> bad(parent, f, child.name() + " has no field '" + m.field() + "'"));
        FieldType t = s.type();
        boolean numeric = t.isNumeric();
        boolean fits = !s.isRollup() && switch (m.function()) {
            case SUM, AVG -> numeric;
            case MIN, MAX -> numeric || t == FieldType.DATE || t == FieldType.DATETIME;
            case COUNT -> countable(t);
            // amounts of several currencies would count as one where they are equal: not a roll-up
            case COUNT_DISTINCT -> countable(t) && t != FieldType.CURRENCY;
        };
        if (!fits) {
            throw bad(parent, f, "cannot roll up " + m + ": " + child.name() + "." + s.name() + " is "
                    + (s.isRollup() ? "a roll-up" : t.toString()));
        }
        return s;
    }

    private static boolean countable(FieldType t) {
        return switch (t) {
            case FORMULA, MULTI_PICKLIST, RELATION, ADDRESS, LONG_TEXT -> false;
            default -> true;
        };
    }

    /** The type and scale a roll-up's values have. */
    record Shape(FieldType type, int scale) {}

    /** The type and scale of a roll-up of {@code m} over {@code summarised} (null: a count of records). */
    static Shape shape(Metric m, @Nullable Field summarised) {
        if (m.function() == Metric.Function.COUNT || m.function() == Metric.Function.COUNT_DISTINCT
                || summarised == null) {
            return new Shape(FieldType.INTEGER, 0);
        }
        FieldType t = summarised.type();
        if (m.function() == Metric.Function.AVG) {
            return t == FieldType.CURRENCY ? new Shape(t, summarised.scale())
                    : new Shape(FieldType.DECIMAL, AVERAGE_SCALE);
        }
        return new Shape(t, t == FieldType.INTEGER || t == FieldType.DATE || t == FieldType.DATETIME ? 0
                : summarised.scale());
    }

    /**
     * The roll-up field with its type and scale set from what it summarises ({@link Field#rollup} gives a
     * provisional one); checks only what that needs, {@link #compile} checks the rest.
     */
    static Field canonical(SchemaSnapshot schema, ObjectType parent, Field f) {
        Rollup r = Objects.requireNonNull(f.rollup(), "a roll-up field");
        ObjectType child = schema.findObjectType(r.childType())
                .orElseThrow(() -> bad(parent, f, "child type '" + r.childType() + "' does not exist"));
        Shape shape = shape(r.metric(), summarised(parent, f, child, r.metric()));
        return new Field(f.name(), shape.type(), f.label(), f.required(), f.unique(), f.searchable(), f.indexed(),
                f.encrypted(), f.system(), f.deprecated(), f.defaultValue(), f.maxLength(), f.min(), f.max(),
                shape.scale(), f.options(), f.target(), f.expression(), f.resultType(), f.visibleRegardlessOfInputs(),
                new Rollup(r.childType(), r.via(), r.metric(), r.filter()));
    }

    /**
     * What the storage aggregates: the metric itself, or for a currency field the same metric of its amounts in the
     * corporate currency ({@code <field>.corporate}).
     */
    Metric storedMetric() {
        Metric m = metric();
        return field.type() == FieldType.CURRENCY && m.field() != null && m.function() != Metric.Function.COUNT
                ? new Metric(m.function(), m.field() + "." + ResolvedPath.CORPORATE) : m;
    }

    /**
     * The value of a roll-up over no children: 0 for a count or sum (a currency sum: 0 in the corporate currency),
     * empty for the others.
     */
    static @Nullable Object valueOverNone(Field f, @Nullable String corporate) {
        Rollup r = Objects.requireNonNull(f.rollup(), "a roll-up field");
        return switch (r.metric().function()) {
            case COUNT, COUNT_DISTINCT -> 0L;
            case SUM -> switch (f.type()) {
                case INTEGER -> 0L;
                case DECIMAL, PERCENT -> java.math.BigDecimal.ZERO.setScale(f.scale());
                case CURRENCY -> corporate == null ? null
                        : new org.crmkit.record.Money(java.math.BigDecimal.ZERO.setScale(f.scale()), corporate);
                default -> null;
            };
            case AVG, MIN, MAX -> null;
        };
    }

    static SchemaException bad(ObjectType parent, Field f, String why) {
        return new SchemaException(Problem.INVALID_DEFINITION, parent.name(), f.name(), "roll-up: " + why);
    }
}
