package org.crmkit.workflow.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.workflow.Action;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.RunAs;
import org.crmkit.workflow.Trigger;
import org.crmkit.workflow.Value;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of rules (Jackson's tree model). Variants carry a {@code "type"} in snake case; durations are ISO-8601
 * ({@code "-P3D"}, {@code "PT2H"}); a value is plain JSON or {@code {"cel": "..."}}. Reading reports every problem at
 * once, each under its path ({@code trigger.cron}, {@code actions[2].values.subject}). Without {@code "runAs"} a rule
 * runs as whoever saves it; {@code "savedBy"} is written by a save (and ignored by the next one).
 */
public final class RuleJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RuleJson() {}

    public static String write(Rule r) {
        ObjectNode n = NODES.objectNode();
        n.put("name", r.name());
        n.put("description", r.description());
        n.put("objectType", r.objectType());
        n.put("enabled", r.enabled());
        n.put("order", r.order());
        n.put("version", r.version());
        n.set("trigger", trigger(r.trigger()));
        n.put("condition", r.condition());
        if (r.runAs() != null) {
            ObjectNode runAs = n.putObject("runAs");
            runAs.put("user", r.runAs().userId());
            r.runAs().roles().forEach(runAs.putArray("roles")::add);
            r.runAs().teams().forEach(runAs.putArray("teams")::add);
        }
        if (r.savedBy() != null) {
            n.put("savedBy", r.savedBy());
        }
        ArrayNode actions = n.putArray("actions");
        r.actions().forEach(a -> actions.add(action(a)));
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write rule " + r.name(), e);
        }
    }

    private static ObjectNode trigger(Trigger t) {
        ObjectNode n = NODES.objectNode();
        switch (t) {
            case Trigger.Created c -> n.put("type", "created");
            case Trigger.Updated u -> n.put("type", "updated");
            case Trigger.CreatedOrUpdated c -> n.put("type", "created_or_updated");
            case Trigger.Deleted d -> n.put("type", "deleted");
            case Trigger.FieldChanged f -> n.put("type", "field_changed").put("field", f.field()).put("from", f.from())
                    .put("to", f.to());
            case Trigger.StageChanged s -> n.put("type", "stage_changed").put("from", s.from()).put("to", s.to());
            case Trigger.Converted c -> n.put("type", "converted");
            case Trigger.Schedule s -> n.put("type", "schedule").put("cron", s.cron()).put("zone", s.zone());
            case Trigger.RelativeToDate r -> n.put("type", "relative_to_date").put("field", r.field())
                    .put("offset", r.offset().toString());
            case Trigger.Manual m -> n.put("type", "manual");
        }
        return n;
    }

    private static ObjectNode action(Action a) {
        ObjectNode n = NODES.objectNode();
        switch (a) {
            case Action.SetFields s -> values(n.put("type", "set_fields").put("via", s.via()), s.values());
            case Action.CreateRecord c -> values(n.put("type", "create_record").put("objectType", c.objectType()),
                    c.values());
            case Action.Notify no -> {
                n.put("type", "notify").put("channel", no.channel());
                n.set("recipient", value(no.recipient()));
                n.put("message", no.message());
            }
            case Action.Webhook w -> n.put("type", "webhook").put("url", w.url());
            case Action.AssignOwner o -> {
                n.put("type", "assign_owner").put("strategy", o.strategy().name().toLowerCase(java.util.Locale.ROOT));
                o.users().forEach(n.putArray("users")::add);
                n.put("team", o.team());
            }
            case Action.AdjustScore s -> n.put("type", "adjust_score").put("field", s.field())
                    .put("delta", s.delta().toPlainString()).put("via", s.via());
            case Action.Wait w -> n.put("type", "wait").put("duration", w.duration().toString());
            case Action.Custom c -> {
                n.put("type", "custom").put("name", c.name());
                ObjectNode p = n.putObject("parameters");
                c.parameters().forEach(p::put);
            }
        }
        return n;
    }

    private static void values(ObjectNode n, Map<String, Value> values) {
        ObjectNode v = n.putObject("values");
        values.forEach((k, x) -> v.set(k, value(x)));
    }

    private static JsonNode value(Value v) {
        return switch (v) {
            case Value.Expression e -> NODES.objectNode().put("cel", e.cel());
            case Value.Constant c -> MAPPER.valueToTree(c.value() instanceof BigDecimal d ? d : c.value());
        };
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /** Collects problems while reading. */
    private static final class Reader {
        final List<FieldError> errors = new ArrayList<>();

        void error(String path, FieldErrorCode code, String message) {
            errors.add(new FieldError(path, code, message));
        }

        @Nullable
        String text(JsonNode n, String field, String path, boolean required) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    error(path, FieldErrorCode.REQUIRED, path + " is required");
                }
                return null;
            }
            if (!v.isTextual()) {
                error(path, FieldErrorCode.WRONG_TYPE, path + " must be text");
                return null;
            }
            return v.asText();
        }

        List<String> texts(JsonNode n, String field, String path) {
            JsonNode v = n.get(field);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return out;
            }
            if (!v.isArray()) {
                error(path, FieldErrorCode.WRONG_TYPE, path + " must be a list of text");
                return out;
            }
            for (JsonNode e : v) {
                if (e.isTextual()) {
                    out.add(e.asText());
                } else {
                    error(path, FieldErrorCode.WRONG_TYPE, path + " must be a list of text");
                }
            }
            return out;
        }

        @Nullable
        Duration duration(JsonNode n, String field, String path) {
            String s = text(n, field, path, true);
            if (s == null) {
                return null;
            }
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                error(path, FieldErrorCode.WRONG_TYPE, path + " must be an ISO-8601 duration such as -P3D or PT2H");
                return null;
            }
        }

        Map<String, Value> values(JsonNode n, String path) {
            Map<String, Value> out = new LinkedHashMap<>();
            JsonNode v = n.get("values");
            if (v == null || !v.isObject()) {
                error(path + ".values", FieldErrorCode.REQUIRED, path + ".values must be an object of field values");
                return out;
            }
            v.properties().forEach(e -> {
                Value x = value(e.getValue(), path + ".values." + e.getKey());
                if (x != null) {
                    out.put(e.getKey(), x);
                }
            });
            return out;
        }

        @Nullable
        Value value(@Nullable JsonNode v, String path) {
            if (v == null || v.isNull()) {
                return Value.of(null);
            }
            if (v.isObject()) {
                JsonNode cel = v.get("cel");
                if (v.size() != 1 || cel == null || !cel.isTextual()) {
                    error(path, FieldErrorCode.WRONG_TYPE, path + " must be a constant or {\"cel\": \"expression\"}");
                    return null;
                }
                return Value.cel(cel.asText());
            }
            if (v.isTextual()) {
                return Value.of(v.asText());
            }
            if (v.isBoolean()) {
                return Value.of(v.asBoolean());
            }
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                return Value.of(v.asLong());
            }
            if (v.isNumber()) {
                return Value.of(v.decimalValue());
            }
            error(path, FieldErrorCode.WRONG_TYPE,
                    path + " must be text, a number, true/false, null or {\"cel\": ...}");
            return null;
        }
    }

    public static Rule read(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new ValidationException("rule", new FieldError("json", FieldErrorCode.WRONG_TYPE,
                    "not JSON: " + e.getOriginalMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new ValidationException("rule", new FieldError("json", FieldErrorCode.WRONG_TYPE,
                    "a rule is a JSON object"));
        }
        Reader r = new Reader();
        String name = r.text(n, "name", "name", true);
        String description = r.text(n, "description", "description", false);
        String objectType = r.text(n, "objectType", "objectType", false);
        String condition = r.text(n, "condition", "condition", false);
        boolean enabled = !n.has("enabled") || n.get("enabled").asBoolean(true);
        if (n.has("enabled") && !n.get("enabled").isBoolean()) {
            r.error("enabled", FieldErrorCode.WRONG_TYPE, "enabled must be true or false");
        }
        int order = 0;
        if (n.has("order")) {
            if (n.get("order").isInt()) {
                order = n.get("order").asInt();
            } else {
                r.error("order", FieldErrorCode.WRONG_TYPE, "order must be an integer");
            }
        }
        long version = n.has("version") && n.get("version").canConvertToLong() ? n.get("version").asLong() : 0;
        Trigger trigger = readTrigger(r, n.get("trigger"));
        RunAs runAs = null;
        JsonNode ra = n.get("runAs");
        if (ra != null && !ra.isNull()) {
            if (!ra.isObject()) {
                r.error("runAs", FieldErrorCode.WRONG_TYPE, "runAs must be an object");
            } else {
                String user = r.text(ra, "user", "runAs.user", true);
                runAs = new RunAs(user == null ? "?" : user, r.texts(ra, "roles", "runAs.roles"),
                        r.texts(ra, "teams", "runAs.teams"));
            }
        }
        List<Action> actions = new ArrayList<>();
        JsonNode as = n.get("actions");
        if (as == null || !as.isArray()) {
            r.error("actions", FieldErrorCode.REQUIRED, "actions must be a list");
        } else {
            for (int i = 0; i < as.size(); i++) {
                Action a = readAction(r, as.get(i), "actions[" + i + "]");
                if (a != null) {
                    actions.add(a);
                }
            }
        }
        String savedBy = r.text(n, "savedBy", "savedBy", false);
        if (!r.errors.isEmpty() || trigger == null || name == null) {
            throw new ValidationException("rule " + (name == null ? "?" : name), r.errors);
        }
        return new Rule(name, description, objectType, trigger, condition, actions, runAs, enabled, order, version,
                savedBy);
    }

    private static @Nullable Trigger readTrigger(Reader r, @Nullable JsonNode t) {
        if (t == null || !t.isObject()) {
            r.error("trigger", FieldErrorCode.REQUIRED, "trigger must be an object with a type");
            return null;
        }
        String type = r.text(t, "type", "trigger.type", true);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "created" -> Trigger.created();
            case "updated" -> Trigger.updated();
            case "created_or_updated" -> Trigger.createdOrUpdated();
            case "deleted" -> Trigger.deleted();
            case "manual" -> Trigger.manual();
            case "converted" -> Trigger.converted();
            case "field_changed" -> {
                String field = r.text(t, "field", "trigger.field", true);
                yield field == null ? null : new Trigger.FieldChanged(field, r.text(t, "from", "trigger.from", false),
                        r.text(t, "to", "trigger.to", false));
            }
            case "stage_changed" -> new Trigger.StageChanged(r.text(t, "from", "trigger.from", false),
                    r.text(t, "to", "trigger.to", false));
            case "schedule" -> {
                String cron = r.text(t, "cron", "trigger.cron", true);
                String zone = r.text(t, "zone", "trigger.zone", false);
                yield cron == null ? null : new Trigger.Schedule(cron, zone == null ? "UTC" : zone);
            }
            case "relative_to_date" -> {
                String field = r.text(t, "field", "trigger.field", true);
                Duration offset = r.duration(t, "offset", "trigger.offset");
                yield field == null || offset == null ? null : new Trigger.RelativeToDate(field, offset);
            }
            default -> {
                r.error("trigger.type", FieldErrorCode.UNKNOWN_OPTION, "unknown trigger type '" + type + "'");
                yield null;
            }
        };
    }

    private static @Nullable Action readAction(Reader r, JsonNode a, String path) {
        if (a == null || !a.isObject()) {
            r.error(path, FieldErrorCode.WRONG_TYPE, path + " must be an object with a type");
            return null;
        }
        String type = r.text(a, "type", path + ".type", true);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "set_fields" -> new Action.SetFields(r.values(a, path), r.text(a, "via", path + ".via", false));
            case "create_record" -> {
                String ot = r.text(a, "objectType", path + ".objectType", true);
                Map<String, Value> values = r.values(a, path);
                yield ot == null ? null : Action.createRecord(ot, values);
            }
            case "notify" -> {
                String channel = r.text(a, "channel", path + ".channel", true);
                Value recipient = r.value(a.get("recipient"), path + ".recipient");
                String message = r.text(a, "message", path + ".message", true);
                yield channel == null || recipient == null || message == null ? null
                        : Action.notify(channel, recipient, message);
            }
            case "webhook" -> {
                String url = r.text(a, "url", path + ".url", true);
                yield url == null ? null : Action.webhook(url);
            }
            case "assign_owner" -> {
                String s = r.text(a, "strategy", path + ".strategy", true);
                Action.AssignStrategy strategy = null;
                if (s != null) {
                    try {
                        strategy = Action.AssignStrategy.valueOf(s.toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        r.error(path + ".strategy", FieldErrorCode.UNKNOWN_OPTION, "strategy must be round_robin or "
                                + "least_loaded");
                    }
                }
                List<String> users = r.texts(a, "users", path + ".users");
                String team = r.text(a, "team", path + ".team", false);
                yield strategy == null ? null : new Action.AssignOwner(strategy, users, team);
            }
            case "adjust_score" -> {
                String field = r.text(a, "field", path + ".field", true);
                JsonNode d = a.get("delta");
                BigDecimal delta = null;
                try {
                    delta = d == null ? null : d.isNumber() ? d.decimalValue() : new BigDecimal(d.asText());
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (delta == null) {
                    r.error(path + ".delta", FieldErrorCode.WRONG_TYPE, path + ".delta must be a number");
                }
                String via = r.text(a, "via", path + ".via", false);
                yield field == null || delta == null ? null : new Action.AdjustScore(field, delta, via);
            }
            case "wait" -> {
                Duration d = r.duration(a, "duration", path + ".duration");
                yield d == null ? null : Action.waitFor(d);
            }
            case "custom" -> {
                String name = r.text(a, "name", path + ".name", true);
                Map<String, String> params = new LinkedHashMap<>();
                JsonNode p = a.get("parameters");
                if (p != null && p.isObject()) {
                    p.properties().forEach(e -> {
                        if (e.getValue().isTextual()) {
                            params.put(e.getKey(), e.getValue().asText());
                        } else {
                            r.error(path + ".parameters." + e.getKey(), FieldErrorCode.WRONG_TYPE,
                                    "parameters are text");
                        }
                    });
                } else if (p != null && !p.isNull()) {
                    r.error(path + ".parameters", FieldErrorCode.WRONG_TYPE, "parameters must be an object");
                }
                yield name == null ? null : Action.custom(name, params);
            }
            default -> {
                r.error(path + ".type", FieldErrorCode.UNKNOWN_OPTION, "unknown action type '" + type + "'");
                yield null;
            }
        };
    }
}
