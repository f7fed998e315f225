package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/**
 * The built-in contact rules on the labelled Datafaker set ({@link DuplicateSamples#standard()}, seed 42) through the
 * storage path: precision at least 0.95 and recall at least 0.90 (the goals of issue 13). The figures are printed.
 */
class DuplicateQualityTest {
    @Test
    void theBuiltInContactRulesReachThePrecisionAndRecallGoals() {
        DuplicateSamples.Labelled set = DuplicateSamples.standard().generate();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            List<UUID> ids = new ArrayList<>();
            set.originals().forEach(r -> ids.add(contacts.create(r.values()).id()));
            DuplicateSamples.Quality q = DuplicateSamples.measure(set, ids,
                    v -> contacts.findDuplicates(v).stream().map(c -> c.record().id()).toList());
            System.out.printf("RECALL duplicates precision=%.3f recall=%.3f (%s)%n", q.precision(), q.recall(), q);
            assertThat(set.variants()).hasSizeGreaterThan(300);
            assertThat(q.precision()).isGreaterThanOrEqualTo(0.95);
            assertThat(q.recall()).isGreaterThanOrEqualTo(0.90);
        }
    }
}
