package org.crmkit.examples.quickstart;

import static org.crmkit.query.Filters.where;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.FieldError;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.lead.Conversion;
import org.crmkit.lead.ConversionResult;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ValidationRule;
import org.crmkit.security.Principal;
import org.crmkit.search.Hit;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Role;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * The README's quickstart: a custom field, companies, contacts and a deal moved through the pipeline, a
 * validation error caught, a typo-tolerant search, the deal's timeline printed, and a lead converted. Runs on the
 * embedded default, an H2 database in the file {@code data/crm.mv.db} with a Lucene index in {@code data/index} (or
 * the paths given as the first two arguments): run it twice and the second run finds the first run's records and
 * schema.
 */
public final class Quickstart {
    private Quickstart() {}

    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "data/crm");
        Path index = Path.of(args.length > 1 ? args[1] : "data/index");
        try (Crm crm = Crm.builder().storage(JdbcStorage.h2File(file)).search(LuceneSearch.at(index))
                .defaultPhoneRegion("GB").build()) {
            long earlier = crm.as(Principal.SYSTEM).records("deal").count(where("name").eq("Rocket skates"));
            System.out.printf("database %s: schema version %d, %d deal(s) from earlier runs%n",
                    file.toAbsolutePath(), crm.schema().version(), earlier);
            if (crm.schema().objectType("contact").findField("preferred_contact_time").isEmpty()) {
                // An admin adds a field at run time and a record rule written in CEL (kept in the database).
                crm.schema().addField("contact", Field.picklist("preferred_contact_time", "morning", "afternoon")
                        .label("Preferred contact time"));
                crm.schema().addRule("deal", ValidationRule.of("won_needs_close_date",
                        "stage != 'closed_won' || close_date != null", "a won deal needs a close date")
                        .on("close_date"));
            }

            CrmSession ada = crm.as(Principal.user("u-ada", Role.SALES_REP));
            RecordSet companies = ada.records("company");
            RecordSet contacts = ada.records("contact");
            RecordSet deals = ada.records("deal");

            Record acme = companies.create(Map.of("name", "Acme Ltd", "industry", "manufacturing",
                    "website", "acme.example"));
            Record globex = companies.create(Map.of("name", "Globex", "industry", "software"));
            Record wile = contacts.create(Map.of("first_name", "Wile", "last_name", "Coyote",
                    "email", "wile@ACME.example", "phone", "020 7946 0958", "company", acme.id(),
                    "preferred_contact_time", "morning"));
            contacts.create(Map.of("first_name", "Hank", "last_name", "Scorpio", "company", globex.id()));
            System.out.printf("contact %s %s, phone %s, email %s%n", wile.getString("first_name"),
                    wile.getString("last_name"), wile.getString("phone"), wile.getString("email"));

            Record deal = deals.create(Map.of("name", "Rocket skates", "amount", Money.of("12500.00", "GBP"),
                    "company", acme.id(), "contact", wile.id()));
            System.out.printf("deal '%s' in stage %s (probability %s%%)%n", deal.getString("name"),
                    deal.getString("stage"), deal.getDecimal("probability"));
            deal = deals.update(deal, Map.of("stage", "proposal"));
            deal = deals.update(deal, Map.of("stage", "negotiation", "amount", Money.of("14000.00", "GBP")));

            try {
                deals.update(deal, Map.of("stage", "closed_won", "probability", 150));
            } catch (ValidationException e) {
                System.out.println("refused, nothing written:");
                for (FieldError error : e.errors()) {
                    System.out.printf("  %s: %s (%s)%n", error.field(), error.code(), error.message());
                }
            }
            deal = deals.update(deal, Map.of("stage", "closed_won", "close_date", LocalDate.of(2026, 11, 25)));
            System.out.printf("deal now %s, version %d%n", deal.getString("stage"), deal.version());

            // Typo-tolerant search over what the rep may see: misspelled name, company name, last phone digits
            crm.admin().searchIndex().awaitUpToDate(java.time.Duration.ofSeconds(10));
            for (String typed : new String[] {"wile coyotte acme", "0958"}) {
                var result = ada.search(SearchQuery.of(typed).limit(3));
                System.out.printf("search '%s': %d hit(s)%n", typed, result.total());
                for (Hit hit : result.hits()) {
                    System.out.printf("  %s %s (%s) %s%n", hit.objectType(), hit.title(), hit.match(),
                            hit.highlights().stream().map(h -> h.field() + ": " + h.marked("[", "]")).toList());
                }
            }

            long bigDeals = deals.count(where("amount").gt(10_000).and("company.industry").eq("manufacturing"));
            System.out.println("deals over 10,000 with manufacturing companies: " + bigDeals);
            for (AggregateRow row : deals.aggregate(Aggregation.groupBy("stage").sum("amount"),
                    where("amount").gt(0))) {
                System.out.printf("stage %s: %d deal(s), total %s%n", row.group().get(0), row.count(),
                        row.sum("amount"));
            }

            System.out.println("timeline of the deal:");
            for (ChangeLogEntry entry : deals.timeline(deal.id())) {
                System.out.printf("  #%d %s by %s, v%d:%s%n", entry.sequence(), entry.operation(),
                        entry.principalId(), entry.version(), entry.changes().stream()
                                .map(c -> " " + c.field() + " " + c.oldValue() + " -> " + c.newValue())
                                .reduce("", String::concat));
            }

            // A lead becomes a contact at the existing company (matched by name) and a deal, in one transaction
            Record lead = ada.records("lead").create(Map.of("first_name", "Road", "last_name", "Runner",
                    "email", "beep@runner.example", "company_name", "ACME LTD", "status", "qualified"));
            ConversionResult converted = ada.leads().convert(lead.id(), Conversion.builder().matchExistingCompany()
                    .createDeal("sales", "qualification", "Bird seed").build());
            System.out.printf("lead converted: contact %s, company %s (%s), deal %s%n",
                    contacts.get(converted.contactId()).getString("last_name"),
                    companies.get(converted.company().orElseThrow()).getString("name"),
                    converted.companyCreated() ? "new" : "existing",
                    deals.get(converted.deal().orElseThrow()).getString("name"));
        }
    }
}
