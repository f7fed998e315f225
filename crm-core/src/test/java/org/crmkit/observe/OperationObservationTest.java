package org.crmkit.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.health.Health;
import org.crmkit.health.HealthBounds;
import org.crmkit.health.HealthComponent;
import org.crmkit.health.HealthStatus;
import org.crmkit.health.spi.HealthContributor;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.plugin.spi.EnginePlugin;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Operation listeners, the record cache's counts and the health check of the engine. */
class OperationObservationTest {
    record Seen(String type, String operation, String outcome, long nanos) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Crm crm = Crm.builder().storage(InMemoryStorage.create())
            .observer((type, operation, outcome, nanos) -> seen.add(new Seen(type, operation, outcome, nanos)))
            .build();
    private final CrmSession admin = crm.as(Principal.user("u-admin", Role.ADMIN));

    @AfterEach
    void close() {
        crm.close();
    }

    @Test
    void everyOperationIsReportedWithItsTypeNameAndOutcome() {
        Record ada = admin.records("contact").create(Map.of("first_name", "Ada", "last_name", "Lovelace"));
        admin.records("contact").get(ada.id());
        admin.records("contact").update(ada.id(), ada.version(), Map.of("first_name", "Augusta"));
        admin.search("ada");

        assertThat(seen).extracting(Seen::type, Seen::operation, Seen::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("contact", "create", "success"),
                org.assertj.core.groups.Tuple.tuple("contact", "get", "success"),
                org.assertj.core.groups.Tuple.tuple("contact", "update", "success"),
                org.assertj.core.groups.Tuple.tuple("*", "search", "success"));
        assertThat(seen).allSatisfy(s -> assertThat(s.nanos()).isPositive());
    }

    @Test
    void aFailureIsReportedWithItsStableCode() {
        assertThatThrownBy(() -> admin.records("contact").create(Map.of("email", "not an email")))
                .isInstanceOf(CrmException.class);
        Record ada = admin.records("contact").create(Map.of("last_name", "Lovelace"));
        assertThatThrownBy(() -> admin.records("contact").update(ada.id(), 99, Map.of("first_name", "A")))
                .isInstanceOf(CrmException.class);

        assertThat(seen).extracting(Seen::operation, Seen::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("create", ErrorCode.VALIDATION_FAILED.name()),
                org.assertj.core.groups.Tuple.tuple("create", "success"),
                org.assertj.core.groups.Tuple.tuple("update", ErrorCode.CONFLICT.name()));
    }

    @Test
    void hiddenFieldsAndOutOfScopeRecordsNeverReachTheListener() {
        Record secret = admin.records("contact").create(Map.of("last_name", "Zzsecretname", "email",
                "hidden-value@example.com"));
        Role role = Role.builder("no-email").grant("contact", RecordScope.OWN, Permission.READ, Permission.UPDATE,
                Permission.CREATE).field("contact", "email", FieldAccess.HIDDEN).build();
        CrmSession rep = crm.as(Principal.user("u-7", role));
        seen.clear();

        assertThatThrownBy(() -> rep.records("contact").get(secret.id())).isInstanceOf(CrmException.class);
        assertThatThrownBy(() -> rep.records("contact").create(Map.of("last_name", "Mine", "email",
                "leak@example.com"))).isInstanceOf(CrmException.class);
        assertThatThrownBy(() -> rep.records("contact").update(secret.id(), secret.version(),
                Map.of("email", "x@example.com"))).isInstanceOf(CrmException.class);

        assertThat(seen).hasSize(3).allSatisfy(s -> {
            assertThat(s.type()).isEqualTo("contact");
            assertThat(List.of(s.operation(), s.outcome())).noneMatch(v -> v.contains("email")
                    || v.contains("example.com") || v.contains("Zzsecretname") || v.contains(secret.id().toString()));
            assertThat(s.outcome()).matches("[A-Z_]+");
        });
    }

