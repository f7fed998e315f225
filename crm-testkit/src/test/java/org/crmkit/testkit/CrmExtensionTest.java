package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrmExtensionTest {
    @RegisterExtension
    static CrmExtension extension = CrmExtension.inMemory().startingAt(Instant.parse("2030-05-01T12:00:00Z"));

    private static Crm fromFirstTest;
    private final Crm fromConstructor;

    CrmExtensionTest(Crm crm) {
        this.fromConstructor = crm;
    }

    @Test
    @Order(1)
    void givesAnEmptyCrmSharedWithTheConstructor(Crm crm, Crm again) {
        assertThat(crm).isSameAs(again).isSameAs(fromConstructor);
        assertThat(crm.as(Principal.SYSTEM).records("company").count(Filters.all())).isZero();
        crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Left behind"));
        fromFirstTest = crm;
    }

    @Test
    @Order(2)
    void eachTestGetsAFreshCrmAndThePreviousOneIsClosed(Crm crm) {
        assertThat(crm).isNotSameAs(fromFirstTest);
        assertThat(crm.as(Principal.SYSTEM).records("company").count(Filters.all())).isZero();
        assertThatThrownBy(() -> fromFirstTest.schema()).isInstanceOfSatisfying(CrmException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOSED));
    }

    @Test
    @Order(3)
    void theClockIsSettableAndDrivesTimestamps(Crm crm, SettableClock clock) {
        assertThat(clock.instant()).isEqualTo(Instant.parse("2030-05-01T12:00:00Z"));
        Record r = crm.as(Principal.SYSTEM).records("company").create(Map.of("name", "Acme"));
        assertThat(r.createdAt()).isEqualTo(clock.instant());
        clock.advance(Duration.ofHours(2));
        Record u = crm.as(Principal.SYSTEM).records("company").update(r, Map.of("name", "Acme Corp"));
        assertThat(u.updatedAt()).isEqualTo(Instant.parse("2030-05-01T14:00:00Z"));
        assertThat(u.createdAt()).isEqualTo(r.createdAt());
    }
}
