package com.example.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.testkit.CrmExtension;
import org.crmkit.testkit.SettableClock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's test with crm-testkit's CrmExtension: a fresh in-memory Crm per test, on a settable clock. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DealTest {
    @RegisterExtension
    static CrmExtension crm = CrmExtension.inMemory();

    @Test
    @Order(1)
    void aDealGetsTheClocksTime(Crm crm, SettableClock clock) {
        clock.advance(Duration.ofDays(1));
        Record deal = crm.as(Principal.SYSTEM).records("deal").create(Map.of("name", "Skates"));
        assertThat(deal.createdAt()).isEqualTo(clock.instant());
        assertThat(deal.getString("stage")).isNotBlank();
    }

    @Test
    @Order(2)
    void eachTestHasItsOwnCrm(Crm crm) {
        assertThat(crm.as(Principal.SYSTEM).records("deal").count(Filters.all())).isZero();
    }
}
