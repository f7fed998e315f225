package org.crmkit.health;

import java.util.Map;
import java.util.Objects;

/**
 * The health of one part. Details are for operators: numbers and fixed words (a lag, a count, a state, an error
 * code), never record data, field names or exception messages.
 *
 * @param status  how the part is doing
 * @param details what was measured, by name (values are {@code Long}, {@code Integer}, {@code Boolean} or
 *                {@code String})
 */
public record HealthComponent(HealthStatus status, Map<String, Object> details) {
    public HealthComponent {
        Objects.requireNonNull(status, "status");
        details = Map.copyOf(details);
    }

    /** A component with {@code status} and these details. */
    public static HealthComponent of(HealthStatus status, Map<String, Object> details) {
        return new HealthComponent(status, details);
    }

    /** A part that is down because an operation failed: the failure's code (or exception class) only. */
    public static HealthComponent down(String error) {
        return new HealthComponent(HealthStatus.DOWN, Map.of("error", error));
    }
}
