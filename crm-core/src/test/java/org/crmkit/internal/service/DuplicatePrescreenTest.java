package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.FieldMatch;
import org.crmkit.duplicate.MatchMethod;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/**
 * The prescreen a duplicate check offers the search engine is the check's own scoring, and is offered only when that
 * scoring reads nothing but single texts the index holds.
 */
class DuplicatePrescreenTest {
    @Test
    void theBuiltInContactRulesArePrescreenedWithTheScoreTheCheckUses() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            ObjectType contact = crm.schema().objectType("contact");
            DuplicateRules rules = crm.schema().duplicateRules("contact").orElseThrow();
            Map<String, Object> probe = Map.of("first_name", "Ada", "last_name", "Lovelace", "email",
                    "ada@example.com");
            CandidateRequest.Prescreen p = DuplicateFinder.prescreen(contact, rules, probe);
            assertThat(p).isNotNull();
            assertThat(p.fields()).containsExactlyInAnyOrderElementsOf(
                    rules.fields().stream().map(FieldMatch::field).toList());
            assertThat(p.test().test(Map.of("first_name", "Adah", "last_name", "Lovelace"))).isTrue();
            assertThat(p.test().test(Map.of("email", "ada@example.com"))).isTrue();
            assertThat(p.test().test(Map.of("first_name", "Grace", "last_name", "Hopper"))).isFalse();
            assertThat(p.test().test(Map.of("first_name", "Ada", "last_name", "Byron"))).isFalse();
        }
    }

    @Test
    void noPrescreenWhenARuleFieldIsNotASearchableSingleText() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            crm.schema().addField("contact", Field.text("badge"));
            crm.schema().addField("contact", Field.text("nickname").searchable(true));
            ObjectType contact = crm.schema().objectType("contact");
            Map<String, Object> probe = Map.of("badge", "A-1", "nickname", "Ada");
            DuplicateRules unsearched = new DuplicateRules(List.of(FieldMatch.of("badge", MatchMethod.EXACT),
                    FieldMatch.of("nickname", MatchMethod.EXACT)), 0.8, 1, rulesMode(crm));
            assertThat(DuplicateFinder.prescreen(contact, unsearched, probe)).isNull();
            DuplicateRules searched = new DuplicateRules(List.of(FieldMatch.of("nickname", MatchMethod.EXACT)), 0.8,
                    1, rulesMode(crm));
            assertThat(DuplicateFinder.prescreen(contact, searched, probe)).isNotNull();
            DuplicateRules owner = new DuplicateRules(List.of(FieldMatch.of("nickname", MatchMethod.EXACT),
                    FieldMatch.of("company", MatchMethod.EXACT)), 0.8, 1, rulesMode(crm));
            assertThat(DuplicateFinder.prescreen(contact, owner, probe)).isNull(); // a searchable reference
        }
    }

    private static org.crmkit.duplicate.DuplicateMode rulesMode(Crm crm) {
        return crm.schema().duplicateRules("contact").orElseThrow().mode();
    }
}
