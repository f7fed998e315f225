package org.crmkit.workflow.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.workflow.Value;
import org.jspecify.annotations.Nullable;

/**
 * Every problem of a rule document that databind refused, each under its path ({@code trigger.cron},
 * {@code actions[2].values.subject}), found at once: databind stops at the first, so this walks the JSON tree
 * alongside the types, as the mix-ins of {@link RuleJsonModule} describe them, and binds each leaf on its own. A
 * required property missing or null, a property the type does not have, a variant name it does not know, a list or
 * object where something else belongs and a leaf databind cannot bind are each a {@link FieldError}. Used once per
 * refused document.
 */
final class RuleJsonProblems {
    private final ObjectMapper mapper;
    private final DeserializationConfig config;
    private final List<FieldError> errors = new ArrayList<>();

    private RuleJsonProblems(ObjectMapper mapper) {
        this.mapper = mapper;
        this.config = mapper.getDeserializationConfig();
    }

    /** The problems of {@code document} read as a {@code type}; empty if this walk finds none. */
    static List<FieldError> of(ObjectMapper mapper, JsonNode document, Class<?> type) {
        RuleJsonProblems problems = new RuleJsonProblems(mapper);
        problems.check(document, mapper.constructType(type), "");
        return List.copyOf(problems.errors);
    }

    private void check(JsonNode node, JavaType type, String path) {
        Map<String, Class<?>> variants = variants(type);
        if (!variants.isEmpty()) {
            variant(node, type, variants, path);
        } else if (type.isCollectionLikeType()) {
            if (!node.isArray()) {
                wrongType(path, "a list");
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), type.getContentType(), path + "[" + i + "]");
            }
        } else if (type.isMapLikeType()) {
            if (!node.isObject()) {
                wrongType(path, "an object");
                return;
            }
            node.properties().forEach(e -> check(e.getValue(), type.getContentType(), child(path, e.getKey())));
        } else if (type.getRawClass().isRecord()) {
            object(node, type, path, "");
        } else {
            leaf(node, type, path);
        }
    }

    /** A trigger or an action: an object whose {@code "type"} names a known variant, then that variant's check. */
    private void variant(JsonNode node, JavaType base, Map<String, Class<?>> variants, String path) {
        String kind = base.getRawClass().getSimpleName().toLowerCase(Locale.ROOT);
        if (!node.isObject()) {
            wrongType(path, "an object with a " + RuleJsonModule.TYPE);
            return;
        }
        String typePath = child(path, RuleJsonModule.TYPE);
        JsonNode id = node.get(RuleJsonModule.TYPE);
        if (id == null || id.isNull()) {
            error(typePath, FieldErrorCode.REQUIRED, typePath + " is required");
            return;
        }
        if (!id.isTextual()) {
            wrongType(typePath, "text");
            return;
        }
        Class<?> variant = variants.get(id.asText());
        if (variant == null) {
            error(typePath, FieldErrorCode.UNKNOWN_OPTION, "unknown " + kind + " type '" + id.asText() + "'");
        } else {
            object(node, mapper.constructType(variant), path, RuleJsonModule.TYPE);
        }
    }

    /** A record: its required properties present, no property it lacks, each property's value checked. */
    private void object(JsonNode node, JavaType type, String path, String typeProperty) {
        if (!node.isObject()) {
            wrongType(path, "an object");
            return;
        }
        BeanDescription description = config.introspect(type);
        Map<String, BeanPropertyDefinition> properties = new LinkedHashMap<>();
        description.findProperties().stream().filter(BeanPropertyDefinition::hasConstructorParameter)
                .forEach(p -> properties.put(p.getName(), p));
        properties.values().forEach(p -> {
            JsonNode v = node.get(p.getName());
            if (p.isRequired() && (v == null || v.isNull())) {
                String at = child(path, p.getName());
                error(at, FieldErrorCode.REQUIRED, at + " is required");
            }
        });
        node.properties().forEach(e -> {
            String at = child(path, e.getKey());
            BeanPropertyDefinition p = properties.get(e.getKey());
            if (e.getKey().equals(typeProperty)) {
                return;
            }
            if (p == null) {
                error(at, FieldErrorCode.UNKNOWN_FIELD, at + " is not a property of " + (path.isEmpty() ? "a rule"
                        : path) + " (known: " + String.join(", ", properties.keySet()) + ")");
            } else if (!e.getValue().isNull()) {
                check(e.getValue(), p.getPrimaryType(), at);
            } else if (p.getPrimaryType().isPrimitive()) {
                leaf(e.getValue(), p.getPrimaryType(), at);
            }
        });
    }

    /** A value databind binds on its own (text, number, duration, strategy, value...). */
    private void leaf(JsonNode node, JavaType type, String path) {
        try {
            mapper.treeToValue(node, type);
        } catch (JacksonException | RuntimeException e) {
            Class<?> c = type.getRawClass();
            if (c.isEnum()) {
                error(path, FieldErrorCode.UNKNOWN_OPTION, path + " must be one of " + Arrays
                        .stream(c.getEnumConstants()).map(o -> ((Enum<?>) o).name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
            } else {
                wrongType(path, expected(c));
            }
        }
    }

    private static String expected(Class<?> c) {
        if (c == String.class) {
            return "text";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return "an integer";
        }
        if (c == BigDecimal.class) {
            return "a number";
        }
        if (c == Duration.class) {
            return "an ISO-8601 duration such as -P3D or PT2H";
        }
        if (c == Value.class) {
            return "text, a number, true/false, null or {\"" + RuleJsonModule.CEL + "\": \"expression\"}";
        }
        return "a " + c.getSimpleName();
    }

    /** The named variants of a polymorphic type, by name; empty for any other type. */
    private Map<String, Class<?>> variants(JavaType type) {
        AnnotatedClass base = config.introspectClassAnnotations(type).getClassInfo();
        Map<String, Class<?>> out = new LinkedHashMap<>();
        for (NamedType t : mapper.getSubtypeResolver().collectAndResolveSubtypesByTypeId(config, base)) {
            @Nullable
            String name = t.getName();
            if (name != null && t.getType() != type.getRawClass()) {
                out.put(name, t.getType());
            }
        }
        return out;
    }

    private void wrongType(String path, String expected) {
        error(path, FieldErrorCode.WRONG_TYPE, path + " must be " + expected);
    }

    private void error(String path, FieldErrorCode code, String message) {
        errors.add(new FieldError(path, code, message));
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
