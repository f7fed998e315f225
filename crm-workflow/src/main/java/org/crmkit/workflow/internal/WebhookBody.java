package org.crmkit.workflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * The JSON a webhook action posts: the rule, its version, the event, the record's type and id, the idempotency key,
 * the send time, the changed fields the rule may see and the record's fields in name order.
 */
final class WebhookBody {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebhookBody() {}

    static String of(CompiledRule rule, Payloads.RulesRun run, Set<String> changed, @Nullable Record record,
            String key, Instant sentAt) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rule", rule.name()).put("ruleVersion", rule.rule.version()).put("event", run.event())
                .put("objectType", run.type())
                .put("recordId", run.record() == null ? null : String.valueOf(run.record()))
                .put("idempotencyKey", key).put("sentAt", sentAt.toString());
        changed.forEach(n.putArray("changed")::add);
        if (record != null) {
            ObjectNode r = n.putObject("record");
            r.put("id", record.id().toString()).put("version", record.version()).put("owner", record.owner());
            record.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> r.set(e.getKey(), jsonValue(e.getValue())));
        }
        return n.toString();
    }

    private static JsonNode jsonValue(Object v) {
        return switch (v) {
            case Money m -> JSON.createObjectNode().put("amount", m.amount().toPlainString())
                    .put("currency", m.currency());
            case Address a -> JSON.valueToTree(a.parts());
            case BigDecimal d -> JSON.getNodeFactory().numberNode(d);
            case Long l -> JSON.getNodeFactory().numberNode(l);
            case Boolean b -> JSON.getNodeFactory().booleanNode(b);
            case List<?> l -> JSON.valueToTree(l.stream().map(Object::toString).toList());
            default -> JSON.getNodeFactory().textNode(v.toString());
        };
    }
}
