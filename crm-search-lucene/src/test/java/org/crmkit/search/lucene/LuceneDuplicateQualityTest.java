package org.crmkit.search.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.security.Principal;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.testkit.DuplicateSamples;
import org.junit.jupiter.api.Test;

/**
 * The built-in contact rules on the labelled Datafaker set ({@link DuplicateSamples#standard()}) with candidates
 * from the Lucene index's candidate query: the same goals as through the storage (precision at least 0.95, recall
 * at least 0.90), so that a narrower candidate query cannot lose duplicates unnoticed. The figures are printed.
 */
class LuceneDuplicateQualityTest {
    @Test
    void theCandidateQueryKeepsThePrecisionAndRecallGoals() {
        DuplicateSamples.Labelled set = DuplicateSamples.standard().generate();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).search(LuceneSearch.inMemory()).build()) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            List<UUID> ids = new ArrayList<>();
            set.originals().forEach(r -> ids.add(contacts.create(r.values()).id()));
            assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofMinutes(2))).isTrue();
            DuplicateSamples.Quality q = DuplicateSamples.measure(set, ids,
                    v -> contacts.findDuplicates(v).stream().map(c -> c.record().id()).toList());
            System.out.printf("RECALL duplicates (Lucene) precision=%.3f recall=%.3f (%s)%n", q.precision(),
                    q.recall(), q);
            assertThat(q.precision()).isGreaterThanOrEqualTo(0.95);
            assertThat(q.recall()).isGreaterThanOrEqualTo(0.90);
        }
    }
}
