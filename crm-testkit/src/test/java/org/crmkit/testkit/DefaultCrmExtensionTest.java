package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.crmkit.Crm;
import org.crmkit.query.Filters;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CrmExtension.class)
class DefaultCrmExtensionTest {
    private static final Set<Crm> SEEN = new HashSet<>();

    @Test
    void defaultsAreAnEmptyCrmAndAClockAtTheDefaultStart(Crm crm, SettableClock clock) {
        assertThat(clock.instant()).isEqualTo(CrmExtension.DEFAULT_START);
        assertThat(crm.as(Principal.SYSTEM).records("deal").count(Filters.all())).isZero();
    }

    @RepeatedTest(3)
    void everyRepetitionGetsItsOwnCrm(Crm crm) {
        assertThat(SEEN.add(crm)).isTrue();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PerClassLifecycle {
        private final Crm shared;

        PerClassLifecycle(Crm crm) {
            this.shared = crm;
        }

        @Test
        void constructorCrmIsSharedByTheClassesTests(Crm crm) {
            assertThat(crm).isSameAs(shared);
            crm.as(Principal.SYSTEM).records("company").create(java.util.Map.of("name", "Kept"));
        }

        @Test
        void stillOpen(Crm crm) {
            assertThat(crm).isSameAs(shared);
            assertThat(crm.as(Principal.SYSTEM).records("company").count(Filters.all())).isBetween(0L, 1L);
        }
    }
}
