package org.crmkit.workflow.internal;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.EnumNaming;
import com.fasterxml.jackson.databind.EnumNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.RunAs;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Value;

/**
 * The Jackson mix-ins that give rules their JSON form without annotating the public types (which must not show
 * Jackson): triggers and actions are tagged by a snake-case {@code "type"}, the rule's properties come in a fixed
 * order with {@code runAs} and {@code savedBy} left out when empty, {@code userId} is {@code "user"}, assignment
 * strategies are snake case, a score's delta is exact decimal text and durations are ISO-8601 text. Properties that
 * must be present are marked {@code required}; lists and maps that may be left out or null read as empty. A
 * {@link Value} is the one tagged value: a plain JSON constant or {@code {"cel": "..."}} ({@link ValueSerializer},
 * {@link ValueDeserializer}). Records with no mix-in are written by their components, in order.
 */
final class RuleJsonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    /** The property naming the variant of a trigger or an action. */
    static final String TYPE = "type";

    /** The one property of a value that is an expression. */
    static final String CEL = "cel";

    RuleJsonModule() {
        super("crmkit-rule-json");
        setMixInAnnotation(Rule.class, RuleMixIn.class);
        setMixInAnnotation(RunAs.class, RunAsMixIn.class);
        setMixInAnnotation(Trigger.class, TriggerMixIn.class);
        setMixInAnnotation(Trigger.FieldChanged.class, FieldChangedMixIn.class);
        setMixInAnnotation(Trigger.Schedule.class, ScheduleMixIn.class);
        setMixInAnnotation(Trigger.RelativeToDate.class, RelativeToDateMixIn.class);
        setMixInAnnotation(Action.class, ActionMixIn.class);
        setMixInAnnotation(Action.SetFields.class, SetFieldsMixIn.class);
        setMixInAnnotation(Action.CreateRecord.class, CreateRecordMixIn.class);
        setMixInAnnotation(Action.Notify.class, NotifyMixIn.class);
        setMixInAnnotation(Action.Webhook.class, WebhookMixIn.class);
        setMixInAnnotation(Action.AssignOwner.class, AssignOwnerMixIn.class);
        setMixInAnnotation(Action.AdjustScore.class, AdjustScoreMixIn.class);
        setMixInAnnotation(Action.Wait.class, WaitMixIn.class);
        setMixInAnnotation(Action.Custom.class, CustomMixIn.class);
        setMixInAnnotation(Action.AssignStrategy.class, AssignStrategyMixIn.class);
        addSerializer(Value.class, new ValueSerializer());
        addDeserializer(Value.class, new ValueDeserializer());
        addSerializer(Duration.class, ToStringSerializer.instance);
        addDeserializer(Duration.class, new DurationDeserializer());
    }

    @JsonPropertyOrder({"name", "description", "objectType", "enabled", "order", "version", "trigger", "condition",
            "runAs", "savedBy", "actions"})
    private interface RuleMixIn {
        @JsonProperty(required = true)
        String name();

        @JsonProperty(required = true)
        Trigger trigger();

        @JsonProperty(required = true)
        List<Action> actions();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        RunAs runAs();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        String savedBy();
    }

    private interface RunAsMixIn {
        @JsonProperty(value = "user", required = true)
        String userId();

        @JsonSetter(nulls = Nulls.AS_EMPTY)
        List<String> roles();

        @JsonSetter(nulls = Nulls.AS_EMPTY)
        List<String> teams();

        @JsonIgnore
        boolean isSystem();
    }

    // @formatter:off
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = TYPE)
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Trigger.Created.class, name = "created"),
            @JsonSubTypes.Type(value = Trigger.Updated.class, name = "updated"),
            @JsonSubTypes.Type(value = Trigger.CreatedOrUpdated.class, name = "created_or_updated"),
            @JsonSubTypes.Type(value = Trigger.Deleted.class, name = "deleted"),
            @JsonSubTypes.Type(value = Trigger.FieldChanged.class, name = "field_changed"),
            @JsonSubTypes.Type(value = Trigger.StageChanged.class, name = "stage_changed"),
            @JsonSubTypes.Type(value = Trigger.Converted.class, name = "converted"),
            @JsonSubTypes.Type(value = Trigger.Merged.class, name = "merged"),
            @JsonSubTypes.Type(value = Trigger.Schedule.class, name = "schedule"),
            @JsonSubTypes.Type(value = Trigger.RelativeToDate.class, name = "relative_to_date"),
            @JsonSubTypes.Type(value = Trigger.Manual.class, name = "manual")})
    private interface TriggerMixIn {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = TYPE)
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Action.SetFields.class, name = "set_fields"),
            @JsonSubTypes.Type(value = Action.CreateRecord.class, name = "create_record"),
            @JsonSubTypes.Type(value = Action.Notify.class, name = "notify"),
            @JsonSubTypes.Type(value = Action.Webhook.class, name = "webhook"),
            @JsonSubTypes.Type(value = Action.AssignOwner.class, name = "assign_owner"),
            @JsonSubTypes.Type(value = Action.AdjustScore.class, name = "adjust_score"),
            @JsonSubTypes.Type(value = Action.Wait.class, name = "wait"),
            @JsonSubTypes.Type(value = Action.Custom.class, name = "custom")})
    private interface ActionMixIn {}
    // @formatter:on

    private interface FieldChangedMixIn {
        @JsonProperty(required = true)
        String field();
    }

    /** The zone, when left out, is UTC ({@link RuleJson} fills it in before binding). */
    private interface ScheduleMixIn {
        @JsonProperty(required = true)
        String cron();

        @JsonProperty(required = true)
        String zone();
    }

    private interface RelativeToDateMixIn {
        @JsonProperty(required = true)
        String field();

        @JsonProperty(required = true)
        Duration offset();
    }

    @JsonPropertyOrder({"via", "values"})
    private interface SetFieldsMixIn {
        @JsonProperty(required = true)
        Map<String, Value> values();
    }

    private interface CreateRecordMixIn {
        @JsonProperty(required = true)
        String objectType();

        @JsonProperty(required = true)
        Map<String, Value> values();
    }

    /** A recipient left out is the constant null, as {@link ValueDeserializer#getNullValue} reads it. */
    private interface NotifyMixIn {
        @JsonProperty(required = true)
        String channel();

        @JsonProperty(required = true)
        String message();
    }

    private interface WebhookMixIn {
        @JsonProperty(required = true)
        String url();
    }

    private interface AssignOwnerMixIn {
        @JsonProperty(required = true)
        Action.AssignStrategy strategy();

        @JsonSetter(nulls = Nulls.AS_EMPTY)
        List<String> users();
    }

    private interface AdjustScoreMixIn {
        @JsonProperty(required = true)
        String field();

        @JsonProperty(required = true)
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal delta();
    }

    private interface WaitMixIn {
        @JsonProperty(required = true)
        Duration duration();
    }

    private interface CustomMixIn {
        @JsonProperty(required = true)
        String name();

        @JsonSetter(nulls = Nulls.AS_EMPTY)
        Map<String, String> parameters();
    }

    @EnumNaming(EnumNamingStrategies.SnakeCaseStrategy.class)
    private interface AssignStrategyMixIn {}

    /** A constant as plain JSON (text, number, boolean or null), an expression as {@code {"cel": "..."}}. */
    static final class ValueSerializer extends StdSerializer<Value> {
        private static final long serialVersionUID = 1L;

        ValueSerializer() {
            super(Value.class);
        }

        @Override
        public void serialize(Value value, JsonGenerator g, SerializerProvider provider) throws IOException {
            switch (value) {
                case Value.Expression e -> {
                    g.writeStartObject();
                    g.writeStringField(CEL, e.cel());
                    g.writeEndObject();
                }
                case Value.Constant c -> provider.defaultSerializeValue(c.value(), g);
            }
        }
    }

    /**
     * Reads what {@link ValueSerializer} writes: text, {@code true}/{@code false}, an integer as a {@link Long} (one
     * beyond its range as a {@link BigDecimal}), any other number as an exact {@link BigDecimal}, null (also for a
     * value left out), or an object holding exactly one {@code "cel"} text.
     */
    static final class ValueDeserializer extends StdDeserializer<Value> {
        private static final long serialVersionUID = 1L;

        ValueDeserializer() {
            super(Value.class);
        }

        @Override
        public Value deserialize(JsonParser p, DeserializationContext context) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return Value.of(p.getText());
            }
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return Value.of(p.getBooleanValue());
            }
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? Value.of(new BigDecimal(p.getBigIntegerValue()))
                        : Value.of(p.getLongValue());
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                return Value.of(p.getDecimalValue());
            }
            if (t == JsonToken.START_OBJECT) {
                JsonNode n = context.readTree(p);
                JsonNode cel = n.get(CEL);
                if (n.size() == 1 && cel != null && cel.isTextual()) {
                    return Value.cel(cel.asText());
                }
            }
            return (Value) context.handleUnexpectedToken(Value.class, t, p,
                    "a value is text, a number, true/false, null or {\"cel\": \"expression\"}");
        }

        @Override
        public Value getNullValue(DeserializationContext context) {
            return Value.of(null);
        }
    }

    /** ISO-8601 text ({@code "PT2H"}, {@code "-P3D"}) to a {@link Duration}. */
    static final class DurationDeserializer extends StdDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Duration) context.handleUnexpectedToken(Duration.class, p);
            }
            try {
                return Duration.parse(p.getText());
            } catch (DateTimeParseException e) {
                return (Duration) context.handleWeirdStringValue(Duration.class, p.getText(),
                        "not an ISO-8601 duration");
            }
        }
    }
}
