package org.crmkit.internal.lead;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.LeadConvertedException;
import org.crmkit.internal.schema.LeadMappings;
import org.crmkit.lead.Conversion;
import org.crmkit.lead.ConversionResult;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * One conversion, run inside the caller's transaction through the caller's own session, so that access control,
 * validation, record rules and the change log apply to each read and write as they would to the caller's own calls:
 * read the lead, link or create company, contact and deal, mark the lead, then relink its activities and tasks.
 */
final class ConversionRun {
    private final CrmSession session;
    private final SchemaSnapshot schema;
    private final ConversionMatcher matcher;
    private final Instant now;
    private final Conversion conversion;

    ConversionRun(CrmSession session, SchemaSnapshot schema, ConversionMatcher matcher, Instant now,
            Conversion conversion) {
        this.session = session;
        this.schema = schema;
        this.matcher = matcher;
        this.now = now;
        this.conversion = conversion;
    }

    ConversionResult run(UUID leadId) {
        ConversionLinks.check(schema);
        RecordSet leads = session.records("lead");
        Record lead = leads.get(leadId);
        if ("converted".equals(lead.get("status")) || lead.get("converted_contact") != null) {
            throw new LeadConvertedException(leadId);
        }
        LeadMappings.check(schema, schema.leadMapping());
        Linked company = company(lead);
        Linked contact = contact(lead, company.id());
        UUID contactId = java.util.Objects.requireNonNull(contact.id(), "contact"); // contact() always gives one
        UUID deal = deal(lead, company.id(), contactId);
        Map<String, @Nullable Object> marks = new HashMap<>();
        marks.put("status", "converted");
        marks.put("converted_at", now);
        marks.put("converted_contact", contact.id());
        marks.put("converted_company", company.id());
        marks.put("converted_deal", deal);
        leads.update(lead, marks);
        RelatedWork related = new RelatedWork(session, schema, leadId, contactId, company.id(), deal);
        List<UUID> activities = related.relink("activity");
        List<UUID> tasks = related.relink("task");
        return new ConversionResult(leadId, contactId, contact.created(), company.id(), company.created(), deal,
                activities, tasks);
    }

    /** A record the lead became, or none ({@code id} null). */
    private record Linked(@Nullable UUID id, boolean created) {
        static final Linked NONE = new Linked(null, false);
    }

    private Linked company(Record lead) {
        if (!conversion.withCompany()) {
            return Linked.NONE;
        }
        RecordSet companies = session.records("company");
        UUID given = conversion.companyId();
        if (given != null) {
            return new Linked(companies.get(given).id(), false);
        }
        Map<String, Object> values = mapped(lead, "company");
        if (conversion.matchExistingCompany()) {
            Optional<Record> found = matcher.company(session, values);
            if (found.isPresent()) {
                return new Linked(found.get().id(), false);
            }
        }
        if (!(values.get("name") instanceof String name) || name.isBlank()) {
            return Linked.NONE; // the lead names no company
        }
        return new Linked(companies.create(owned(values)).id(), true);
    }

    private Linked contact(Record lead, @Nullable UUID company) {
        RecordSet contacts = session.records("contact");
        UUID given = conversion.contactId();
        Map<String, Object> values = mapped(lead, "contact");
        Record existing = given != null ? contacts.get(given)
                : conversion.matchExistingContact() ? matcher.contact(session, values).orElse(null) : null;
        if (existing != null) {
            if (company != null && existing.get("company") == null) {
                contacts.update(existing, Map.of("company", company));
            }
            return new Linked(existing.id(), false);
        }
        if (company != null) {
            values.put("company", company);
        }
        return new Linked(contacts.create(owned(values)).id(), true);
    }

    private @Nullable UUID deal(Record lead, @Nullable UUID company, UUID contact) {
        Conversion.DealSpec spec = conversion.deal();
        if (spec == null) {
            return null;
        }
        Map<String, Object> values = mapped(lead, "deal");
        if (company != null) {
            values.put("company", company);
        }
        values.put("contact", contact);
        values.putAll(spec.values());
        values.put("name", spec.name());
        values.put("pipeline", spec.pipeline());
        values.put("stage", spec.stage());
        return session.records("deal").create(owned(values)).id();
    }

    /** The values the mapping copies from the lead into a new {@code target}: those the caller could read. */
    private Map<String, Object> mapped(Record lead, String target) {
        Map<String, Object> out = new LinkedHashMap<>();
        LeadMappings.resolve(schema, schema.leadMapping(), target).forEach((to, from) -> {
            Object v = lead.get(from);
            if (v != null && !(v instanceof List<?> l && l.isEmpty())) {
                out.put(to, v);
            }
        });
        return out;
    }

    private Map<String, Object> owned(Map<String, Object> values) {
        String owner = conversion.owner();
        if (owner != null) {
            values.put("owner", owner);
        }
        return values;
    }
}
