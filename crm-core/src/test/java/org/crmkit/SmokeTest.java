package org.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.util.Map;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void endToEnd() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).defaultPhoneRegion("GB").build()) {
            crm.schema().addField("contact", Field.text("nickname"));
            crm.schema().addField("deal", Field.formula("weighted", FieldType.DECIMAL,
                    "amount == null || probability == null ? 0.0 : amount * probability / 100.0"));
            crm.schema().addRule("deal", ValidationRule.of("won_needs_date",
                    "stage != 'closed_won' || close_date != null", "closed deals need a close date").on("close_date"));
            CrmSession s = crm.as(Principal.user("u-42", Role.SALES_REP));
            Record acme = s.records("company").create(Map.of("name", "Acme", "industry", "software"));
            Record ada = s.records("contact").create(Map.of("first_name", "Ada", "last_name", "Lovelace",
                    "email", "Ada@Example.COM", "phone", "020 7946 0958", "company", acme.id(), "nickname", "A"));
            assertThat(ada.getString("phone")).isEqualTo("+442079460958");
            assertThat(ada.getString("email")).isEqualTo("Ada@example.com");
            Record deal = s.records("deal").create(Map.of("name", "Big", "amount", 50_000, "company", acme.id()));
            assertThat(deal.getString("stage")).isEqualTo("prospecting");
            assertThat(deal.getDecimal("weighted")).isEqualByComparingTo("5000");
            Record moved = s.records("deal").update(deal, Map.of("stage", "negotiation"));
            assertThat(moved.version()).isEqualTo(2);
            assertThatThrownBy(() -> s.records("deal").update(moved, Map.of("stage", "closed_won")))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("close_date");
            assertThat(s.records("deal").query(where("amount").gt(10_000).and("company.industry").eq("software"))
                    .items()).hasSize(1);
            assertThat(s.records("deal").aggregate(Aggregation.groupBy("stage").sum("amount").avg("amount"),
                    where("amount").gt(0))).hasSize(1);
            assertThat(s.records("deal").timeline(deal.id())).hasSize(2);
            for (int i = 0; i < 5; i++) {
                s.records("company").create(Map.of("name", "C" + i));
            }
            var page = s.records("company").query(Query.all().orderBy(Sort.asc("name")).limit(4));
            assertThat(page.hasNext()).isTrue();
            var page2 = s.records("company").query(page.nextQuery().orElseThrow());
            assertThat(page2.items()).hasSize(2);
            assertThat(crm.changeLog().lastSequence()).isGreaterThan(5);
        }
    }
}
