package org.crmkit.internal.lead;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.query.Filters;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.FieldType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The lead's activities and tasks, given the contact it became (and its company and deal where they have none),
 * keeping their link to the lead. Only those the caller may see, with their lead link, are touched, as the caller.
 */
final class RelatedWork {
    private final CrmSession session;
    private final SchemaSnapshot schema;
    private final UUID lead;
    private final UUID contact;
    private final @Nullable UUID company;
    private final @Nullable UUID deal;

    RelatedWork(CrmSession session, SchemaSnapshot schema, UUID lead, UUID contact, @Nullable UUID company,
            @Nullable UUID deal) {
        this.session = session;
        this.schema = schema;
        this.lead = lead;
        this.contact = contact;
        this.company = company;
        this.deal = deal;
    }

    /**
     * Relinks the records of {@code type} that reference the lead; returns their ids. A type without a {@code lead}
     * reference, or one the caller may not read, has none.
     */
    List<UUID> relink(String type) {
        if (!references(type, "lead", "lead") || !references(type, "contact", "contact") || !seesLeadLink(type)) {
            return List.of();
        }
        RecordSet records = session.records(type);
        List<Record> found = new ArrayList<>();
        try {
            Query q = Query.where(Filters.where("lead").eq(lead)).limit(Query.MAX_LIMIT);
            while (q != null) {
                Page<Record> page = records.query(q);
                found.addAll(page.items());
                q = page.nextQuery().orElse(null);
            }
        } catch (AccessDeniedException e) {
            return List.of(); // the caller may not read them: they stay as they are
        }
        List<UUID> ids = new ArrayList<>();
        for (Record r : found) {
            Map<String, Object> changes = new HashMap<>();
            changes.put("contact", contact);
            if (company != null && r.get("company") == null && references(type, "company", "company")) {
                changes.put("company", company);
            }
            if (deal != null && r.get("deal") == null && references(type, "deal", "deal")) {
                changes.put("deal", deal);
            }
            records.update(r, changes);
            ids.add(r.id());
        }
        return ids;
    }

    /**
     * Whether the caller sees the type's {@code lead} link (as access does: the widest access of the roles that may
     * read the type); a caller who cannot tell which records belong to the lead leaves them as they are.
     */
    private boolean seesLeadLink(String type) {
        Principal p = session.principal();
        return p.system() || p.roles().stream().anyMatch(r -> r.grantFor(type).filter(g -> g.allows(Permission.READ))
                .isPresent() && r.fieldAccess(type, "lead") != FieldAccess.HIDDEN);
    }

    private boolean references(String type, String field, String target) {
        return schema.findObjectType(type).flatMap(t -> t.findField(field))
                .filter(f -> f.type() == FieldType.REFERENCE && target.equals(f.target())).isPresent();
    }
}
