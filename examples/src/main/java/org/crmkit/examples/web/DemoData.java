package org.crmkit.examples.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.record.Money;
import org.crmkit.record.Record;

/** The records the web example starts with: three companies, their contacts (with notes) and deals in every stage. */
final class DemoData {
    private DemoData() {}

    /** Loads the records as the demo admin unless the CRM already holds contacts (a second run on the same file). */
    static boolean loadInto(Crm crm) {
        CrmSession admin = crm.as(DemoUsers.ADMIN.principal());
        RecordSet contacts = admin.records("contact");
        if (contacts.count(org.crmkit.query.Filters.all()) > 0) {
            return false;
        }
        RecordSet companies = admin.records("company");
        RecordSet deals = admin.records("deal");
        Record engines = companies.create(Map.of("name", "Analytical Engines Ltd", "industry", "hardware"));
        Record acme = companies.create(Map.of("name", "Acme Corporation", "industry", "manufacturing"));
        Record globex = companies.create(Map.of("name", "Globex", "industry", "software"));
        Record ada = contact(contacts, "Ada", "Lovelace", "ada@engines.example", "Countess", engines,
                "Confidential: asks for a 30% discount before signing");
        contact(contacts, "Charles", "Babbage", "charles@engines.example", "Inventor", engines,
                "Confidential: funding depends on the Treasury");
        Record wile = contact(contacts, "Wile", "Coyote", "wile@acme.example", "Head of procurement", acme,
                "Confidential: budget frozen until March");
        Record grace = contact(contacts, "Grace", "Hopper", "grace@globex.example", "CTO", globex,
                "Confidential: evaluating a competitor");
        contact(contacts, "Hank", "Scorpio", "hank@globex.example", "CEO", globex,
                "Confidential: decides alone, wants a call not an email");
        deal(deals, "Difference engine", "prospecting", "25000.00", engines, ada);
        deal(deals, "Analytical engine", "qualification", "90000.00", engines, ada);
        deal(deals, "Rocket skates", "proposal", "12500.00", acme, wile);
        deal(deals, "Giant magnet", "negotiation", "4200.00", acme, wile);
        deal(deals, "Compiler licences", "closed_won", "30000.00", globex, grace);
        return true;
    }

    private static Record contact(RecordSet contacts, String first, String last, String email, String title,
            Record company, String notes) {
        return contacts.create(Map.of("first_name", first, "last_name", last, "email", email, "title", title,
                "company", company.id(), DemoUsers.HIDDEN_FIELD, notes));
    }

    private static void deal(RecordSet deals, String name, String stage, String amount, Record company,
            Record contact) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("stage", stage);
        values.put("amount", Money.of(amount, "USD"));
        values.put("company", company.id());
        values.put("contact", contact.id());
        if (stage.equals("closed_won")) {
            values.put("close_date", java.time.LocalDate.of(2026, 11, 30));
        }
        deals.create(values);
    }
}
