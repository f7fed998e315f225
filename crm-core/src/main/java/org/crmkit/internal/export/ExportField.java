package org.crmkit.internal.export;

import java.util.List;
import java.util.Objects;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.jspecify.annotations.Nullable;

/**
 * A field a record export writes, with the shape of its values: a plain value, money (amount and currency), an address
 * (one column per part) or a list (multi-picklist options, relation ids).
 *
 * @param name  the field's API name
 * @param shape how its values are written
 */
public record ExportField(String name, Shape shape) {
    /** The columns every record export starts with, before the fields. */
    public static final List<String> SYSTEM_COLUMNS = List.of("id", "version", "owner", "created_at", "updated_at");

    /** How a field's values are written. */
    public enum Shape {
        VALUE,
        MONEY,
        ADDRESS,
        LIST
    }

    public ExportField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
    }

    /** The export of {@code field}: a formula takes the shape of its result type, a roll-up that of its own type. */
    public static ExportField of(Field field) {
        FieldType type = field.type() == FieldType.FORMULA && field.resultType() != null ? field.resultType()
                : field.type();
        Shape shape = switch (type) {
            case CURRENCY -> Shape.MONEY;
            case ADDRESS -> Shape.ADDRESS;
            case MULTI_PICKLIST, RELATION -> Shape.LIST;
            default -> Shape.VALUE;
        };
        return new ExportField(field.name(), shape);
    }

    /** The value of system column {@code column} (one of {@link #SYSTEM_COLUMNS}) on {@code r}. */
    static @Nullable Object system(Record r, String column) {
        return switch (column) {
            case "id" -> r.id();
            case "version" -> r.version();
            case "owner" -> r.owner();
            case "created_at" -> r.createdAt();
            case "updated_at" -> r.updatedAt();
            default -> throw new IllegalArgumentException("no system column " + column);
        };
    }
}
