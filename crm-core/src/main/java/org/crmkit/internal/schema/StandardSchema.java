package org.crmkit.internal.schema;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.Stage;

/**
 * The object types, fields and pipeline every new CRM starts with (applied as one schema change per type and
 * pipeline), and the changes made to them since the first release ({@link #upgrades()}), which the engine applies to
 * a stored schema that lacks them.
 */
public final class StandardSchema {
    private StandardSchema() {}

    /** The standard schema at version 1, as a new CRM gets it now (with every {@link #upgrades()} in place). */
    public static SchemaSnapshot create() {
        Map<String, ObjectType> types = new LinkedHashMap<>();
        for (ObjectType t : List.of(company(), contact(), lead(), deal(), activity(), task())) {
            types.put(t.name(), t);
        }
        Pipeline sales = new Pipeline(Pipeline.DEFAULT, "Sales", List.of(
                Stage.open("prospecting", "Prospecting", 10),
                Stage.open("qualification", "Qualification", 20),
                Stage.open("proposal", "Proposal", 50),
                Stage.open("negotiation", "Negotiation", 75),
                Stage.won("closed_won", "Closed won"),
                Stage.lost("closed_lost", "Closed lost")));
        return new SchemaSnapshot(1, types, Map.of(sales.name(), sales));
    }

    /**
     * The standard fields added since the first release, in order: the links of a converted lead to what it became
     * ({@code lead.converted_contact}, {@code converted_company}, {@code converted_deal}) and a task's lead
     * ({@code task.lead}). A stored schema gets each one it lacks when a {@code Crm} opens it; a field of that name a
     * user added before is left as it is.
     */
    public static List<SchemaChange.AddField> upgrades() {
        return List.of(
                new SchemaChange.AddField("lead", convertedContact()),
                new SchemaChange.AddField("lead", convertedCompany()),
                new SchemaChange.AddField("lead", convertedDeal()),
                new SchemaChange.AddField("task", taskLead()));
    }

    /** The standard schema as the first release created it, before {@link #upgrades()}: what old storages hold. */
    public static SchemaSnapshot firstRelease() {
        SchemaSnapshot now = create();
        Map<String, ObjectType> types = new LinkedHashMap<>();
        for (ObjectType t : now.types()) {
            List<Field> kept = t.fields().stream().filter(f -> upgrades().stream()
                    .noneMatch(u -> u.objectType().equals(t.name()) && u.field().name().equals(f.name()))).toList();
            types.put(t.name(), t.withFields(kept));
        }
        return new SchemaSnapshot(now.version(), types, now.pipelines());
    }

    private static Field convertedContact() {
        return Field.reference("converted_contact", "contact").label("Converted contact").system(true);
    }

    private static Field convertedCompany() {
        return Field.reference("converted_company", "company").label("Converted company").system(true);
    }

    private static Field convertedDeal() {
        return Field.reference("converted_deal", "deal").label("Converted deal").system(true);
    }

    private static Field taskLead() {
        return Field.reference("lead", "lead").system(true);
    }

    /** The write rules of the standard types: a deal's stage belongs to its pipeline and sets its probability. */
    public static RecordHooks recordHooks() {
        return new RecordHooks(Map.of("deal", new DealStages()));
    }

    private static ObjectType type(String name, String label, Field... fields) {
        return new ObjectType(name, label, false, java.util.Arrays.stream(fields).map(f -> f.system(true)).toList(),
                List.of());
    }

    private static ObjectType company() {
        return type("company", "Company",
                Field.text("name").required(true).searchable(true).indexed(true),
                Field.text("domain").searchable(true).indexed(true),
                Field.url("website"),
                Field.picklist("industry", "software", "hardware", "services", "finance", "healthcare", "retail",
                        "manufacturing", "education", "government", "media", "other"),
                Field.integer("employees").range(BigDecimal.ZERO, null),
                Field.currency("annual_revenue"),
                Field.phone("phone").searchable(true),
                Field.address("address"),
                Field.longText("description").searchable(true));
    }

    private static ObjectType contact() {
        return type("contact", "Contact",
                Field.text("first_name").searchable(true),
                Field.text("last_name").required(true).searchable(true).indexed(true),
                Field.email("email").searchable(true).indexed(true),
                Field.phone("phone").searchable(true),
                Field.phone("mobile").searchable(true),
                Field.text("title").searchable(true),
                Field.reference("company", "company").searchable(true),
                Field.address("address"),
                Field.bool("do_not_contact").defaultValue(false),
                Field.longText("description").searchable(true));
    }

    private static ObjectType lead() {
        return type("lead", "Lead",
                Field.text("first_name").searchable(true),
                Field.text("last_name").required(true).searchable(true).indexed(true),
                Field.email("email").searchable(true).indexed(true),
                Field.phone("phone").searchable(true),
                Field.text("company_name").searchable(true),
                Field.text("title").searchable(true),
                Field.picklist("status", "new", "contacted", "qualified", "unqualified", "converted")
                        .defaultValue("new").required(true),
                Field.picklist("source", "web", "referral", "event", "cold_call", "partner", "advertising", "other"),
                Field.integer("score").defaultValue(0L),
                Field.datetime("converted_at"),
                Field.longText("description").searchable(true),
                convertedContact(),
                convertedCompany(),
                convertedDeal());
    }

    private static ObjectType deal() {
        return type("deal", "Deal",
                Field.text("name").required(true).searchable(true),
                Field.currency("amount").range(BigDecimal.ZERO, null),
                Field.text("pipeline").required(true).defaultValue(Pipeline.DEFAULT).indexed(true),
                Field.text("stage").required(true).defaultValue("prospecting").indexed(true),
                Field.percent("probability").range(BigDecimal.ZERO, new BigDecimal(100)),
                Field.date("close_date").indexed(true),
                Field.reference("company", "company").searchable(true),
                Field.reference("contact", "contact").searchable(true),
                Field.relation("contacts", "contact").label("Buying committee"),
                Field.longText("description").searchable(true));
    }

    private static ObjectType activity() {
        return type("activity", "Activity",
                Field.picklist("kind", "call", "email", "meeting", "note").required(true),
                Field.text("subject").required(true).searchable(true),
                Field.longText("body").searchable(true),
                Field.datetime("occurred_at").indexed(true),
                Field.integer("duration_minutes").range(BigDecimal.ZERO, null),
                Field.reference("contact", "contact"),
                Field.reference("company", "company"),
                Field.reference("deal", "deal"),
                Field.reference("lead", "lead"));
    }

    private static ObjectType task() {
        return type("task", "Task",
                Field.text("subject").required(true).searchable(true),
                Field.date("due_date").indexed(true),
                Field.picklist("status", "open", "in_progress", "done").defaultValue("open").required(true),
                Field.picklist("priority", "low", "normal", "high").defaultValue("normal"),
                Field.datetime("completed_at"),
                Field.reference("contact", "contact"),
                Field.reference("company", "company"),
                Field.reference("deal", "deal"),
                Field.longText("description").searchable(true),
                taskLead());
    }
}
