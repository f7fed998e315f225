package org.crmkit.health;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The health of a {@code Crm}: the worst status of its components, and each component by name ({@code storage},
 * {@code search}, {@code jobs}, {@code relay.<name>}, ...).
 *
 * @param status     the worst of the components' statuses ({@link HealthStatus#UP} when there are none)
 * @param components each part's health, by name, sorted
 */
public record Health(HealthStatus status, Map<String, HealthComponent> components) {
    public Health {
        Objects.requireNonNull(status, "status");
        components = java.util.Collections.unmodifiableMap(new TreeMap<>(components));
    }

    /** A health whose status is the worst of {@code components}'. */
    public static Health of(Map<String, HealthComponent> components) {
        HealthStatus worst = HealthStatus.UP;
        for (HealthComponent c : components.values()) {
            worst = worst.worst(c.status());
        }
        return new Health(worst, components);
    }
}
