package org.crmkit.internal.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.health.Health;
import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthComponent;
import org.crmkit.health.HealthStatus;
import org.crmkit.health.spi.HealthContributor;
import org.crmkit.search.SearchIndexHealth;

/**
 * The engine's health check: the storage (one read of its last change-log sequence), the search index (against
 * that sequence) and every plug-in's {@link HealthContributor}. Never throws for a part that fails: that part is
 * down, named by its error code or exception class only (no message: it could carry data).
 */
final class EngineHealth {
    private final CrmEngine engine;
    private final List<HealthContributor> contributors = new CopyOnWriteArrayList<>();

    EngineHealth(CrmEngine engine) {
        this.engine = engine;
    }

    AutoCloseable add(HealthContributor contributor) {
        java.util.Objects.requireNonNull(contributor, "contributor");
        contributors.add(contributor);
        return () -> contributors.remove(contributor);
    }

    Health check(HealthBounds bounds) {
        java.util.Objects.requireNonNull(bounds, "bounds");
        Map<String, HealthComponent> parts = new LinkedHashMap<>();
        if (engine.isClosing()) {
            parts.put("storage", HealthComponent.down(ErrorCode.CLOSED.name()));
            return Health.of(parts);
        }
        long last;
        try {
            last = engine.storage.lastSequence();
            parts.put("storage", HealthComponent.of(HealthStatus.UP,
                    Map.of("name", String.valueOf(engine.storage.name()), "lastSequence", last)));
        } catch (RuntimeException e) {
            parts.put("storage", HealthComponent.down(errorOf(e)));
            last = -1;
        }
        parts.put("search", search(bounds, last));
        for (HealthContributor c : contributors) {
            HealthComponent h;
            try {
                h = c.check(bounds);
            } catch (RuntimeException e) {
                h = HealthComponent.down(errorOf(e));
            }
            parts.put(c.name(), h);
        }
        return Health.of(parts);
    }

    private HealthComponent search(HealthBounds bounds, long last) {
        String name = engine.search.backend().name();
        if (last < 0) { // the storage is down: the lag is unknown
            return HealthComponent.of(HealthStatus.DEGRADED, Map.of("engine", name, "error", "storage unreachable"));
        }
        SearchIndexHealth h;
        try {
            h = engine.search.health(last);
        } catch (RuntimeException e) {
            return HealthComponent.down(errorOf(e));
        }
        boolean behind = h.lag() > bounds.maxIndexLag();
        HealthStatus status = h.healthy() && !behind ? HealthStatus.UP : HealthStatus.DEGRADED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", name);
        details.put("healthy", h.healthy());
        details.put("appliedSequence", h.appliedSequence());
        details.put("lag", h.lag());
        details.put("maxLag", bounds.maxIndexLag());
        return HealthComponent.of(status, details);
    }

    /** A failure as an operator may see it: the stable code, or the exception's class. */
    static String errorOf(RuntimeException e) {
        return e instanceof CrmException c ? c.code().name() : e.getClass().getName();
    }
}
