package org.crmkit.internal.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.AccessModelException;
import org.crmkit.error.NotFoundException;
import org.crmkit.record.Record;
import org.crmkit.security.AdminPermission;
import org.crmkit.security.Grantee;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordShare;
import org.crmkit.security.RecordShares;
import org.crmkit.security.ShareLevel;
import org.crmkit.storage.spi.DocumentStore;
import org.jspecify.annotations.Nullable;

/**
 * {@link RecordShares} for one session. A share is kept twice, in one transaction: in the grantee's document (what
 * {@link AccessModels#sharedIds} reads, once per grantee until the shares' revision moves) and in the record's
 * (what its owner lists); the documents' history is the audit trail of who shared and revoked what, and when.
 */
final class SessionShares implements RecordShares {
    private final Session session;

    SessionShares(Session session) {
        this.session = session;
    }

    @Override
    public RecordShare share(String objectType, UUID recordId, Grantee grantee, ShareLevel level) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(grantee, "grantee");
        Objects.requireNonNull(level, "level");
        checkGrantee(grantee, objectType, recordId);
        Instant at = session.engine.clock.instant();
        Principal p = session.principal();
        RecordShare share = new RecordShare(objectType, recordId, grantee, level, p.id(), at);
        change(objectType, recordId, grantee, share);
        return share;
    }

    @Override
    public boolean revoke(String objectType, UUID recordId, Grantee grantee) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(grantee, "grantee");
        checkGrantee(grantee, objectType, recordId);
        return change(objectType, recordId, grantee, null);
    }

    @Override
    public List<RecordShare> of(String objectType, UUID recordId) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        return session.inTx(tx -> {
            shareable(tx, objectType, recordId);
            return entries(docs().required(), objectType, recordId).stream().map(e -> new RecordShare(objectType,
                    recordId, e.grantee(), e.level(), e.by(), Instant.parse(e.at()))).toList();
        });
    }

    private AccessDocuments docs() {
        return session.engine.accessModels.documents;
    }

    private static void checkGrantee(Grantee g, String type, UUID id) {
        if (g.kind() != Grantee.Kind.USER && g.kind() != Grantee.Kind.TEAM) {
            throw new AccessModelException(AccessModelException.Problem.INVALID_GRANT, type + " " + id,
                    "a record is shared manually with a user or a team, not with " + g.key());
        }
        AccessAdminService.checkId(g.id(), type + " " + id);
    }

    /**
     * The record, when the caller may share it: readable (else NotFound, whatever the reason), and owned by the
     * caller or the caller has {@link AdminPermission#MANAGE_ACCESS}.
     */
    private Record shareable(Tx tx, String type, UUID id) {
        session.records(type); // an unknown type fails here
        Principal p = session.principal();
        Access access = new Access(p, type, session.engine.schema.compiled(), session.engine.accessModels);
        access.require(Permission.READ);
        Record r = tx.storage.find(type, id).filter(x -> !x.isDeleted() && access.inScope(x))
                .orElseThrow(() -> new NotFoundException(type, id));
        if (!r.owner().equals(p.id()) && !p.may(AdminPermission.MANAGE_ACCESS)) {
            throw new AccessDeniedException(p.id(), type, "share this " + type + " record (only its owner or a "
                    + "principal with " + AdminPermission.MANAGE_ACCESS + " may)");
        }
        return r;
    }

    /** Puts (or, with {@code share} null, removes) the grantee's share in both documents; whether one was there. */
    private boolean change(String type, UUID id, Grantee grantee, @Nullable RecordShare share) {
        DocumentStore store = docs().required();
        String who = session.principal().id();
        boolean had = session.inTx(tx -> {
            shareable(tx, type, id);
            String recordName = "record:" + type + ":" + id;
            DocumentStore.StoredDocument recordDoc = store.find(AccessDocuments.SHARES, recordName).orElse(null);
            List<AccessDocuments.RecordEntry> entries = new ArrayList<>(entries(store, type, id));
            boolean existed = entries.removeIf(e -> e.grantee().equals(grantee));
            if (share == null && !existed) {
                return false;
            }
            Instant at = session.engine.clock.instant();
            if (share != null) {
                entries.add(new AccessDocuments.RecordEntry(grantee, share.level(), who, at.toString()));
            }
            AccessDocuments.save(store, tx, AccessDocuments.SHARES, recordName,
                    recordDoc == null ? 0 : recordDoc.version(), entries.isEmpty() && recordDoc == null ? null
                            : docs().write(new AccessDocuments.RecordForm(entries)),
                    who, at);
            String granteeName = "grantee:" + grantee.key();
            DocumentStore.StoredDocument granteeDoc = store.find(AccessDocuments.SHARES, granteeName).orElse(null);
            List<AccessDocuments.GranteeEntry> mine = new ArrayList<>();
            if (granteeDoc != null && granteeDoc.body() != null) {
                mine.addAll(docs().read(granteeDoc.body(), AccessDocuments.GranteeForm.class).shares());
            }
            mine.removeIf(e -> e.type().equals(type) && e.id().equals(id));
            if (share != null) {
                mine.add(new AccessDocuments.GranteeEntry(type, id, share.level()));
            }
            AccessDocuments.save(store, tx, AccessDocuments.SHARES, granteeName,
                    granteeDoc == null ? 0 : granteeDoc.version(),
                    docs().write(new AccessDocuments.GranteeForm(mine)), who, at);
            return existed;
        });
        session.engine.accessModels.catchUp();
        return had;
    }

    private List<AccessDocuments.RecordEntry> entries(DocumentStore store, String type, UUID id) {
        return store.find(AccessDocuments.SHARES, "record:" + type + ":" + id).map(DocumentStore.StoredDocument::body)
                .map(b -> docs().read(b, AccessDocuments.RecordForm.class).shares())
                .orElse(List.of());
    }
}
