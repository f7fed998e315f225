package org.crmkit.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crmkit.event.ChangeLogEntry;

/**
 * One message as a consumer received it, and the checks every relay test makes on what it consumed: every change
 * arrived, a duplicate carries the same id and body as the first copy, and once duplicates are dropped by message id
 * each record's changes come in sequence order.
 *
 * @param messageId the broker's message id (the change-log sequence)
 * @param key       the ordering key the consumer saw (record id, or the part of the routing key / subject)
 * @param body      the JSON body
 */
public record Delivery(String messageId, String key, String body) {
    public Delivery {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
    }

    /** Asserts that {@code consumed} (in arrival order) carries every entry of {@code log} as required above. */
    public static void assertComplete(List<Delivery> consumed, List<ChangeLogEntry> log) {
        Map<String, Delivery> first = new LinkedHashMap<>();
        for (Delivery d : consumed) {
            Delivery earlier = first.putIfAbsent(d.messageId(), d);
            if (earlier != null) {
                assertThat(d).as("a duplicate carries the first copy's key and body").isEqualTo(earlier);
            }
        }
        List<String> expected = log.stream().map(e -> Long.toString(e.sequence())).toList();
        assertThat(first.keySet()).as("every change arrives, no other").containsExactlyInAnyOrderElementsOf(expected);
        Map<String, String> keyOf = new HashMap<>();
        log.forEach(e -> keyOf.put(Long.toString(e.sequence()), e.recordId().toString()));
        Map<String, Long> lastPerKey = new HashMap<>();
        List<String> outOfOrder = new ArrayList<>();
        for (Delivery d : first.values()) {
            assertThat(d.key()).as("key of message " + d.messageId()).contains(keyOf.get(d.messageId()));
            long seq = Long.parseLong(d.messageId());
            Long before = lastPerKey.put(keyOf.get(d.messageId()), seq);
            if (before != null && before > seq) {
                outOfOrder.add(before + " before " + seq);
            }
        }
        assertThat(outOfOrder).as("changes of one record out of order").isEmpty();
    }
}
