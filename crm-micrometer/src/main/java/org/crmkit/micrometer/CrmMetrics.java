package org.crmkit.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.crmkit.Crm;
import org.crmkit.CrmAdmin;
import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthStatus;
import org.crmkit.observe.PoolStats;

/**
 * Binds a {@link Crm}'s metrics to a Micrometer {@link MeterRegistry}, as Micrometer's own binders do:
 *
 * <pre>{@code
 * CrmMetrics metrics = new CrmMetrics(crm);
 * metrics.bindTo(registry);   // ... metrics.close() unbinds
 * }</pre>
 *
 * <ul>
 * <li>{@code crmkit.operation} (timer) tagged {@code type}, {@code operation}, {@code outcome} ({@code success} or
 * the stable error code): every session operation;
 * <li>{@code crmkit.search.index.lag} (gauge, change-log entries not yet searchable) and
 * {@code crmkit.search.index.healthy} (1 or 0), {@code crmkit.search.index.refresh} (function timer: refreshes that
 * made applied changes searchable);
 * <li>{@code crmkit.cache.gets} (function counter) tagged {@code cache=record}, {@code result=hit|miss}, and
 * {@code crmkit.cache.size};
 * <li>HikariCP's own meter names when the storage owns its pool ({@code hikaricp.connections.active}, {@code idle},
 * {@code pending}, {@code max}, {@code min}, {@code hikaricp.connections} (total), {@code hikaricp.connections.timeout}
 * and the {@code hikaricp.connections.acquire} function timer), tagged {@code pool};
 * <li>{@code crmkit.health} (gauge): 0 UP, 1 DEGRADED, 2 DOWN, against the {@link HealthBounds} given.
 * </ul>
 *
 * <p>Gauges are read when the registry publishes (a Prometheus scrape): the index lag and the health each read the
 * storage once then. The operation timers cost one listener call per operation. The meters hold the {@code Crm}
 * strongly until {@link #close()}.
 */
public final class CrmMetrics implements MeterBinder, AutoCloseable {
    private final CrmAdmin admin;
    private final Iterable<Tag> tags;
    private final HealthBounds bounds;
    private final BoundMeters bound = new BoundMeters();

    /** Metrics of {@code crm}, without extra tags, with the default health bounds. */
    public CrmMetrics(Crm crm) {
        this(crm, List.of(), HealthBounds.defaults());
    }

    /** Metrics of {@code crm} with {@code tags} on every meter and {@code bounds} for {@code crmkit.health}. */
    public CrmMetrics(Crm crm, Iterable<Tag> tags, HealthBounds bounds) {
        this.admin = Objects.requireNonNull(crm, "crm").admin();
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        bound.add(admin.observe(new OperationTimers(registry, tags, bound)));
        gauge(registry, "crmkit.search.index.lag", "change-log entries the search index has not applied",
                a -> a.searchIndex().health().lag());
        gauge(registry, "crmkit.search.index.healthy", "1 while the search index follows the change log",
                a -> a.searchIndex().health().healthy() ? 1 : 0);
        org.crmkit.search.SearchIndex index = admin.searchIndex(); // kept: refresh figures outlive a close
        bound.add(registry, FunctionTimer.builder("crmkit.search.index.refresh", index,
                i -> i.refreshStats().refreshes(), i -> i.refreshStats().totalTime().toNanos(), TimeUnit.NANOSECONDS)
                .description("making applied changes searchable").tags(tags).register(registry));
        for (String result : List.of("hit", "miss")) {
            bound.add(registry, FunctionCounter.builder("crmkit.cache.gets", admin,
                    a -> result.equals("hit") ? a.recordCacheStats().hits() : a.recordCacheStats().misses())
                    .description("record cache lookups of updates at a known version").tags(tags)
                    .tags("cache", "record", "result", result).register(registry));
        }
        bound.add(registry, Gauge.builder("crmkit.cache.size", admin, a -> a.recordCacheStats().size())
                .description("records in the record cache").tags(tags).tag("cache", "record").strongReference(true)
                .register(registry));
        gauge(registry, "crmkit.health", "0 UP, 1 DEGRADED, 2 DOWN", a -> level(a.health(bounds).status()));
        admin.connectionPool().ifPresent(pool -> bindPool(registry, pool.name()));
    }

    private void bindPool(MeterRegistry registry, String name) {
        Tags pool = Tags.of(tags).and("pool", name);
        poolGauge(registry, pool, "hikaricp.connections.active", PoolStats::active);
        poolGauge(registry, pool, "hikaricp.connections.idle", PoolStats::idle);
        poolGauge(registry, pool, "hikaricp.connections.pending", PoolStats::pending);
        poolGauge(registry, pool, "hikaricp.connections.max", PoolStats::maximum);
        poolGauge(registry, pool, "hikaricp.connections.min", PoolStats::minimumIdle);
        poolGauge(registry, pool, "hikaricp.connections", PoolStats::total);
        bound.add(registry, FunctionCounter.builder("hikaricp.connections.timeout", admin,
                a -> a.connectionPool().map(PoolStats::timeouts).orElse(0L)).tags(pool)
                .description("connection requests that timed out").register(registry));
        bound.add(registry, FunctionTimer.builder("hikaricp.connections.acquire", admin,
                a -> a.connectionPool().map(PoolStats::acquired).orElse(0L),
                a -> a.connectionPool().map(PoolStats::acquireNanos).orElse(0L), TimeUnit.NANOSECONDS).tags(pool)
                .description("time to get a connection from the pool").register(registry));
    }

    private void poolGauge(MeterRegistry registry, Tags pool, String name, ToDoubleFunction<PoolStats> value) {
        bound.add(registry, Gauge.builder(name, admin,
                a -> a.connectionPool().map(value::applyAsDouble).orElse(Double.NaN)).tags(pool)
                .strongReference(true).register(registry));
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<CrmAdmin> value) {
        bound.add(registry, Gauge.builder(name, admin, value).description(description).tags(tags)
                .strongReference(true).register(registry));
    }

    /** The health status as a gauge value. */
    static int level(HealthStatus status) {
        return status.ordinal();
    }

    /** Stops the operation timers and removes every meter this binder registered. */
    @Override
    public void close() {
        bound.close();
    }
}
