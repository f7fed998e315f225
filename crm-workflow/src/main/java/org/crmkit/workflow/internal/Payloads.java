package org.crmkit.workflow.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The JSON payloads of the workflow's job kinds. */
final class Payloads {
    static final String RULES = "rules";
    static final String CRON = "cron";
    static final String DATE = "date";
    static final String ACTION = "action";
    static final String REFUSED = "refused";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Payloads() {}

    /**
     * A run of rules for one event, one step at a time: {@code rules} (JSON of each rule as it was when triggered),
     * the position (rule, step) to run next, the loop-protection chain ({@code rule@record} entries) and depth, and the
     * event's context ({@code prior} values as StorageJson text).
     */
    record RulesRun(String baseKey, @Nullable String type, @Nullable UUID record, List<String> rules, int pos,
            int step, int depth, List<String> chain, String event, List<String> changed, Map<String, String> prior) {
        RulesRun at(int nextPos, int nextStep, List<String> nextRules) {
            return new RulesRun(baseKey, type, record, nextRules, nextPos, nextStep, depth, chain, event, changed,
                    prior);
        }
    }

    record Cron(String rule, long version, Instant fire) {}

    record DateFire(String rule, long version, UUID record, Instant target) {}

    record Submitted(String action, Map<String, String> parameters) {}

    record Refused(String rule, String reason) {}

    static String write(Object payload) {
        ObjectNode n = MAPPER.createObjectNode();
        switch (payload) {
            case RulesRun r -> {
                n.put("baseKey", r.baseKey()).put("type", r.type()).put("record", r.record() == null ? null
                        : r.record().toString()).put("pos", r.pos()).put("step", r.step()).put("depth", r.depth())
                        .put("event", r.event());
                r.rules().forEach(n.putArray("rules")::add);
                r.chain().forEach(n.putArray("chain")::add);
                r.changed().forEach(n.putArray("changed")::add);
                ObjectNode prior = n.putObject("prior");
                r.prior().forEach(prior::put);
            }
            case Cron c -> n.put("rule", c.rule()).put("version", c.version()).put("fire", c.fire().toString());
            case DateFire d -> n.put("rule", d.rule()).put("version", d.version()).put("record", d.record().toString())
                    .put("target", d.target().toString());
            case Submitted s -> {
                n.put("action", s.action());
                ObjectNode p = n.putObject("parameters");
                s.parameters().forEach(p::put);
            }
            case Refused f -> n.put("rule", f.rule()).put("reason", f.reason());
            default -> throw new IllegalArgumentException("no payload " + payload.getClass());
        }
        return n.toString();
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalStateException("malformed job payload: " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static @Nullable String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    static RulesRun rules(String json) {
        JsonNode n = tree(json);
        String record = text(n, "record");
        return new RulesRun(n.get("baseKey").asText(), text(n, "type"), record == null ? null : UUID.fromString(record),
                texts(n.get("rules")), n.get("pos").asInt(), n.get("step").asInt(), n.get("depth").asInt(),
                texts(n.get("chain")), n.get("event").asText(), texts(n.get("changed")), map(n.get("prior")));
    }

    static Cron cron(String json) {
        JsonNode n = tree(json);
        return new Cron(n.get("rule").asText(), n.get("version").asLong(), Instant.parse(n.get("fire").asText()));
    }

    static DateFire date(String json) {
        JsonNode n = tree(json);
        return new DateFire(n.get("rule").asText(), n.get("version").asLong(), UUID.fromString(n.get("record").asText()),
                Instant.parse(n.get("target").asText()));
    }

    static Submitted submitted(String json) {
        JsonNode n = tree(json);
        return new Submitted(n.get("action").asText(), map(n.get("parameters")));
    }

    static Refused refused(String json) {
        JsonNode n = tree(json);
        return new Refused(n.get("rule").asText(), n.get("reason").asText());
    }

    /** The rule a payload concerns, for operators' listings; null for submitted actions. */
    static @Nullable String ruleOf(String kind, String json) {
        try {
            return switch (kind) {
                case RULES -> {
                    RulesRun r = rules(json);
                    yield r.pos() < r.rules().size() ? RuleJson.read(r.rules().get(r.pos())).name() : null;
                }
                case CRON, DATE, REFUSED -> tree(json).get("rule").asText();
                case ACTION -> tree(json).get("action").asText();
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }
}
