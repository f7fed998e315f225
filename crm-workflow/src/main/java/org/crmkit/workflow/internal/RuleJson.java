package org.crmkit.workflow.internal;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.math.BigDecimal;
import java.util.List;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.workflow.Rule;

/**
 * The JSON form of rules, read and written by Jackson databind with the mix-ins of {@link RuleJsonModule}. A
 * document starts with {@code "format":1}; one without it (written before the field existed) is format 1 too, and a
 * higher one is refused as written by a newer CRMKit. Variants carry a {@code "type"} in snake case; durations are
 * ISO-8601 ({@code "-P3D"}, {@code "PT2H"}); a value is plain JSON or {@code {"cel": "..."}}. Without
 * {@code "enabled"} a rule is enabled, without {@code "order"} or {@code "version"} they are 0, a schedule without {@code "zone"} runs in UTC, and lists and parameters left
 * out are empty. Without {@code "runAs"} a rule runs as whoever saves it; {@code "savedBy"} is written by a save (and
 * ignored by the next one).
 *
 * <p>Reading reports every problem at once, each under its path ({@code trigger.cron},
 * {@code actions[2].values.subject}): a required part missing, a property the part does not have, a wrong type, an
 * unknown variant ({@link RuleJsonProblems}); never a Jackson exception. A document above {@link #MAX_LENGTH}
 * characters or nested deeper than {@link #MAX_DEPTH} levels is refused before it is parsed further. Thread-safe;
 * the mapper is configured once.
 */
public final class RuleJson {
    /** The format version this class writes, and the highest it reads. */
    public static final int FORMAT = 1;

    /** The longest rule document read, in characters. */
    public static final int MAX_LENGTH = 1 << 20;

    /** The deepest nesting of arrays and objects read (a rule needs five). */
    public static final int MAX_DEPTH = 16;

    private static final String FORMAT_FIELD = "format";

    private static final JsonMapper MAPPER = JsonMapper
            .builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_LENGTH)
                            .maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS) // "yes" is no boolean, "3" no integer...
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(BigDecimal.class, // ...but a score's delta is exact decimal text
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
            .addModule(new RuleJsonModule())
            .build();

    private RuleJson() {}

    /** The rule as stored: the format version, then the rule's properties. */
    private record Document(int format, @JsonUnwrapped Rule rule) {}

    public static String write(Rule r) {
        try {
            return MAPPER.writeValueAsString(new Document(FORMAT, r));
        } catch (JacksonException e) {
            // a constant of a type JSON has no form for (Value.of takes any object)
            throw new IllegalArgumentException("cannot write rule " + r.name() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads what {@link #write} wrote, or a rule written by hand in the same form.
     *
     * @throws ValidationException naming every problem, each under its path
     */
    public static Rule read(String json) {
        ObjectNode document = document(json);
        try {
            return MAPPER.treeToValue(document, Rule.class);
        } catch (JacksonException | RuntimeException e) {
            List<FieldError> errors = RuleJsonProblems.of(MAPPER, document, Rule.class);
            JsonNode name = document.get("name");
            throw new ValidationException("rule " + (name != null && name.isTextual() ? name.asText() : "?"),
                    errors.isEmpty() ? List.of(unexplained(e)) : errors);
        }
    }

    /** The document as a tree, its format known to be one this class reads, the defaults of format 1 filled in. */
    private static ObjectNode document(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            throw refused("json", FieldErrorCode.TOO_LONG, "a rule is at most " + MAX_LENGTH
                    + " characters long and nests at most " + MAX_DEPTH + " levels deep");
        } catch (JacksonException e) {
            throw refused("json", FieldErrorCode.WRONG_TYPE, "not JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            // decimals are read as BigDecimal, and Jackson throws this (no JacksonException) for one whose exponent
            // a BigDecimal cannot hold, such as 9E223372036854775807
            throw refused("json", FieldErrorCode.OUT_OF_RANGE, "a number in the rule is out of range (its exponent is "
                    + "too large)");
        }
        if (!(n instanceof ObjectNode document)) {
            throw refused("json", FieldErrorCode.WRONG_TYPE, "a rule is a JSON object");
        }
        JsonNode format = document.remove(FORMAT_FIELD);
        if (format != null && !format.isInt()) {
            throw refused(FORMAT_FIELD, FieldErrorCode.WRONG_TYPE, "format must be an integer");
        }
        if (format != null && (format.intValue() < 1 || format.intValue() > FORMAT)) {
            throw refused(FORMAT_FIELD, FieldErrorCode.OUT_OF_RANGE, "format " + format + " is not one this version"
                    + " reads (1 to " + FORMAT + "); was the rule written by a newer CRMKit?");
        }
        if (!document.has("enabled")) {
            document.put("enabled", true);
        }
        if (!document.has("order")) {
            document.put("order", 0);
        }
        if (!document.has("version")) {
            document.put("version", 0L);
        }
        if (document.get("trigger") instanceof ObjectNode trigger
                && trigger.path(RuleJsonModule.TYPE).asText("").equals("schedule")) {
            JsonNode zone = trigger.get("zone");
            if (zone == null || zone.isNull()) {
                trigger.put("zone", "UTC");
            }
        }
        return document;
    }

    /** A refusal the walk of {@link RuleJsonProblems} did not explain, under the path databind gave. */
    private static FieldError unexplained(Exception e) {
        StringBuilder path = new StringBuilder();
        if (e instanceof JsonMappingException d) {
            for (var r : d.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
        }
        String at = path.isEmpty() ? "json" : path.toString();
        return new FieldError(at, FieldErrorCode.WRONG_TYPE, at + " is not valid here");
    }

    private static ValidationException refused(String path, FieldErrorCode code, String message) {
        return new ValidationException("rule", new FieldError(path, code, message));
    }
}
