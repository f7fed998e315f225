package org.crmkit.internal.cel;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.jspecify.annotations.Nullable;

/**
 * The CEL type of each CRM field type, one table for formulas, record rules and workflow conditions alike. A field is a
 * variable of its value type made nullable (an empty field is {@code null}), but for the list and map types (multi
 * picklist and relation are lists of strings, address a map of its parts), whose empty value is the empty list or
 * map. Money and percent are doubles, date and date-time timestamps ({@link CelValues} gives the values).
 */
public final class CelTypes {
    private CelTypes() {}

    /** The CEL type of a variable holding a field's value of {@code type}; null for a formula without result type. */
    public static @Nullable CelType variable(FieldType type) {
        return switch (type) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL, PICKLIST, REFERENCE -> NullableType.create(SimpleType.STRING);
            case INTEGER -> NullableType.create(SimpleType.INT);
            case DECIMAL, PERCENT, CURRENCY -> NullableType.create(SimpleType.DOUBLE);
            case BOOLEAN -> NullableType.create(SimpleType.BOOL);
            case DATE, DATETIME -> NullableType.create(SimpleType.TIMESTAMP);
            case MULTI_PICKLIST, RELATION -> ListType.create(SimpleType.STRING);
            case ADDRESS -> MapType.create(SimpleType.STRING, SimpleType.STRING);
            case FORMULA -> null;
        };
    }

    /**
     * The CEL result type of a formula of result type {@code type}, or null when a formula cannot have that result
     * type (only TEXT, LONG_TEXT, INTEGER, DECIMAL, PERCENT, BOOLEAN, DATE and DATETIME can).
     */
    public static @Nullable CelType formulaResult(FieldType type) {
        return switch (type) {
            case TEXT, LONG_TEXT -> SimpleType.STRING;
            case INTEGER -> SimpleType.INT;
            case DECIMAL, PERCENT -> SimpleType.DOUBLE;
            case BOOLEAN -> SimpleType.BOOL;
            case DATE, DATETIME -> SimpleType.TIMESTAMP;
            default -> null;
        };
    }

    /**
     * Whether an expression of checked type {@code result} can be written to {@code field} (dyn and null always can;
     * the write converts and checks the value): {@link CelValues#fieldValue} gives the value to write.
     */
    public static boolean assignable(CelType result, Field field) {
        CelType t = result instanceof NullableType n ? n.targetType() : result;
        if (t == SimpleType.DYN || t == SimpleType.NULL_TYPE) {
            return true;
        }
        return switch (field.type()) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL, PICKLIST, REFERENCE -> t == SimpleType.STRING;
            case INTEGER -> t == SimpleType.INT;
            case DECIMAL, PERCENT, CURRENCY -> t == SimpleType.DOUBLE || t == SimpleType.INT;
            case BOOLEAN -> t == SimpleType.BOOL;
            case DATE, DATETIME -> t == SimpleType.TIMESTAMP || t == SimpleType.STRING;
            case MULTI_PICKLIST, RELATION -> t instanceof ListType;
            case ADDRESS -> t instanceof MapType;
            case FORMULA -> false;
        };
    }
}
