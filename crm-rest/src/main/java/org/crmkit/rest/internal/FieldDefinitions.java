package org.crmkit.rest.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.PicklistOption;
import org.jspecify.annotations.Nullable;

/**
 * Reads field definitions and picklist options from JSON bodies into the engine's {@link Field} and
 * {@link PicklistOption}, collecting every mistake of the body as a field error named by its JSON path
 * ({@code type}, {@code fields[2].options}); the engine's schema checks (names, reserved words, ranges, expressions)
 * come after, when the change is made.
 */
final class FieldDefinitions {
    /** The properties a field definition may have. */
    static final Set<String> PROPERTIES = Set.of("name", "type", "label", "required", "unique", "searchable",
            "indexed", "max_length", "scale", "min", "max", "options", "target", "default", "expression",
            "result_type", "visible_regardless_of_inputs");
    /** The field types a definition may name ({@code rollup} fields are defined in Java only). */
    static final List<String> TYPES = java.util.Arrays.stream(FieldType.values()).map(SchemaJson::name).toList();

    private final String prefix;
    private final List<FieldError> errors;

    /**
     * @param prefix how the definition's properties are named in errors ({@code ""}, or {@code "fields[0]."})
     * @param errors where its mistakes go
     */
    FieldDefinitions(String prefix, List<FieldError> errors) {
        this.prefix = prefix;
        this.errors = errors;
    }

    /** The field the definition describes, or null when it has mistakes (added to the errors). */
    @Nullable
    Field field(Map<String, ?> def) {
        int before = errors.size();
        for (String key : def.keySet()) {
            if (!PROPERTIES.contains(key)) {
                error(key, FieldErrorCode.UNKNOWN_FIELD, "a field definition has no property '"
                        + ListQuery.abbreviate(key) + "'");
            }
        }
        String name = text(def, "name", true);
        String typeName = text(def, "type", true);
        FieldType type = null;
        if (typeName != null) {
            if (TYPES.contains(typeName)) {
                type = FieldType.valueOf(typeName.toUpperCase(Locale.ROOT));
            } else {
                error("type", FieldErrorCode.UNKNOWN_OPTION, "type must be one of " + String.join(", ", TYPES));
            }
        }
        List<PicklistOption> options = def.containsKey("options") ? options(def.get("options"), "options") : null;
        String target = text(def, "target", false);
        String expression = text(def, "expression", false);
        String resultName = text(def, "result_type", false);
        FieldType resultType = null;
        if (resultName != null && TYPES.contains(resultName)) {
            resultType = FieldType.valueOf(resultName.toUpperCase(Locale.ROOT));
        } else if (resultName != null) {
            error("result_type", FieldErrorCode.UNKNOWN_OPTION, "result_type must be one of "
                    + String.join(", ", TYPES));
        }
        if (type != null) {
            fits(type, options != null, "options", type == FieldType.PICKLIST || type == FieldType.MULTI_PICKLIST);
            fits(type, target != null, "target", type == FieldType.REFERENCE || type == FieldType.RELATION);
            fits(type, expression != null, "expression", type == FieldType.FORMULA);
            fits(type, resultName != null, "result_type", type == FieldType.FORMULA);
        }
        Boolean required = bool(def, "required");
        Boolean unique = bool(def, "unique");
        Boolean searchable = bool(def, "searchable");
        Boolean indexed = bool(def, "indexed");
        Boolean regardless = bool(def, "visible_regardless_of_inputs");
        Long maxLength = whole(def, "max_length");
        Long scale = whole(def, "scale");
        BigDecimal min = number(def, "min");
        BigDecimal max = number(def, "max");
        String label = text(def, "label", false);
        if (errors.size() > before || name == null || type == null) {
            return null;
        }
        Field f = base(name, type, target, expression, resultType);
        if (f == null) {
            return null;
        }
        if (label != null) {
            f = f.label(label);
        }
        if (required != null) {
            f = f.required(required);
        }
        if (unique != null) {
            f = f.unique(unique);
        }
        if (searchable != null) {
            f = f.searchable(searchable);
        }
        if (indexed != null) {
            f = f.indexed(indexed);
        }
        if (regardless != null) {
            f = f.visibleRegardlessOfInputs(regardless);
        }
        if (maxLength != null) {
            f = f.maxLength((int) Math.min(Integer.MAX_VALUE, maxLength));
        }
        if (scale != null) {
            f = f.scale((int) Math.min(Integer.MAX_VALUE, scale));
        }
        if (min != null || max != null) {
            f = f.range(min, max);
        }
        if (options != null) {
            f = f.options(options);
        }
        if (def.get("default") != null) {
            f = f.defaultValue(def.get("default"));
        }
        return f;
    }

