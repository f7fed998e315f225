package org.crmkit.storage.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * A filter or sort path resolved against the schema: the references it walks through ({@link #hops()}), then a
 * system property, a field, or a part of a currency or address field. Every storage interprets paths through
 * this one class, so they agree on what a path means. Storages do not call {@link #resolve}: the service layer
 * resolves each path of a call once and hands them over in {@link ResolvedPaths}.
 *
 * @param path       the path as written
 * @param hops       reference fields walked, in order (empty for a field of the queried type itself)
 * @param ownerType  the object type holding the terminal field
 * @param property   the system property name ({@code id}, {@code owner}...) or null for a field
 * @param field      the terminal field, or null for a system property
 * @param part       {@code currency}, {@code corporate} (the amount in the corporate currency), an address part,
 *                   a date bucket ({@link DateBucketPart}: {@code month}, {@code fiscal_quarter_4}...), or null
 * @param valueType  the type of the compared value: currency amounts are {@link FieldType#DECIMAL}, parts and
 *                   text-like properties {@link FieldType#TEXT}, {@code id} {@link FieldType#REFERENCE}
 * @param conversion how a {@code <field>.corporate} path converts its amount ({@link CurrencyConversion}), else
 *                   null
 */
public record ResolvedPath(String path, List<Field> hops, String ownerType, @Nullable String property,
        @Nullable Field field, @Nullable String part, FieldType valueType, @Nullable CurrencyConversion conversion) {

    /** The part of a currency field that is its amount in the corporate currency. */
    public static final String CORPORATE = "corporate";

    /** System properties every record has, with the type of their values. */
    public static final Map<String, FieldType> PROPERTIES = Map.of(
            "id", FieldType.REFERENCE,
            "version", FieldType.INTEGER,
            "owner", FieldType.TEXT,
            "team", FieldType.TEXT,
            "created_at", FieldType.DATETIME,
            "created_by", FieldType.TEXT,
            "updated_at", FieldType.DATETIME,
            "updated_by", FieldType.TEXT,
            "deleted_at", FieldType.DATETIME);

    /** A path that converts no currency (every path but {@code <field>.corporate}). */
    public ResolvedPath(String path, List<Field> hops, String ownerType, @Nullable String property,
            @Nullable Field field, @Nullable String part, FieldType valueType) {
        this(path, hops, ownerType, property, field, part, valueType, null);
    }

    public ResolvedPath {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(hops, "hops");
        Objects.requireNonNull(ownerType, "ownerType");
        Objects.requireNonNull(valueType, "valueType");
        hops = List.copyOf(hops);
    }

    /** What a caller may see of the schema; paths resolve as if everything else did not exist. */
    public interface Visibility {
        /** Everything: for paths the service layer builds itself or has already checked. */
        Visibility EVERYTHING = new Visibility() {
            @Override
            public boolean canRead(String objectType) {
                Objects.requireNonNull(objectType, "objectType");
                return true;
            }

            @Override
            public boolean canSee(String objectType, String field) {
                Objects.requireNonNull(objectType, "objectType");
                Objects.requireNonNull(field, "field");
                return true;
            }
        };

        /** Whether records of the type may be read at all (its system properties are then visible). */
        boolean canRead(String objectType);

        /** Whether a field of a readable type is visible. */
        boolean canSee(String objectType, String field);
    }

    /** The message of every {@link FieldErrorCode#UNKNOWN_FIELD} error: the same for missing and hidden steps. */
    public static final String NO_SUCH_FIELD = "no such field";

    /**
     * Resolves {@code path} on {@code objectType}; throws {@link ValidationException} ({@code UNKNOWN_FIELD})
     * naming the path when any step does not exist.
     */
    public static ResolvedPath resolve(SchemaSnapshot schema, String objectType, String path) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(path, "path");
        return resolve(schema, objectType, path, Visibility.EVERYTHING);
    }

    /**
     * Resolves {@code path} on {@code objectType} as a caller with {@code visibility} sees the schema: a hidden
     * field, a reference to a type the caller cannot read, and a part of a hidden field are all a step that does
     * not exist, and every such step fails with the same error ({@code UNKNOWN_FIELD}, {@link #NO_SUCH_FIELD},
     * field {@code path}), so the answer cannot tell them apart. Parts of visible fields and system properties
     * that do not exist get more precise messages.
     */
    public static ResolvedPath resolve(SchemaSnapshot schema, String objectType, String path,
            Visibility visibility) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(visibility, "visibility");
        ObjectType type = readable(schema, objectType, visibility);
        if (type == null) {
            throw unknown(objectType, path);
        }
        String[] steps = path.split("\\.", -1);
        List<Field> hops = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            boolean last = i == steps.length - 1;
            if (PROPERTIES.containsKey(step) && type.findField(step).isEmpty()) {
                if (!last) {
                    throw unknown(objectType, path, "system property " + step + " has no parts");
                }
                return new ResolvedPath(path, hops, type.name(), step, null, null, PROPERTIES.get(step));
            }
            String owner = type.name();
            Field field = type.findField(step).filter(f -> visibility.canSee(owner, f.name())).orElse(null);
            if (field == null) {
                throw unknown(objectType, path);
            }
            if (last) {
                return new ResolvedPath(path, hops, type.name(), null, field, null, comparableType(field));
            }
            String next = steps[i + 1];
            if (field.type() == FieldType.CURRENCY && i + 2 == steps.length && next.equals("currency")) {
                return new ResolvedPath(path, hops, type.name(), null, field, "currency", FieldType.TEXT);
            }
            if ((field.valueType() == FieldType.DATE || field.valueType() == FieldType.DATETIME)
                    && field.type() != FieldType.FORMULA && i + 2 == steps.length
                    && DateBucketPart.parse(next).isPresent()) {
                return new ResolvedPath(path, hops, type.name(), null, field, next, FieldType.DATE);
            }
            if (field.type() == FieldType.CURRENCY && i + 2 == steps.length && next.equals(CORPORATE)) {
                return corporate(schema, objectType, path, hops, type, field, visibility);
            }
            if (field.type() == FieldType.ADDRESS && i + 2 == steps.length && Address.PARTS.contains(next)) {
                return new ResolvedPath(path, hops, type.name(), null, field, next, FieldType.TEXT);
            }
            if (field.type() != FieldType.REFERENCE || field.target() == null) {
                throw unknown(objectType, path, step + " is not a reference and has no part " + next);
            }
            hops.add(field);
            type = readable(schema, field.target(), visibility);
            if (type == null) {
                throw unknown(objectType, path);
            }
        }
        throw unknown(objectType, path);
    }

    /**
     * {@code <field>.corporate}: the amount in the corporate currency, converted at the rate its record's conversion
     * date picks; only with a corporate currency, and only when that date is visible too (the converted amount
     * tells which rate applied).
     */
    private static ResolvedPath corporate(SchemaSnapshot schema, String objectType, String path, List<Field> hops,
            ObjectType owner, Field field, Visibility visibility) {
        if (schema.currencies().corporate() == null) {
            throw unknown(objectType, path, "no corporate currency is set, so nothing converts");
        }
        ResolvedPath date = null;
        String dateField = org.crmkit.schema.Currencies.conversionDateField(owner.name()).orElse(null);
        Field df = dateField == null ? null : owner.findField(dateField).orElse(null);
        if (df != null) {
            if (!visibility.canSee(owner.name(), df.name())) {
                throw unknown(objectType, path);
            }
            String prefix = path.substring(0, path.length() - (field.name() + "." + CORPORATE).length());
            date = new ResolvedPath(prefix + df.name(), hops, owner.name(), null, df, null, FieldType.DATE);
        }
        return new ResolvedPath(path, hops, owner.name(), null, field, CORPORATE, FieldType.DECIMAL,
                CurrencyConversion.of(schema.currencies(), date));
    }

    private static @Nullable ObjectType readable(SchemaSnapshot schema, String name, Visibility visibility) {
        return schema.findObjectType(name).filter(t -> visibility.canRead(t.name())).orElse(null);
    }

    private static ValidationException unknown(String objectType, String path) {
        return unknown(objectType, path, NO_SUCH_FIELD);
    }

    private static FieldType comparableType(Field field) {
        FieldType t = field.valueType();
        return t == FieldType.CURRENCY ? FieldType.DECIMAL : t;
    }

    private static ValidationException unknown(String objectType, String path, String why) {
        return new ValidationException(objectType, new FieldError(path, FieldErrorCode.UNKNOWN_FIELD, why));
    }

    /** Whether the path stays on the queried type (no references walked). */
    public boolean isLocal() {
        return hops.isEmpty();
    }

    /** The compared value of the terminal on a record of {@link #ownerType()}, or null when empty. */
    public @Nullable Object valueOn(Record record) {
        Objects.requireNonNull(record, "record");
        if (property != null) {
            return switch (property) {
                case "id" -> record.id();
                case "version" -> record.version();
                case "owner" -> record.owner();
                case "team" -> record.team();
                case "created_at" -> record.createdAt();
                case "created_by" -> record.createdBy();
                case "updated_at" -> record.updatedAt();
                case "updated_by" -> record.updatedBy();
                case "deleted_at" -> record.deletedAt();
                default -> throw new IllegalStateException(property);
            };
        }
        // a path without a property has a field (checked on construction)
        Object value = record.get(Objects.requireNonNull(field, "field").name());
        if (part != null && (field.valueType() == FieldType.DATE || field.valueType() == FieldType.DATETIME)) {
            return DateBucketPart.parse(part).orElseThrow().startOf(value);
        }
        if (value instanceof Money m) {
            if (CORPORATE.equals(part)) {
                CurrencyConversion c = Objects.requireNonNull(conversion, "a corporate path converts");
                ResolvedPath d = c.date();
                return c.convert(m.currency(), m.amount(), d == null ? null
                        : (java.time.LocalDate) record.get(Objects.requireNonNull(d.field()).name()));
            }
            return "currency".equals(part) ? m.currency() : m.amount();
        }
        if (value instanceof Address a) {
            return part == null ? a : a.part(part);
        }
        return value;
    }
}