    @Test
    void aTransactionIsOneOperationAndItsPartsAreTooAndARemovedListenerHearsNothing() throws Exception {
        List<Seen> mine = new CopyOnWriteArrayList<>();
        AutoCloseable handle = crm.admin().observe((t, o, r, n) -> mine.add(new Seen(t, o, r, n)));
        admin.inTransactionDo(s -> s.records("company").create(Map.of("name", "Acme")));
        handle.close();
        admin.records("company").create(Map.of("name", "Globex"));

        assertThat(mine).extracting(Seen::type, Seen::operation).containsExactly(
                org.assertj.core.groups.Tuple.tuple("company", "create"),
                org.assertj.core.groups.Tuple.tuple("*", "transaction"));
        assertThat(seen).hasSize(3);
    }

    @Test
    void aThrowingListenerNeitherFailsTheOperationNorSilencesTheOthers() {
        crm.admin().observe((t, o, r, n) -> {
            throw new IllegalStateException("boom");
        });
        admin.records("company").create(Map.of("name", "Acme"));
        assertThat(seen).hasSize(1);
    }

    @Test
    void theRecordCacheCountsHitsAndMisses() {
        CacheStats before = crm.admin().recordCacheStats();
        Record acme = admin.records("company").create(Map.of("name", "Acme"));
        admin.records("company").update(acme.id(), acme.version(), Map.of("name", "Acme Ltd")); // cached: a hit
        CacheStats afterHit = crm.admin().recordCacheStats();
        assertThat(afterHit.hits()).isEqualTo(before.hits() + 1);
        assertThat(afterHit.size()).isEqualTo(1);
        assertThat(afterHit.maximum()).isEqualTo(10_000);

        assertThatThrownBy(() -> admin.records("company").update(acme.id(), 1, Map.of("name", "Old")))
                .isInstanceOf(CrmException.class); // version 1 is no longer cached: a miss
        assertThat(crm.admin().recordCacheStats().misses()).isEqualTo(afterHit.misses() + 1);
        assertThat(crm.admin().connectionPool()).isEmpty(); // memory has no pool
    }

    @Test
    void healthIsUpThenReportsAClosedCrmAsDownWithoutThrowing() {
        var admin = crm.admin();
        Health up = admin.health();
        assertThat(up.status()).isEqualTo(HealthStatus.UP);
        assertThat(up.components()).containsKeys("storage", "search");
        assertThat(up.components().get("search").details()).containsEntry("lag", 0L);

        crm.close();
        Health down = admin.health();
        assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(down.components().get("storage").details()).containsEntry("error", "CLOSED");
    }

    @Test
    void pluginsContributeComponentsAndAThrowingOneIsDown() {
        HealthContributor fine = contributor("fine", HealthComponent.of(HealthStatus.DEGRADED, Map.of("n", 3L)));
        HealthContributor broken = new HealthContributor() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public HealthComponent check(HealthBounds bounds) {
                throw new IllegalStateException("secret detail");
            }
        };
        try (Crm withPlugin = Crm.builder().storage(InMemoryStorage.create()).install(r -> r.engine(plugin(fine)))
                .build()) {
            assertThat(withPlugin.admin().health().status()).isEqualTo(HealthStatus.DEGRADED);
        }
        try (Crm withPlugin = Crm.builder().storage(InMemoryStorage.create()).install(r -> r.engine(plugin(broken)))
                .build()) {
            Health h = withPlugin.admin().health();
            assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(h.components().get("broken").details()).containsEntry("error",
                    IllegalStateException.class.getName());
            assertThat(h.toString()).doesNotContain("secret detail");
        }
    }

    @Test
    void negativeBoundsAreRefused() {
        assertThatThrownBy(() -> HealthBounds.defaults().withMaxIndexLag(-1)).isInstanceOf(CrmException.class)
                .hasMessageContaining("maxIndexLag");
    }

    private static HealthContributor contributor(String name, HealthComponent component) {
        return new HealthContributor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthComponent check(HealthBounds bounds) {
                return component;
            }
        };
    }

    private static EnginePlugin plugin(HealthContributor contributor) {
        return new EnginePlugin() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public void start(EngineContext context) {
                context.addHealthContributor(contributor);
            }

            @Override
            public void close() {}
        };
    }
}
