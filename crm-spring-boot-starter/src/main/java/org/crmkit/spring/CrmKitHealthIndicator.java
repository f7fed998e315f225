package org.crmkit.spring;

import org.crmkit.Crm;
import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthComponent;
import org.crmkit.health.HealthStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * CRMKit's health check ({@code crm.admin().health(bounds)}) as an actuator health indicator ({@code crmkit}): UP,
 * {@link #DEGRADED} (working, a bound exceeded: index lag, dead letters, relay lag) or DOWN, with each component's
 * status and details (codes and numbers only). Add {@code DEGRADED} to
 * {@code management.endpoint.health.status.order} to rank it between DOWN and UP.
 */
public final class CrmKitHealthIndicator implements HealthIndicator {
    /** The status of a CRMKit that works with a bound exceeded. */
    public static final Status DEGRADED = new Status("DEGRADED");

    /** Taken while the {@code Crm} is open: a closed one's admin handle still answers (DOWN) where admin() throws. */
    private final org.crmkit.CrmAdmin admin;
    private final HealthBounds bounds;

    /** Reports the health of {@code crm} (open now) against {@code bounds}. */
    public CrmKitHealthIndicator(Crm crm, HealthBounds bounds) {
        this.admin = crm.admin();
        this.bounds = bounds;
    }

    @Override
    public Health health() {
        org.crmkit.health.Health h = admin.health(bounds);
        Health.Builder out = Health.status(status(h.status()));
        h.components().forEach((name, c) -> out.withDetail(name, detail(c)));
        return out.build();
    }

    private static Object detail(HealthComponent c) {
        java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("status", c.status().name());
        d.putAll(c.details());
        return d;
    }

    private static Status status(HealthStatus s) {
        return switch (s) {
            case UP -> Status.UP;
            case DEGRADED -> DEGRADED;
            case DOWN -> Status.DOWN;
        };
    }
}
