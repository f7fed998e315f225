package org.crmkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.CrmException;
import org.crmkit.health.HealthBounds;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each meter of {@link CrmMetrics} moves when its thing happens, and no tag carries record data. */
class CrmMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
    private final CrmMetrics metrics = new CrmMetrics(crm, List.of(Tag.of("app", "erp")), HealthBounds.defaults());
    private final CrmSession admin = crm.as(Principal.user("u-admin", Role.ADMIN));

    @AfterEach
    void close() {
        metrics.close();
        crm.close();
    }

    private Timer timer(String type, String operation, String outcome) {
        return registry.get("crmkit.operation").tags("type", type, "operation", operation, "outcome", outcome)
                .tag("app", "erp").timer();
    }

    @Test
    void operationsAreTimedByTypeOperationAndOutcome() {
        metrics.bindTo(registry);
        Record ada = admin.records("contact").create(Map.of("last_name", "Lovelace"));
        admin.records("contact").create(Map.of("last_name", "Byron"));
        assertThatThrownBy(() -> admin.records("contact").create(Map.of("email", "not an email")))
                .isInstanceOf(CrmException.class);
        admin.records("contact").get(ada.id());

        assertThat(timer("contact", "create", "success").count()).isEqualTo(2);
        assertThat(timer("contact", "create", "VALIDATION_FAILED").count()).isEqualTo(1);
        assertThat(timer("contact", "get", "success").count()).isEqualTo(1);
        assertThat(timer("contact", "create", "success").totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                .isPositive();
    }

    @Test
    void tagsNeverCarryHiddenFieldNamesOrValues() {
        metrics.bindTo(registry);
        Record secret = admin.records("contact").create(Map.of("last_name", "Zzsecretname", "email",
                "hidden-value@example.com"));
        Role role = Role.builder("no-email").grant("contact", RecordScope.OWN, Permission.READ, Permission.UPDATE,
                Permission.CREATE).field("contact", "email", FieldAccess.HIDDEN).build();
        CrmSession rep = crm.as(Principal.user("u-7", role));
        assertThatThrownBy(() -> rep.records("contact").get(secret.id())).isInstanceOf(CrmException.class);
        assertThatThrownBy(() -> rep.records("contact").create(Map.of("last_name", "Mine", "email",
                "leak@example.com"))).isInstanceOf(CrmException.class);
        assertThatThrownBy(() -> rep.records("contact").update(secret.id(), secret.version(),
                Map.of("email", "x@example.com"))).isInstanceOf(CrmException.class);
        try { // refused or empty: either way the meter is tagged by type, operation and outcome only
            rep.records("contact").query(org.crmkit.query.Query.where(
                    org.crmkit.query.Filters.where("email").eq("hidden-value@example.com")));
        } catch (CrmException expected) {
            assertThat(expected.code()).isNotNull();
        }

        Set<String> allowedKeys = Set.of("app", "type", "operation", "outcome", "cache", "result");
        for (Meter m : registry.getMeters()) {
            for (Tag t : m.getId().getTags()) {
                assertThat(t.getKey()).isIn(allowedKeys);
                assertThat(t.getValue()).doesNotContain("email").doesNotContain("example.com")
                        .doesNotContain("Zzsecretname").doesNotContain(secret.id().toString()).doesNotContain("u-7");
            }
        }
        assertThat(registry.get("crmkit.operation").tag("type", "contact").timers()).extracting(
                t -> t.getId().getTag("outcome")).contains("NOT_FOUND");
    }

    @Test
    void cacheSearchAndHealthMeters() {
        metrics.bindTo(registry);
        Record acme = admin.records("company").create(Map.of("name", "Acme"));
        admin.records("company").update(acme.id(), acme.version(), Map.of("name", "Acme Ltd"));
        assertThat(registry.get("crmkit.cache.gets").tags("result", "hit", "cache", "record").functionCounter()
                .count()).isEqualTo(1);
        assertThat(registry.get("crmkit.cache.size").gauge().value()).isEqualTo(1);
        assertThat(registry.get("crmkit.search.index.lag").gauge().value()).isZero();
        assertThat(registry.get("crmkit.search.index.healthy").gauge().value()).isEqualTo(1);
        assertThat(registry.get("crmkit.search.index.refresh").functionTimer().count())
                .as("the storage search has no refreshes").isZero();
        assertThat(registry.get("crmkit.health").gauge().value()).isZero();
        assertThat(registry.find("hikaricp.connections.active").gauge()).isNull(); // memory has no pool

        crm.close();
        assertThat(registry.get("crmkit.health").gauge().value()).isEqualTo(2); // DOWN, and no exception
    }

    @Test
    void closingUnbindsEveryMeterAndStopsTheTimers() {
        metrics.bindTo(registry);
        admin.records("company").create(Map.of("name", "Acme"));
        assertThat(registry.getMeters()).isNotEmpty();
        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
        admin.records("company").create(Map.of("name", "Globex"));
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aPoolTheStorageOwnsGetsHikariCpsMeterNames() {
        java.nio.file.Path dir = java.nio.file.Path.of("target", "h2-metrics", Long.toString(System.nanoTime()));
        try (Crm jdbc = Crm.builder().storage(JdbcStorage.builder().url("jdbc:h2:file:" + dir.toAbsolutePath())
                .maxPoolSize(3).build()).build(); CrmMetrics m = new CrmMetrics(jdbc)) {
            m.bindTo(registry);
            jdbc.as(Principal.user("u-1", Role.ADMIN)).records("company").create(Map.of("name", "Acme"));
            assertThat(registry.get("hikaricp.connections.max").tag("pool", "crmkit").gauge().value()).isEqualTo(3);
            assertThat(registry.get("hikaricp.connections").gauge().value()).isBetween(1.0, 3.0);
            assertThat(registry.get("hikaricp.connections.acquire").functionTimer().count()).isPositive();
            assertThat(registry.get("hikaricp.connections.timeout").functionCounter().count()).isZero();
        }
    }
}
