package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.crmkit.Crm;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SeededCrmExtensionTest {
    @RegisterExtension
    static CrmExtension extension = CrmExtension.inMemory().seeded(SampleData.small().ownedBy("ann", "bob"))
            .configure(b -> b.defaultCurrency("EUR"));

    @Test
    void testsReceiveTheSeededCrmAndWhatWasLoaded(Crm crm, SampleData.Loaded data) {
        assertThat(data.companies()).hasSize(5);
        assertThat(data.contacts()).hasSize(15);
        assertThat(data.deals()).hasSize(10);
        assertThat(data.all()).hasSize(30);
        var system = crm.as(Principal.SYSTEM);
        assertThat(system.records("company").count(Filters.all())).isEqualTo(5);
        assertThat(system.records("contact").count(Filters.all())).isEqualTo(15);
        assertThat(system.records("deal").count(Filters.all())).isEqualTo(10);
        assertThat(data.contacts()).allSatisfy(c -> assertThat(c.getReference("company")).isNotNull());
        assertThat(data.deals()).allSatisfy(d -> {
            assertThat(d.getReference("company")).isNotNull();
            assertThat(d.getMoney("amount")).isNotNull();
        });
        assertThat(data.all()).extracting(Record::owner).containsOnly("ann", "bob");
        long anns = crm.as(Principal.user("ann", Role.SALES_REP)).records("contact").count(Filters.all());
        assertThat(anns).isBetween(1L, 14L);
        assertThat(system.records("deal").aggregate(Aggregation.groupBy("stage"), Filters.all()).size())
                .isGreaterThan(1);
    }

    @Test
    void theSameSeedGivesTheSameData(SampleData.Loaded data) {
        try (Crm other = Crm.builder().storage(org.crmkit.storage.memory.InMemoryStorage.create()).build()) {
            SampleData.Loaded again = SampleData.small().ownedBy("ann", "bob").loadInto(other);
            assertThat(values(again.companies())).isEqualTo(values(data.companies()));
            assertThat(values(again.deals()).size()).isEqualTo(10);
            assertThat(again.contacts()).extracting(c -> c.getString("email"))
                    .isEqualTo(data.contacts().stream().map(c -> c.getString("email")).toList());
            SampleData.Loaded different = SampleData.small().withSeed(7).loadInto(other);
            assertThat(values(different.companies())).isNotEqualTo(values(data.companies()));
        }
    }

    private static List<Object> values(List<Record> records) {
        return records.stream().map(r -> (Object) r.values().entrySet().stream()
                .filter(e -> !(e.getValue() instanceof java.util.UUID))
                .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)))
                .toList();
    }
}