    private @Nullable Field base(String name, FieldType type, @Nullable String target, @Nullable String expression,
            @Nullable FieldType resultType) {
        return switch (type) {
            case REFERENCE -> target == null ? missing("target", type) : Field.reference(name, target);
            case RELATION -> target == null ? missing("target", type) : Field.relation(name, target);
            case FORMULA -> expression == null ? missing("expression", type)
                    : resultType == null ? missing("result_type", type) : Field.formula(name, resultType, expression);
            case PICKLIST -> Field.picklist(name);
            case MULTI_PICKLIST -> Field.multiPicklist(name);
            case TEXT -> Field.text(name);
            case LONG_TEXT -> Field.longText(name);
            case INTEGER -> Field.integer(name);
            case DECIMAL -> Field.decimal(name);
            case CURRENCY -> Field.currency(name);
            case PERCENT -> Field.percent(name);
            case BOOLEAN -> Field.bool(name);
            case DATE -> Field.date(name);
            case DATETIME -> Field.datetime(name);
            case EMAIL -> Field.email(name);
            case PHONE -> Field.phone(name);
            case URL -> Field.url(name);
            case ADDRESS -> Field.address(name);
        };
    }

    private @Nullable Field missing(String property, FieldType type) {
        error(property, FieldErrorCode.REQUIRED, "a " + SchemaJson.name(type) + " field needs " + property);
        return null;
    }

    /**
     * Picklist options: an array of values ({@code "gold"}) or of objects {@code {"value", "label", "active"}}.
     *
     * @param path the property's name in errors
     */
    @Nullable
    List<PicklistOption> options(@Nullable Object raw, String path) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            error(path, FieldErrorCode.WRONG_TYPE, path + " must be a non-empty array of values or of objects "
                    + "{\"value\", \"label\", \"active\"}");
            return null;
        }
        List<PicklistOption> options = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            String at = path + "[" + i + "]";
            if (o instanceof String s) {
                options.add(PicklistOption.of(s));
            } else if (o instanceof Map<?, ?> m && m.get("value") instanceof String v
                    && (m.get("label") == null || m.get("label") instanceof String)
                    && (m.get("active") == null || m.get("active") instanceof Boolean)
                    && Set.of("value", "label", "active").containsAll(m.keySet())) {
                String label = m.get("label") instanceof String l ? l : v;
                options.add(new PicklistOption(v, label, !Boolean.FALSE.equals(m.get("active"))));
            } else {
                error(at, FieldErrorCode.WRONG_TYPE, at + " must be a text value or an object {\"value\", "
                        + "\"label\", \"active\"} with a text value");
            }
        }
        return options;
    }

    private void fits(FieldType type, boolean given, String property, boolean allowed) {
        if (given && !allowed) {
            error(property, FieldErrorCode.WRONG_TYPE, property + " does not apply to a " + SchemaJson.name(type)
                    + " field");
        }
    }

    @Nullable
    String text(Map<String, ?> def, String key, boolean required) {
        Object v = def.get(key);
        if (v == null) {
            if (required) {
                error(key, FieldErrorCode.REQUIRED, key + " is required");
            }
            return null;
        }
        if (v instanceof String s && !s.isBlank()) {
            return s;
        }
        error(key, FieldErrorCode.WRONG_TYPE, key + " must be non-empty text");
        return null;
    }

    @Nullable
    Boolean bool(Map<String, ?> def, String key) {
        Object v = def.get(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        error(key, FieldErrorCode.WRONG_TYPE, key + " must be true or false");
        return null;
    }

    private @Nullable Long whole(Map<String, ?> def, String key) {
        Object v = def.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l && l >= 0) {
            return l;
        }
        error(key, v instanceof Long || v instanceof BigInteger ? FieldErrorCode.OUT_OF_RANGE
                : FieldErrorCode.WRONG_TYPE, key + " must be a whole number of 0 or more");
        return null;
    }

    private @Nullable BigDecimal number(Map<String, ?> def, String key) {
        Object v = def.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        error(key, FieldErrorCode.WRONG_TYPE, key + " must be a number");
        return null;
    }

    void error(String property, FieldErrorCode code, String message) {
        errors.add(new FieldError(prefix + ListQuery.abbreviate(property), code, message));
    }
}
