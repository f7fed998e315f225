package com.example.crm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * A user's program on CRMKit: an H2 file in {@code <dir>/crm} (the first argument, default {@code data}), or the
 * PostgreSQL database at the JDBC URL in the environment variable {@code CONSUMER_JDBC_URL}; a Lucene index in
 * {@code <dir>/index}. Writes a company and a contact, finds the contact with a typo, and prints {@code consumer ok}.
 */
public final class ConsumerApp {
    private ConsumerApp() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "data");
        String url = System.getenv("CONSUMER_JDBC_URL");
        JdbcStorage storage = url == null || url.isBlank() ? JdbcStorage.h2File(dir.resolve("crm"))
                : JdbcStorage.builder().url(url).tablePrefix("consumer_").build();
        Path index = dir.resolve(url == null || url.isBlank() ? "index" : "index-postgres");
        try (Crm crm = Crm.builder().storage(storage).search(LuceneSearch.at(index)).build()) {
            CrmSession rep = crm.as(Principal.user("u-1", Role.SALES_REP));
            Record acme = rep.records("company").create(Map.of("name", "Acme Ltd"));
            Record ada = rep.records("contact").create(Map.of("first_name", "Ada", "last_name", "Lovelace",
                    "company", acme.id()));
            if (!crm.admin().searchIndex().awaitUpToDate(Duration.ofMinutes(1))) {
                throw new IllegalStateException("the search index did not catch up");
            }
            SearchResult hits = rep.search(SearchQuery.of("ada lovlace").types("contact"));
            boolean found = hits.hits().stream().anyMatch(h -> h.id().equals(ada.id()));
            if (!found) {
                throw new IllegalStateException("'ada lovlace' did not find " + ada.id() + ": " + hits);
            }
            long contacts = crm.as(Principal.SYSTEM).records("contact").count(org.crmkit.query.Filters.all());
            System.out.printf("consumer ok: %s, %d contact(s), 'ada lovlace' found %s %s%n",
                    url == null || url.isBlank() ? "H2 file" : "PostgreSQL", contacts,
                    ada.getString("first_name"), ada.getString("last_name"));
        }
    }
}
