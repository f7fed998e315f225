package org.crmkit.search.lucene.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.security.Principal;
import org.crmkit.query.Filter;
import org.crmkit.RecordSet;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/**
 * A candidate request's {@link CandidateRequest.Prescreen} is run on the values the index stores, by field name and
 * as written, and only the candidates it lets through are named.
 */
class PrescreenTest {
    @Test
    void onlyTheCandidatesThePrescreenLetsThroughAreNamedAndItSeesTheStoredValues() {
        LuceneBackend backend = new LuceneBackend(new LuceneSettings(null, Duration.ofMillis(50),
                Duration.ofSeconds(1), 1000, 16));
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).install(r -> r.search(backend)).build()) {
            RecordSet contacts = crm.as(Principal.SYSTEM).records("contact");
            UUID ada = contacts.create(Map.of("first_name", "Ada", "last_name", "Lovelace", "email",
                    "ada@example.com")).id();
            UUID adah = contacts.create(Map.of("first_name", "Adah", "last_name", "Lovelace")).id();
            assertThat(crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30))).isTrue();
            ObjectType contact = crm.schema().objectType("contact");
            CandidateRequest request = new CandidateRequest(contact, Filter.ALL, List.of(
                    new CandidateRequest.Probe(3, List.of(new CandidateRequest.Key("last_name", "Lovelace", true)))),
                    0, 20);
            assertThat(backend.candidates(request).orElseThrow()).containsExactlyInAnyOrder(ada, adah);

            List<Map<String, String>> seen = new ArrayList<>();
            List<UUID> named = backend.candidates(request.withPrescreen(new CandidateRequest.Prescreen(
                    Set.of("first_name", "email"), values -> {
                        seen.add(values);
                        return values.containsKey("email");
                    }))).orElseThrow();
            assertThat(named).containsExactly(ada);
            assertThat(seen).containsExactlyInAnyOrder(Map.of("first_name", "Ada", "email", "ada@example.com"),
                    Map.of("first_name", "Adah"));
        }
    }
}
