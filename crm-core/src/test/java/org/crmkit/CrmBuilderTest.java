package org.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.crmkit.error.ConfigurationException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/** Building, configuring and closing a {@link Crm}. */
class CrmBuilderTest {

    @Test
    void buildWithoutStorageFails() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> Crm.builder().build());
        assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
        assertThat(e.problems()).singleElement().asString().contains("storage");
    }

    @Test
    void everyConfigurationProblemIsReportedAtOnce() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> Crm.builder()
                .defaultPhoneRegion("XX").defaultCurrency("ABC").clock(null).build());
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("storage"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("clock"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("'XX'").contains("region"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("'ABC'").contains("ISO 4217"));
        assertThat(e.getMessage()).contains("storage").contains("XX").contains("ABC");
    }

    @Test
    void badRegionAndCurrencyAreReportedWithAStorage() {
        InMemoryStorage storage = InMemoryStorage.create();
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> Crm.builder()
                .storage(storage).defaultPhoneRegion("gb").defaultCurrency("usd").build());
        assertThat(e.problems()).hasSize(2);
        ConfigurationException nulls = catchThrowableOfType(ConfigurationException.class, () -> Crm.builder()
                .storage(storage).defaultPhoneRegion(null).defaultCurrency(null).build());
        assertThat(nulls.problems()).hasSize(2);
    }

    @Test
    void aStorageThatIsNotAnSpiStorageIsAProblem() {
        CrmStorage fake = new CrmStorage() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public void install(org.crmkit.plugin.spi.PluginRegistry registry) {}

            @Override
            public void close() {}
        };
        assertThat(catchThrowableOfType(ConfigurationException.class, () -> Crm.builder().storage(fake).build())
                .problems()).singleElement().asString().contains("storage SPI");
    }

    @Test
    void partsComeThroughOnePluginMechanism() {
        org.crmkit.storage.spi.Storage spi = org.crmkit.plugin.spi.Installation.storageOf(InMemoryStorage.create());
        try (Crm crm = Crm.builder().install(registry -> registry.storage(spi)).build()) {
            assertThat(crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Acme")).version())
                    .isEqualTo(1);
        }
        assertThat(catchThrowableOfType(ConfigurationException.class, () -> Crm.builder()
                .storage(InMemoryStorage.create()).install(registry -> registry.storage(spi)).install(null).build())
                .problems()).containsExactlyInAnyOrder("install(...) was given null",
                        "more than one storage registered: memory, memory");
    }

    @Test
    void settingsAreUsed() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).defaultPhoneRegion("DE")
                .defaultCurrency("EUR").build()) {
            Record c = crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "GmbH",
                    "phone", "030 123456", "annual_revenue", 1000));
            assertThat(c.getString("phone")).isEqualTo("+4930123456");
            assertThat(c.getMoney("annual_revenue")).isEqualTo(Money.of("1000.00", "EUR"));
        }
    }

    @Test
    void aClosedCrmRefusesEverything() {
        Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
        CrmSession session = crm.as(Principal.user("u", Role.ADMIN));
        RecordSet contacts = session.records("contact");
        Record r = contacts.create(Map.of("last_name", "L"));
        var schema = crm.schema();
        crm.close();
        crm.close(); // idempotent
        List<Runnable> calls = List.of(
                () -> crm.schema(),
                () -> crm.as(Principal.SYSTEM),
                () -> crm.changeLog().lastSequence(),
                () -> crm.changeLog().read(0, 10),
                () -> session.records("contact"),
                () -> session.inTransaction(s -> 1),
                () -> contacts.create(Map.of("last_name", "M")),
                () -> contacts.get(r.id()),
                () -> contacts.find(r.id()),
                () -> contacts.update(r, Map.of("last_name", "N")),
                () -> contacts.delete(r.id(), r.version()),
                () -> contacts.query(org.crmkit.query.Query.all()),
                () -> contacts.count(org.crmkit.query.Filter.ALL),
                () -> schema.addField("contact", Field.text("nickname")),
                () -> schema.history());
        for (Runnable call : calls) {
            CrmException e = catchThrowableOfType(CrmException.class, call::run);
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.CLOSED);
            assertThat(e.getMessage()).contains("closed");
        }
    }

    @Test
    void theInjectedClockAndIdGeneratorAreUsed() {
        Instant now = Instant.parse("2030-01-02T03:04:05.123456Z");
        List<UUID> issued = new ArrayList<>();
        Supplier<UUID> ids = () -> {
            UUID id = new UUID(0x1234L, issued.size() + 1L);
            issued.add(id);
            return id;
        };
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).clock(Clock.fixed(now, ZoneOffset.UTC))
                .idGenerator(ids).build()) {
            Record r = crm.as(Principal.user("u-1", Role.SALES_REP)).records("contact").create(Map.of("last_name",
                    "L"));
            assertThat(r.createdAt()).isEqualTo(now);
            assertThat(r.updatedAt()).isEqualTo(now);
            assertThat(r.createdBy()).isEqualTo("u-1");
            assertThat(r.owner()).isEqualTo("u-1");
            assertThat(issued).contains(r.id());
            assertThat(crm.changeLog().read(0, 100)).last().satisfies(e -> assertThat(e.at()).isEqualTo(now));
            crm.schema().addField("contact", Field.text("nickname"));
            assertThat(crm.schema().history()).last().satisfies(e -> assertThat(e.at()).isEqualTo(now));
        }
    }

    @Test
    void defaultIdsAreTimeOrderedUuidVersion7() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            RecordSet companies = crm.as(Principal.SYSTEM).records("company");
            List<UUID> ids = new ArrayList<>();
            long start = System.currentTimeMillis();
            for (int i = 0; i < 50; i++) {
                ids.add(companies.create(Map.of("name", "C" + i)).id());
            }
            long end = System.currentTimeMillis();
            for (UUID id : ids) {
                assertThat(id.version()).isEqualTo(7);
                assertThat(id.variant()).isEqualTo(2);
                long millis = id.getMostSignificantBits() >>> 16;
                assertThat(millis).isBetween(start, end);
            }
            for (int i = 1; i < ids.size(); i++) {
                assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
            }
            assertThat(companies.query(org.crmkit.query.Query.all().limit(100)).items())
                    .extracting(Record::id).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void defaultIdsFollowTheInjectedClock() {
        Instant then = Instant.parse("2031-06-01T00:00:00Z");
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).clock(Clock.fixed(then, ZoneOffset.UTC))
                .build()) {
            UUID id = crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "C")).id();
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(then.toEpochMilli());
        }
    }

    @Test
    void aNullPrincipalIsRefused() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            assertThatThrownBy(() -> crm.as(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("principal");
        }
    }
}
