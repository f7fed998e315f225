package org.crmkit.schema;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The definition of one field of an object type. Immutable: start from a factory such as {@link #text(String)}
 * and refine with the {@code with...}/flag methods, each of which returns a new definition.
 *
 * <pre>{@code
 * Field.decimal("discount").label("Discount").range(BigDecimal.ZERO, new BigDecimal("100")).scale(2)
 * Field.picklist("industry", "software", "retail").required(true)
 * Field.formula("weighted", FieldType.DECIMAL, "double(amount) * double(probability) / 100.0")
 * }</pre>
 *
 * <p><b>Names.</b> API names of fields and object types match {@code [a-z][a-z0-9_]{0,39}} and contain no
 * {@code __} (SQL storages name the columns of a field's parts {@code amount__currency}, {@code address__city}).
 * Storages quote every identifier, so SQL keywords such as {@code value}, {@code type}, {@code date},
 * {@code order}, {@code select} or {@code user} are ordinary names; so are CEL's type and function names
 * ({@code int}, {@code string}, {@code size}, {@code has}...), which a rule or formula reads as the field. Only
 * these names are reserved:
 * <ul>
 *   <li>CEL keywords and reserved words: {@code true false null in as break const continue else for function if
 *       import let loop package namespace return var void while};</li>
 *   <li>record system properties: {@code id version owner team created_at created_by updated_at updated_by
 *       deleted_at};</li>
 *   <li>variables record rules see beside the fields: {@code is_new changed prior};</li>
 *   <li>CRMKit's own: {@code crm crmkit metadata changelog};</li>
 *   <li>for fields only, the further variables of workflow conditions: {@code event now};</li>
 *   <li>for fields only, PostgreSQL system columns: {@code tableoid xmin xmax cmin cmax ctid oid}.</li>
 * </ul>
 *
 * @param name         API name, {@code [a-z][a-z0-9_]{0,39}}, not a reserved name (see above)
 * @param type         the field type
 * @param label        what people see
 * @param required     a value must be present on every write
 * @param unique       no two live records share a non-null value
 * @param searchable   the value feeds text search; only text, long text, email, phone, URL, picklist,
 *                     multi-picklist and reference fields (the target's name) may be searchable
 * @param indexed      storages index the column for filters and sorts
 * @param encrypted    the value is stored encrypted (text-like fields only; see {@code docs/security.md})
 * @param system       defined by CRMKit; cannot be deleted
 * @param deprecated   kept for reading; new values are refused
 * @param defaultValue applied on create when the caller gives no value
 * @param maxLength    text length limit (0: the type's default)
 * @param min          smallest allowed number, or null
 * @param max          largest allowed number, or null
 * @param scale        fractional digits kept by decimal, currency and percent fields
 * @param options      picklist options, in display order
 * @param target       the object type a reference or relation points to
 * @param expression   the CEL expression of a formula
 * @param resultType   the type a formula yields
 * @param visibleRegardlessOfInputs a formula readable by whoever may read the formula field itself, even by
 *                     callers who cannot read a field it uses (see {@link #visibleRegardlessOfInputs(boolean)}); a
 *                     roll-up readable by whoever may read the roll-up field itself
 * @param rollup       what a roll-up field summarises ({@link #rollup}), null for every other field
 */
public record Field(
        String name,
        FieldType type,
        String label,
        boolean required,
        boolean unique,
        boolean searchable,
        boolean indexed,
        boolean encrypted,
        boolean system,
        boolean deprecated,
        @Nullable Object defaultValue,
        int maxLength,
        @Nullable BigDecimal min,
        @Nullable BigDecimal max,
        int scale,
        List<PicklistOption> options,
        @Nullable String target,
        @Nullable String expression,
        @Nullable FieldType resultType,
        boolean visibleRegardlessOfInputs,
        @Nullable Rollup rollup) {

    /** Length limit of {@link FieldType#TEXT} when none is given. */
    public static final int DEFAULT_TEXT_LENGTH = 255;
    /** Hard length limit of {@link FieldType#LONG_TEXT}. */
    public static final int MAX_LONG_TEXT_LENGTH = 131_072;

    /** A definition that is not a formula readable regardless of its inputs (the common case). */
    public Field(String name, FieldType type, String label, boolean required, boolean unique, boolean searchable,
            boolean indexed, boolean encrypted, boolean system, boolean deprecated, @Nullable Object defaultValue,
            int maxLength, @Nullable BigDecimal min, @Nullable BigDecimal max, int scale, List<PicklistOption> options,
            @Nullable String target, @Nullable String expression, @Nullable FieldType resultType) {
        this(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated, defaultValue,
                maxLength, min, max, scale, options, target, expression, resultType, false, null);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(options, "options");
    }

    /** A definition that is not a roll-up (the form before roll-ups existed). */
    public Field(String name, FieldType type, String label, boolean required, boolean unique, boolean searchable,
            boolean indexed, boolean encrypted, boolean system, boolean deprecated, @Nullable Object defaultValue,
            int maxLength, @Nullable BigDecimal min, @Nullable BigDecimal max, int scale, List<PicklistOption> options,
            @Nullable String target, @Nullable String expression, @Nullable FieldType resultType,
            boolean visibleRegardlessOfInputs) {
        this(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated, defaultValue,
                maxLength, min, max, scale, options, target, expression, resultType, visibleRegardlessOfInputs, null);
    }

    public Field {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(label, "label");
        options = List.copyOf(options);
    }

    private static Field of(String name, FieldType type) {
        return new Field(name, type, defaultLabel(name), false, false, false, false, false, false, false, null, 0,
                null, null, type == FieldType.INTEGER ? 0 : 2, List.of(), null, null, null, false, null);
    }

    public static Field text(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.TEXT);
    }

    /**
     * An external id: the key a source system (an ERP, a former CRM) knows a record by, for
     * {@link org.crmkit.RecordSet#upsert} and imports. A text field, unique among live records and indexed; declare
     * one per source system ({@code erp_id}, {@code shop_customer_no}...).
     */
    public static Field externalId(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.TEXT).unique(true).indexed(true);
    }

    public static Field longText(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.LONG_TEXT);
    }

    public static Field integer(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.INTEGER);
    }

    public static Field decimal(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.DECIMAL);
    }

    public static Field currency(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.CURRENCY);
    }

    public static Field percent(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.PERCENT);
    }

    public static Field bool(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.BOOLEAN);
    }

    public static Field date(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.DATE);
    }

    public static Field datetime(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.DATETIME);
    }

    public static Field email(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.EMAIL);
    }

    public static Field phone(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.PHONE);
    }

    public static Field url(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.URL);
    }

    public static Field address(String name) {
        Objects.requireNonNull(name, "name");
        return of(name, FieldType.ADDRESS);
    }

    /** A picklist whose options are these values (labels equal to values). */
    public static Field picklist(String name, String... values) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        return of(name, FieldType.PICKLIST).options(Arrays.stream(values).map(PicklistOption::of).toList());
    }

    public static Field multiPicklist(String name, String... values) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        return of(name, FieldType.MULTI_PICKLIST).options(Arrays.stream(values).map(PicklistOption::of).toList());
    }

    /** A many-to-one lookup to a record of {@code targetType}. */
    public static Field reference(String name, String targetType) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(targetType, "targetType");
        return of(name, FieldType.REFERENCE).target(targetType).indexed(true);
    }

    /** A many-to-many relation to records of {@code targetType}; the engine keeps the links. */
    public static Field relation(String name, String targetType) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(targetType, "targetType");
        return of(name, FieldType.RELATION).target(targetType);
    }

    /**
     * A read-only field computed by a CEL expression over the record's other fields. A caller reads it only when
     * they can read every field the expression uses (it is as hidden as the most hidden of them), unless the
     * definition says {@link #visibleRegardlessOfInputs(boolean) visibleRegardlessOfInputs(true)}.
     * A formula is computed when a record is read, not stored: queries cannot filter, sort, group or aggregate
     * by it (also through a reference, {@code company.some_formula}); such a query is refused when it is
     * checked, with a {@link org.crmkit.error.ValidationException} naming the path.
     */
    public static Field formula(String name, FieldType resultType, String celExpression) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(celExpression, "celExpression");
        return new Field(name, FieldType.FORMULA, defaultLabel(name), false, false, false, false, false, false, false,
                null, 0, null, null, 2, List.of(), null, celExpression, resultType, false, null);
    }

    /**
     * A read-only field that summarises the records of {@code childType} whose reference {@code viaReference} points
     * at the record holding it: {@link org.crmkit.query.Metric#count()} of them (or of a field's non-empty values),
     * or the sum, average, minimum or maximum of one of their fields, optionally only over those matching
     * {@code filter} (null: all). See {@link Rollup}.
     *
     * <p>The engine keeps the value right in the transaction of every change that can move it (a child created,
     * updated, deleted, restored, purged, merged or imported, or moved to another parent) and recalculates every
     * record's value in the background when the field is added or its definition changes
     * ({@link org.crmkit.CrmAdmin#rollups()}). Unlike a formula the value is stored, so queries filter, sort,
     * group and aggregate by it; record rules, formulas and workflow conditions read it like any field.
     *
     * <p>Its type follows the metric, and is set when the field is added: {@link FieldType#INTEGER} for a count;
     * for a sum, minimum or maximum the type (and scale) of the summarised field; for an average
     * {@link FieldType#DECIMAL} with 6 fractional digits (a currency field's average stays currency), rounded
     * half-even. A count or sum over no children is 0; an average, minimum or maximum over none is empty.
     *
     * <p>Access: a caller reads it only when they could read every child it summarises, that is read
     * {@code childType} with scope {@code ALL} and see the summarised field, the reference and every field the
     * filter reads; for anyone else it is hidden like a hidden field, unless the definition says
     * {@link #visibleRegardlessOfInputs(boolean) visibleRegardlessOfInputs(true)}. It is never editable.
     *
     * @param name         the field's API name
     * @param childType    the type whose records are summarised
     * @param viaReference the reference field of {@code childType} that points at this field's type
     * @param metric       what is computed, e.g. {@code Metric.sum("amount")} or {@code Metric.count()}
     * @param filter       which children count (fields of {@code childType} itself), or null for all
     */
    public static Field rollup(String name, String childType, String viaReference, org.crmkit.query.Metric metric,
            org.crmkit.query.@Nullable Filter filter) {
        Objects.requireNonNull(name, "name");
        Rollup rollup = new Rollup(childType, viaReference, metric,
                filter == null ? org.crmkit.query.Filter.ALL : filter);
        FieldType provisional = metric.function() == org.crmkit.query.Metric.Function.COUNT
                || metric.function() == org.crmkit.query.Metric.Function.COUNT_DISTINCT ? FieldType.INTEGER
                        : FieldType.DECIMAL;
        return new Field(name, provisional, defaultLabel(name), false, false, false, false, false, false, false,
                null, 0, null, null, provisional == FieldType.INTEGER ? 0 : 2, List.of(), null, null, null, false,
                rollup);
    }

    /**
     * This formula readable by everyone who may read the formula field itself, even callers who cannot read some
     * field it uses: an explicit decision that its value discloses nothing those callers may not know (a flag
     * computed from a hidden score, say). Without it, a formula is hidden from a caller who cannot read one of
     * its inputs. For a roll-up, the same decision about the children it summarises (as Salesforce shows roll-up
     * summaries to everyone who sees the field). Only formulas and roll-ups take it.
     */
    public Field visibleRegardlessOfInputs(boolean value) {
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, scale, options, target, expression, resultType, value, rollup);
    }

    public Field label(String newLabel) {
        Objects.requireNonNull(newLabel, "newLabel");
        return new Field(name, type, newLabel, required, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    public Field required(boolean value) {
        return new Field(name, type, label, value, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    /** Unique among all stored records (soft-deleted ones too, until purged); implies indexed. */
    public Field unique(boolean value) {
        return new Field(name, type, label, required, value, searchable, value || indexed, encrypted, system,
                deprecated, defaultValue, maxLength, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    public Field searchable(boolean value) {
        return new Field(name, type, label, required, unique, value, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    public Field indexed(boolean value) {
        return new Field(name, type, label, required, unique, searchable, value, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    public Field encrypted(boolean value) {
        return new Field(name, type, label, required, unique, searchable, indexed, value, system, deprecated,
                defaultValue, maxLength, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    /** Marks the field as defined by CRMKit (standard fields); used by the standard schema. */
    public Field system(boolean value) {
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, value, deprecated,
                defaultValue, maxLength, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    public Field deprecated(boolean value) {
        return new Field(name, type, label, value && required ? false : required, unique, searchable, indexed,
                encrypted, system, value, defaultValue, maxLength, min, max, scale, options, target, expression,
                resultType, visibleRegardlessOfInputs, rollup);
    }

    /** The value a create gets when the caller gives none; converted and checked like any value. */
    public Field defaultValue(@Nullable Object value) {
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated,
                value, maxLength, min, max, scale, options, target, expression, resultType, visibleRegardlessOfInputs,
                rollup);
    }

    public Field maxLength(int length) {
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, length, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    /** Inclusive bounds for numbers; either may be null. */
    public Field range(@Nullable BigDecimal minimum, @Nullable BigDecimal maximum) {
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, minimum, maximum, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    public Field scale(int digits) {
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, digits, options, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    public Field options(List<PicklistOption> newOptions) {
        Objects.requireNonNull(newOptions, "newOptions");
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, scale, newOptions, target, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    public Field target(String objectType) {
        Objects.requireNonNull(objectType, "objectType");
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, scale, options, objectType, expression, resultType,
                visibleRegardlessOfInputs, rollup);
    }

    /** The length limit in force: {@link #maxLength()} or the type's default. */
    public int effectiveMaxLength() {
        if (maxLength > 0) {
            return maxLength;
        }
        return type == FieldType.LONG_TEXT ? MAX_LONG_TEXT_LENGTH : DEFAULT_TEXT_LENGTH;
    }

    /** The option with this value, if any (active or not). */
    public java.util.Optional<PicklistOption> option(String value) {
        Objects.requireNonNull(value, "value");
        return options.stream().filter(o -> o.value().equals(value)).findFirst();
    }

    /**
     * This field with another roll-up definition (null: not a roll-up); the schema engine sets the type and scale
     * that fit it when the field is added or changed.
     */
    public Field withRollup(@Nullable Rollup newRollup) {
        return new Field(name, type, label, required, unique, searchable, indexed, encrypted, system, deprecated,
                defaultValue, maxLength, min, max, scale, options, target, expression, resultType,
                visibleRegardlessOfInputs, newRollup);
    }

    /** Whether this is a roll-up field ({@link #rollup()} is set): read-only, kept by the engine. */
    public boolean isRollup() {
        return rollup != null;
    }

    /** The type values of this field have: the formula's result type for formulas, else {@link #type()}. */
    public FieldType valueType() {
        return type == FieldType.FORMULA && resultType != null ? resultType : type;
    }

    private static String defaultLabel(String name) {
        String spaced = name.replace('_', ' ');
        return spaced.isEmpty() ? spaced : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
