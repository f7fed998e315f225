package org.crmkit.internal.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.AccessModelException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.UnsupportedFeatureException;
import org.crmkit.security.AdminPermission;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Grantee;
import org.crmkit.security.ObjectGrant;
import org.crmkit.security.Role;
import org.crmkit.security.ShareLevel;
import org.crmkit.security.SharingRule;
import org.crmkit.security.StoredUser;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.support.StorageJson;
import org.jspecify.annotations.Nullable;

/**
 * How the access model lives in the storage's {@link DocumentStore}: kind {@value #MODEL} holds one document per
 * stored role ({@code role:<name>}, with its parent), user ({@code user:<id>}) and sharing rule ({@code rule:<name>});
 * kind {@value #AUDIT} one document {@code log} saved with every change, whose history is the audit trail (and whose
 * version check serialises concurrent changes); kind {@value #SHARES} the manual shares twice, per grantee
 * ({@code grantee:user:<id>}, {@code grantee:team:<id>}: what a session reads) and per record
 * ({@code record:<type>:<id>}: what its owner lists).
 */
final class AccessDocuments {
    static final String MODEL = "access";
    static final String AUDIT = "access.audit";
    static final String SHARES = "access.share";
    static final String LOG = "log";

    record RoleForm(String name, Map<String, ObjectGrant> objects, Map<String, FieldAccess> fields,
            Set<AdminPermission> admin, @Nullable String parent) {
        Role role() {
            return new Role(name, objects, fields, admin);
        }

        static RoleForm of(Role r, @Nullable String parent) {
            return new RoleForm(r.name(), r.objects(), r.fields(), r.admin(), parent);
        }
    }

    record AuditForm(String subject, String description, long version, boolean deleted) {}

    /** One record shared with a grantee. */
    record GranteeEntry(String type, UUID id, ShareLevel level) {}

    record GranteeForm(List<GranteeEntry> shares) {}

    /** One grantee of a record. */
    record RecordEntry(Grantee grantee, ShareLevel level, String by, String at) {}

    record RecordForm(List<RecordEntry> shares) {}

    private final CrmEngine engine;
    private final StorageJson json;

    AccessDocuments(CrmEngine engine, StorageJson json) {
        this.engine = engine;
        this.json = json;
    }

    Optional<DocumentStore> store() {
        return engine.storage.extension(DocumentStore.class);
    }

    DocumentStore required() {
        return store().orElseThrow(() -> new UnsupportedFeatureException("DOCUMENTS", "stored roles, sharing rules "
                + "and manual shares need a storage that keeps documents; " + engine.storage.name() + " does not"));
    }

    /** Loads every live document of the model at the kind's current revision. */
    AccessModel load() {
        DocumentStore docs = store().orElse(null);
        if (docs == null) {
            return AccessModel.EMPTY;
        }
        long revision = docs.revision(MODEL);
        Map<String, Role> roles = new HashMap<>();
        Map<String, String> parents = new HashMap<>();
        Map<String, StoredUser> users = new HashMap<>();
        Map<String, SharingRule> rules = new HashMap<>();
        for (DocumentStore.StoredDocument d : docs.list(MODEL)) {
            String body = d.body();
            if (body == null) {
                continue;
            }
            if (d.name().startsWith("role:")) {
                RoleForm f = json.readAccess(body, RoleForm.class);
                roles.put(f.name(), f.role());
                if (f.parent() != null) {
                    parents.put(f.name(), f.parent());
                }
            } else if (d.name().startsWith("user:")) {
                StoredUser u = json.readAccess(body, StoredUser.class);
                users.put(u.id(), u);
            } else if (d.name().startsWith("rule:")) {
                SharingRule r = json.readAccess(body, SharingRule.class);
                rules.put(r.name(), r);
            }
        }
        return new AccessModel(revision, roles, parents, users, rules);
    }

    String write(Object form) {
        return json.writeAccess(form);
    }

    <T> T read(String body, Class<T> type) {
        return json.readAccess(body, type);
    }

    /** Saves a document, turning a lost race into {@link AccessModelException} {@code CONCURRENT_CHANGE}. */
    static DocumentStore.StoredDocument save(DocumentStore docs, Tx tx, String kind, String name, long expected,
            @Nullable String body, String principalId, Instant at) {
        try {
            return docs.save(tx.storage, kind, name, expected, body, principalId, at);
        } catch (CrmException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                throw new AccessModelException(AccessModelException.Problem.CONCURRENT_CHANGE, name,
                        "another change was committed first; read it again and retry");
            }
            throw e;
        }
    }
}
