package org.crmkit.workflow;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One notification from a rule.
 *
 * @param idempotencyKey the same on every attempt of this notification, different for any other
 */
public record Notification(String rule, String channel, String recipient, String message,
        @Nullable String objectType, @Nullable UUID recordId, String idempotencyKey) {
    public Notification {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }
}
