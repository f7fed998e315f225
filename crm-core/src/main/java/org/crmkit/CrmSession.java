package org.crmkit;

import java.util.function.Consumer;
import java.util.function.Function;
import org.crmkit.annotations.Incubating;
import org.crmkit.event.ChangeFeedPage;
import org.crmkit.security.Principal;

/**
 * Operations on behalf of one principal. Each call runs in its own transaction unless it is made inside
 * {@link #inTransaction(Function)}, in which case all of them commit or roll back together.
 */
public interface CrmSession {
    Principal principal();

    /**
     * Searches the records the principal may see for what a person typed: every type with searchable fields, or
     * those the query names. See {@link org.crmkit.search.SearchQuery}. Bad queries are a
     * {@link org.crmkit.error.ValidationException} naming the part ({@code text}, {@code limit}, a filter path).
     */
    @Incubating
    org.crmkit.search.SearchResult search(org.crmkit.search.SearchQuery query);

    /** The first page of hits for {@code text} across every type: {@code search(SearchQuery.of(text)).hits()}. */
    @Incubating
    default java.util.List<org.crmkit.search.Hit> search(String text) {
        return search(org.crmkit.search.SearchQuery.of(text)).hits();
    }

    /**
     * Stored roles, hierarchy, users and sharing rules, changed on behalf of this principal, which needs
     * {@link org.crmkit.security.AdminPermission#MANAGE_ACCESS} (else {@link org.crmkit.error.AccessDeniedException}).
     * The audit history names this principal. CRMKit's engine implements it; the default refuses.
     */
    default org.crmkit.security.AccessAdmin access() {
        throw new UnsupportedOperationException("stored roles are not supported by " + getClass().getName());
    }

    /** Manual shares of single records on behalf of this principal. CRMKit's engine implements it. */
    default org.crmkit.security.RecordShares shares() {
        throw new UnsupportedOperationException("manual shares are not supported by " + getClass().getName());
    }

    /**
     * The live schema as this principal sees it: the object types it may read and, of each, the fields not hidden
     * from it, with whether it may write them and what it may do with the type's records. Hidden fields are absent
     * (name, label and options), and so is a formula or roll-up hidden by its inputs, exactly as record operations
     * decide. Taken anew at each call, so schema and access changes show at the next one. CRMKit's engine implements
     * it; the default refuses.
     */
    default org.crmkit.schema.SchemaView schema() {
        throw new UnsupportedOperationException("schema views are not supported by " + getClass().getName());
    }

    /** The records of one object type; throws {@link org.crmkit.error.SchemaException} for an unknown type. */
    RecordSet records(String objectType);

    /** Lead conversion on behalf of this principal: see {@link org.crmkit.lead.Leads#convert}. */
    org.crmkit.lead.Leads leads();

    /**
     * The change feed as this principal may see it: the change-log entries after sequence {@code after}, in order, for
     * serving users (live updates, activity streams); unlike {@link Crm#changeLog()}, which is for system code, it
     * applies the principal's access. An entry is shown when the principal may read its object type and its record is
     * in the principal's scope as the record is now (a purged record: as it was when purged); its changes hold only
     * {@code owner}, {@code team} and fields that exist and the principal can read now, and an update that changed
     * nothing of those is left out. Scope is judged on the record now: a record that left the principal's scope shows
     * nothing, not even the changes made while it was theirs (a client finds it gone when it reads it again); one that
     * entered the scope shows its history. Deletes, restores and purges of records in scope are shown, with who and
     * when (and, for a purge, the visible last values), so that a client can drop the record.
     *
     * <p>Start with {@code after} 0 (or a known sequence) and go on with {@link ChangeFeedPage#nextAfter()}: it moves
     * past the entries left out, so a client never reads them twice and never loops. A page ends when it holds
     * {@code limit} entries, when the log has nothing more, or after 2,000 log entries were looked at, so it can be
     * short, or empty with {@link ChangeFeedPage#more()} true, while entries the principal may see lie further on.
     * {@code after} below 0 or {@code limit} outside 1 to 1,000 is a {@link org.crmkit.error.ValidationException}
     * naming it.
     */
    ChangeFeedPage changes(long after, int limit);

    /**
     * The entries of {@code entries} that this principal may see, each holding only what they may see: exactly what
     * {@link #changes} shows of the same log entries (same rules, same code). {@code entries} are raw change-log
     * entries read by system code ({@link Crm#changeLog()}), in sequence order; this lets a server that feeds many
     * principals (a live-update hub) read the log once and filter it for each of them in memory. CRMKit's engine
     * implements it; the default refuses.
     */
    default java.util.List<org.crmkit.event.ChangeLogEntry> visibleChanges(
            java.util.List<org.crmkit.event.ChangeLogEntry> entries) {
        throw new UnsupportedOperationException("filtering read changes is not supported by " + getClass().getName());
    }

    /**
     * Runs {@code work} in one all-or-nothing transaction and returns its result. Everything done through the
     * session handed to {@code work} commits together when it returns, or rolls back when it throws (the
     * exception is rethrown). Nested calls join the outer transaction. A concurrent commit that invalidates
     * this transaction's writes makes the commit fail with {@link org.crmkit.error.ConflictException}.
     */
    <T> T inTransaction(Function<CrmSession, T> work);

    /** {@link #inTransaction(Function)} without a result. */
    default void inTransactionDo(Consumer<CrmSession> work) {
        inTransaction(s -> {
            work.accept(s);
            return null;
        });
    }

    /**
     * Saved reports and running them within this session's access. CRMKit's engine implements it; the default
     * refuses.
     */
    default org.crmkit.report.Reports reports() {
        throw new UnsupportedOperationException("reports are not supported by " + getClass().getName());
    }

    /**
     * Exports of this principal's records as CSV or JSON Lines, within this session's access. CRMKit's engine
     * implements it; the default refuses.
     */
    default org.crmkit.data.export.RecordExport export() {
        throw new UnsupportedOperationException("export is not supported by " + getClass().getName());
    }

    /**
     * Data-protection operations (find, export and erase everything held about a person; change-log retention),
     * which need {@link org.crmkit.security.AdminPermission#MANAGE_PRIVACY}. CRMKit's engine implements it; the
     * default refuses.
     */
    default org.crmkit.privacy.Privacy privacy() {
        throw new UnsupportedOperationException("privacy is not supported by " + getClass().getName());
    }

    /**
     * A CSV import into {@code objectType} on behalf of this principal: see {@link org.crmkit.data.csv.CsvImport}.
     * An unknown type is a {@link org.crmkit.error.SchemaException}. CRMKit's engine implements it; the default
     * refuses.
     */
    default org.crmkit.data.csv.CsvImport csvImport(String objectType) {
        throw new UnsupportedOperationException("CSV import is not supported by " + getClass().getName());
    }
}
