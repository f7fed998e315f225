package org.crmkit.internal.cel;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * Record values as CEL values and back, one conversion for formulas, record rules and workflow conditions alike, of
 * the types {@link CelTypes} declares. Date-times and dates are {@link Instant}s (a date is its midnight in UTC): the
 * native timestamp of CEL-Java's runtime (see {@link CelEnvironment}), which its planner runtime
 * works on without converting, and which is what CEL gives back for {@code timestamp(...)} and timestamp arithmetic.
 * Money, decimals and percents are doubles, ids strings, an address the map of its non-empty parts; an empty field is
 * CEL's {@code null}, or the empty list or map for list and map types.
 */
public final class CelValues {
    private CelValues() {}

    /** The CEL value of a field's value of {@code type} (null: the field is empty). */
    public static Object toCel(FieldType type, @Nullable Object value) {
        if (value == null) {
            return switch (type) {
                case MULTI_PICKLIST, RELATION -> List.of();
                case ADDRESS -> Map.of();
                default -> NullValue.NULL_VALUE;
            };
        }
        return switch (value) {
            case Money m -> m.amount().doubleValue();
            case BigDecimal d -> d.doubleValue();
            case UUID u -> u.toString();
            case LocalDate d -> timestamp(d);
            case Instant i -> i;
            case Address a -> a.parts();
            case List<?> l -> l.stream().map(Object::toString).toList();
            default -> value;
        };
    }

    /** The CEL timestamp of a date: its midnight in UTC. */
    public static Instant timestamp(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** {@code value}, or CEL's {@code null} for a Java null. */
    public static Object orNull(@Nullable Object value) {
        return value == null ? NullValue.NULL_VALUE : value;
    }

    /**
     * The CEL values of the fields of {@code type} ({@code values} by field name; absent means empty), formula fields
     * included when {@code formulas} is true.
     */
    public static Map<String, Object> fields(ObjectType type, Map<String, ?> values, boolean formulas) {
        Map<String, Object> out = new HashMap<>();
        for (Field f : type.fields()) {
            if (f.type() != FieldType.FORMULA || formulas) {
                out.put(f.name(), toCel(f.valueType(), values.get(f.name())));
            }
        }
        return out;
    }

    /**
     * A formula's CEL result as the value of the formula field (of its result type), or null when it has no usable
     * value: CEL's null, a result of another kind, or a double that is not finite.
     */
    public static @Nullable Object formulaValue(Field formula, @Nullable Object result) {
        if (result == null || result instanceof NullValue) {
            return null;
        }
        return switch (formula.resultType()) {
            case INTEGER -> result instanceof Long l ? l : null;
            case DECIMAL, PERCENT -> result instanceof Double d && Double.isFinite(d) ? decimal(d, formula.scale())
                    : null;
            case BOOLEAN -> result instanceof Boolean b ? b : null;
            case TEXT, LONG_TEXT -> result instanceof String s ? s : null;
            case DATETIME -> result instanceof Instant i ? i : null;
            case DATE -> result instanceof Instant i ? LocalDate.ofInstant(i, ZoneOffset.UTC) : null;
            case null, default -> null;
        };
    }

    /**
     * A CEL result as a value to write to {@code field} (null: no field known): timestamps become dates (UTC) or
     * instants, finite doubles decimals at the field's scale, durations their ISO text, CEL's null a Java null; other
     * values as they are (the write converts and checks them).
     */
    public static @Nullable Object fieldValue(@Nullable Field field, @Nullable Object result) {
        if (result == null || result instanceof NullValue) {
            return null;
        }
        if (result instanceof Instant i) {
            return field != null && field.type() == FieldType.DATE ? LocalDate.ofInstant(i, ZoneOffset.UTC) : i;
        }
        if (result instanceof Double d && field != null && Double.isFinite(d)) {
            return switch (field.type()) {
                case DECIMAL, PERCENT, CURRENCY -> decimal(d, field.scale());
                default -> d;
            };
        }
        if (result instanceof java.time.Duration d) {
            return d.toString();
        }
        return result;
    }

    private static BigDecimal decimal(double d, int scale) {
        return BigDecimal.valueOf(d).setScale(scale, RoundingMode.HALF_EVEN);
    }

    /** The text of a value, CEL or record value alike, for messages and comparisons of text: empty for null. */
    public static String text(@Nullable Object value) {
        if (value == null || value instanceof NullValue) {
            return "";
        }
        if (value instanceof Money m) {
            return m.amount().toPlainString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }
}
