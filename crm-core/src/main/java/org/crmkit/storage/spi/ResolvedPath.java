package org.crmkit.storage.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * this one class, so they agree on what a path means.
 *
 * @param path       the path as written
 * @param hops       reference fields walked, in order (empty for a field of the queried type itself)
 * @param ownerType  the object type holding the terminal field
 * @param property   the system property name ({@code id}, {@code owner}...) or null for a field
 * @param field      the terminal field, or null for a system property
 * @param part       {@code currency} or an address part, or null
 * @param valueType  the type of the compared value: currency amounts are {@link FieldType#DECIMAL}, parts and
 *                   text-like properties {@link FieldType#TEXT}, {@code id} {@link FieldType#REFERENCE}
 */
public record ResolvedPath(String path, List<Field> hops, String ownerType, @Nullable String property,
        @Nullable Field field, @Nullable String part, FieldType valueType) {

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

    public ResolvedPath {
        hops = List.copyOf(hops);
    }

    /**
     * Resolves {@code path} on {@code objectType}; throws {@link ValidationException} ({@code UNKNOWN_FIELD})
     * naming the path when any step does not exist.
     */
    public static ResolvedPath resolve(SchemaSnapshot schema, String objectType, String path) {
        ObjectType type = schema.findObjectType(objectType).orElseThrow(() -> unknown(objectType, path,
                "no object type " + objectType));
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
            Field field = type.findField(step).orElse(null);
            if (field == null) {
                throw unknown(objectType, path, type.name() + " has no field " + step);
            }
            if (last) {
                return new ResolvedPath(path, hops, type.name(), null, field, null, comparableType(field));
            }
            String next = steps[i + 1];
            if (field.type() == FieldType.CURRENCY && i + 2 == steps.length && next.equals("currency")) {
                return new ResolvedPath(path, hops, type.name(), null, field, "currency", FieldType.TEXT);
            }
            if (field.type() == FieldType.ADDRESS && i + 2 == steps.length && Address.PARTS.contains(next)) {
                return new ResolvedPath(path, hops, type.name(), null, field, next, FieldType.TEXT);
            }
            if (field.type() != FieldType.REFERENCE || field.target() == null) {
                throw unknown(objectType, path, step + " is not a reference and has no part " + next);
            }
            hops.add(field);
            String target = field.target();
            type = schema.findObjectType(target).orElseThrow(() -> unknown(objectType, path,
                    "no object type " + target));
        }
        throw unknown(objectType, path, "empty path");
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
        Object value = record.get(field.name());
        if (value instanceof Money m) {
            return "currency".equals(part) ? m.currency() : m.amount();
        }
        if (value instanceof Address a) {
            return part == null ? a : a.part(part);
        }
        return value;
    }
}
