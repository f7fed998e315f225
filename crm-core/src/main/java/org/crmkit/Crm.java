package org.crmkit;

import org.crmkit.event.ChangeLog;
import org.crmkit.schema.Schema;
import org.crmkit.security.Principal;

/**
 * A CRM engine embedded in the application: its schema, its records behind access control, its change log.
 * Thread-safe; build one per data store with {@link #builder()} and close it when done.
 *
 * <pre>{@code
 * try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
 *     CrmSession rep = crm.as(Principal.user("u-42", Role.SALES_REP));
 *     Record ada = rep.records("contact").create(Map.of("first_name", "Ada", "last_name", "Lovelace"));
 * }
 * }</pre>
 */
public interface Crm extends AutoCloseable {
    static CrmBuilder builder() {
        return new CrmBuilder();
    }

    /** The live schema (changes made through it run as the system principal). */
    Schema schema();

    /** A session acting as {@code principal}; sessions are cheap and thread-safe. */
    CrmSession as(Principal principal);

    /**
     * A session acting as a user stored with {@link org.crmkit.security.AccessAdmin}: their stored role (with its
     * place in the hierarchy) and teams, read again at each operation, so a change of either takes effect at once.
     * An id no user is stored under is a {@link org.crmkit.error.AccessModelException} ({@code UNKNOWN_USER}); a
     * user removed later reaches nothing. CRMKit's engine implements it; the default refuses.
     */
    default CrmSession asUser(String userId) {
        throw new UnsupportedOperationException("stored users are not supported by " + getClass().getName());
    }

    /**
     * The raw change log, for system code (audit, indexing, relays): every change with every value, hidden fields
     * included, no access control. Code that serves users reads {@link CrmSession#changes(long, int)} instead.
     */
    ChangeLog changeLog();

    /** Operations for administrators and operators: the search index. */
    CrmAdmin admin();

    /** Closes the storage; further use fails with {@link org.crmkit.error.ErrorCode#CLOSED}. */
    @Override
    void close();
}
