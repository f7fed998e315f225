package org.crmkit.examples.sales;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.duplicate.CheckedWrite;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.duplicate.DuplicateMode;
import org.crmkit.duplicate.DuplicateScan;
import org.crmkit.duplicate.ScanJob;
import org.crmkit.error.RecordMergedException;
import org.crmkit.event.TimelinePage;
import org.crmkit.event.TimelineQuery;
import org.crmkit.lead.Conversion;
import org.crmkit.lead.ConversionResult;
import org.crmkit.merge.FieldChoices;
import org.crmkit.merge.MergeResult;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.LeadMapping;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;

/**
 * The README's "Sales process" section as a program: each of its code blocks is here verbatim (ExamplesTest checks
 * that), between the lines that give it data. A lead is converted with a custom field mapped, contacts are checked
 * for duplicates and scanned, two duplicates are merged, and the company's roll-up timeline is read. Runs in memory:
 *
 * <pre>mvn -q -Pquickstart -DskipTests verify -Dquickstart.mainClass=org.crmkit.examples.sales.SalesExample</pre>
 */
public final class SalesExample {
    private SalesExample() {}

    public static void main(String[] args) {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            crm.schema().addField("lead", Field.text("territory"));
            crm.schema().addField("contact", Field.text("region"));
            CrmSession rep = crm.as(Principal.user("u-ada", Role.SALES_REP));
            Record acme = rep.records("company").create(Map.of("name", "Acme Corporation"));
            UUID leadId = rep.records("lead").create(Map.of("first_name", "Wile", "last_name", "Coyote", "email",
                    "wile@acme.example", "company_name", "ACME Corp.", "territory", "Southwest")).id();

            convert(crm, rep, leadId);
            Record ada = rep.records("contact").create(Map.of("first_name", "William", "last_name", "Gates",
                    "phone", "+1 650 253 0000", "company", acme.id()));
            Map<String, Object> values = Map.of("first_name", "Bill", "last_name", "Gates", "email",
                    "bill@acme.example", "company", acme.id());
            UUID dupId = checkDuplicates(crm, rep, values);
            try {
                merge(rep, ada, dupId, acme);
            } catch (RecordMergedException e) {
                Record survivor = rep.records("contact").get(e.survivorId());
                System.out.printf("merged into %s %s <%s>%n", survivor.getString("first_name"),
                        survivor.getString("last_name"), survivor.getString("email"));
            }
            TimelinePage page = rep.records("company").timeline(acme.id(), TimelineQuery.of().withRelated());
            System.out.printf("company timeline: %d entries from %d records%n", page.entries().size(),
                    page.entries().stream().map(e -> e.recordId()).distinct().count());
        }
    }

    private static void convert(Crm crm, CrmSession rep, UUID leadId) {
        // @formatter:off (the README's block, verbatim)
        crm.schema().setLeadMapping(LeadMapping.defaults().toBuilder()
                .map("contact", "region", "territory").build());            // contact.region from the lead's territory
        ConversionResult r = rep.leads().convert(leadId, Conversion.builder()
                .matchExistingCompany()                                      // or linkCompany(id), noCompany()
                .createDeal("sales", "qualification", "Skates for Acme").build());
        // @formatter:on
        Record contact = rep.records("contact").get(r.contactId());
        System.out.printf("converted: contact %s in %s, company %s, deal %s%n", contact.getString("last_name"),
                contact.getString("region"), r.companyCreated() ? "created" : "matched",
                rep.records("deal").get(r.deal().orElseThrow()).getString("name"));
    }

    private static UUID checkDuplicates(Crm crm, CrmSession rep, Map<String, Object> values) {
        // @formatter:off (the README's block, verbatim)
        crm.schema().setDuplicateRules("contact", crm.schema().duplicateRules("contact").orElseThrow()
                .mode(DuplicateMode.WARN));                // or BLOCK; built-in rules for contact, lead, company
        List<DuplicateCandidate> maybe = rep.records("contact").findDuplicates(Map.of("first_name", "Bill",
                "last_name", "Gatez", "phone", "(650) 253-0000"));  // scored, with the fields that matched
        CheckedWrite w = rep.records("contact").createChecked(values); // WARN: written, w.duplicates() listed
        DuplicateScan scan = crm.admin().duplicates().scan("contact", progress -> {});   // clusters in existing data
        ScanJob job = crm.admin().duplicates().startScan("contact", progress -> {}); // background: progress(), cancel()
        // @formatter:on
        System.out.printf("findDuplicates: %d candidate(s), best %.2f on %s%n", maybe.size(), maybe.get(0).score(),
                maybe.get(0).matchedFields());
        System.out.printf("createChecked: written, %d possible duplicate(s)%n", w.duplicates().size());
        System.out.printf("scan: %d contact(s), %d cluster(s)%n", scan.scanned(), scan.clusters().size());
        DuplicateScan again = job.result().toCompletableFuture().join();
        System.out.printf("background scan: %d contact(s), %d cluster(s), done %s%n", again.scanned(),
                again.clusters().size(), job.progress().done());
        return w.record().id();
    }

    private static void merge(CrmSession rep, Record ada, UUID dupId, Record acme) {
        // @formatter:off (the README's block, verbatim)
        MergeResult merged = rep.records("contact").merge(ada.id(), List.of(dupId),       // one transaction
                FieldChoices.defaults().take("email", dupId));    // else the survivor's value, or the first non-empty
        TimelinePage page = rep.records("company").timeline(acme.id(), TimelineQuery.of().withRelated().newestFirst());
        rep.records("contact").get(dupId);                        // throws RecordMergedException: survivorId() == ada.id()
        // @formatter:on
        System.out.println("not reached: " + merged + page);
    }
}
