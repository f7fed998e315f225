package org.crmkit.workflow.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The JSON payloads of the workflow's job kinds: each record below as a JSON object of its components (Jackson
 * databind), preceded by {@code "format":1}; a payload without it (written before the field existed) is version 1.
 * Instants are ISO-8601 text with their nanoseconds. Thread-safe; the engine holds one.
 */
final class Payloads {
    static final String RULES = "rules";
    static final String CRON = "cron";
    static final String DATE = "date";
    static final String ACTION = "action";
    static final String REFUSED = "refused";

    /** The format version this class writes, and the highest it reads. */
    static final int FORMAT = 1;

    private static final String FORMAT_FIELD = "format";

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("crmkit-payloads")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            .build();

    /**
     * A run of rules for one event, one step at a time: {@code rules} (JSON of each rule as it was when triggered),
     * the position (rule, step) to run next, the loop-protection chain ({@code rule@record} entries) and depth, and the
     * event's context ({@code prior} values as StorageJson text). The prior values of encrypted fields are not
     * written here (a job row is not encrypted): {@code priorInLog} names them, and the run reads them from the
     * change-log entry of the record at {@code version}, through the engine's decrypting storage.
     */
    record RulesRun(String baseKey, @Nullable String type, @Nullable UUID record, List<String> rules, int pos,
            int step, int depth, List<String> chain, String event, List<String> changed, Map<String, String> prior,
            long version, @Nullable List<String> priorInLog) {
        RulesRun at(int nextPos, int nextStep, List<String> nextRules) {
            return new RulesRun(baseKey, type, record, nextRules, nextPos, nextStep, depth, chain, event, changed,
                    prior, version, priorInLog);
        }

        /** The fields whose prior value is read from the change log (none in payloads from before there were). */
        List<String> priorFromLog() {
            return priorInLog == null ? List.of() : priorInLog;
        }
    }

    record Cron(String rule, long version, Instant fire) {}

    record DateFire(String rule, long version, UUID record, Instant target) {}

    record Submitted(String action, Map<String, String> parameters) {}

    record Refused(String rule, String reason) {}

    /** The payload as stored: a JSON object that starts with the format version, then the record's components. */
    String write(Object payload) {
        if (!(payload instanceof RulesRun || payload instanceof Cron || payload instanceof DateFire
                || payload instanceof Submitted || payload instanceof Refused)) {
            throw new IllegalArgumentException("no payload " + payload.getClass());
        }
        ObjectNode n = mapper.createObjectNode().put(FORMAT_FIELD, FORMAT);
        n.setAll((ObjectNode) mapper.valueToTree(payload));
        return n.toString();
    }

    RulesRun rules(String json) {
        return read(json, RulesRun.class);
    }

    Cron cron(String json) {
        return read(json, Cron.class);
    }

    DateFire date(String json) {
        return read(json, DateFire.class);
    }

    Submitted submitted(String json) {
        return read(json, Submitted.class);
    }

    Refused refused(String json) {
        return read(json, Refused.class);
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.treeToValue(tree(json), type);
        } catch (JacksonException e) {
            throw new IllegalStateException("malformed job payload: " + e.getOriginalMessage(), e);
        }
    }

    /** The payload's tree once its format is known to be one this class reads (none: version 1). */
    private JsonNode tree(String json) {
        JsonNode n;
        try {
            n = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalStateException("malformed job payload: " + e.getOriginalMessage(), e);
        }
        JsonNode format = n.get(FORMAT_FIELD);
        if (format != null && !(format.isInt() && format.intValue() >= 1 && format.intValue() <= FORMAT)) {
            throw new IllegalStateException("job payload of format " + format + ", written by a newer CRMKit");
        }
        return n;
    }

    /** The rule a payload concerns, for operators' listings; null for submitted actions. */
    @Nullable
    String ruleOf(String kind, String json) {
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

    /** ISO-8601 text to an {@link Instant}, as {@link Instant#toString()} wrote it. */
    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext context) throws IOException {
            return Instant.parse(p.getValueAsString());
        }
    }
}
