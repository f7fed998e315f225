package org.crmkit.internal.service;

import java.util.function.Function;
import org.crmkit.CrmSession;
import org.crmkit.RecordSet;
import org.crmkit.security.Principal;
import org.jspecify.annotations.Nullable;

/** A principal's view of the engine, optionally bound to an open transaction. */
final class Session implements CrmSession {
    final CrmEngine engine;
    private final @Nullable Principal principal;
    /** The stored user this session acts as ({@link org.crmkit.Crm#asUser}), resolved again at each call. */
    private final @Nullable String userId;
    private final @Nullable Tx tx;

    Session(CrmEngine engine, Principal principal, @Nullable Tx tx) {
        this.engine = engine;
        this.principal = principal;
        this.userId = null;
        this.tx = tx;
    }

    /** A session for a stored user: their role and teams are read from the current access model at each call. */
    Session(CrmEngine engine, String userId, @Nullable Tx tx) {
        this.engine = engine;
        this.principal = null;
        this.userId = userId;
        this.tx = tx;
    }

    @Override
    public Principal principal() {
        if (principal != null) {
            return principal;
        }
        String id = java.util.Objects.requireNonNull(userId);
        Principal stored = engine.accessModels.model().principalOf(id);
        return stored != null ? stored : new Principal(id, java.util.List.of(), java.util.List.of(), false);
    }

    /** The acting principal's id, without resolving a stored user's role (for the MDC). */
    String principalId() {
        return principal != null ? principal.id() : java.util.Objects.requireNonNull(userId);
    }

    /** Runs {@code work} as an observed operation (MDC, operation listeners): see {@link Observers}. */
    <T> T observed(String objectType, String operation, java.util.function.Supplier<T> work) {
        return engine.observers.run(principalId(), objectType, operation, work);
    }

    private Session bound(Tx t) {
        return principal != null ? new Session(engine, principal, t)
                : new Session(engine, java.util.Objects.requireNonNull(userId), t);
    }

    @Override
    public org.crmkit.security.AccessAdmin access() {
        engine.checkOpen();
        Principal p = principal();
        if (!p.may(org.crmkit.security.AdminPermission.MANAGE_ACCESS)) {
            throw new org.crmkit.error.AccessDeniedException(p.id(), "access", "manage roles, users and sharing "
                    + "rules (needs the " + org.crmkit.security.AdminPermission.MANAGE_ACCESS + " permission)");
        }
        return new AccessAdminService(engine, p);
    }

    @Override
    public org.crmkit.security.RecordShares shares() {
        engine.checkOpen();
        return new SessionShares(this);
    }

    @Override
    public Records records(String objectType) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        engine.checkOpen();
        if (engine.schema.compiled().snapshot.findObjectType(objectType).isEmpty()) {
            throw SchemaService.unknownType(objectType);
        }
        return new Records(this, objectType);
    }

    @Override
    public org.crmkit.schema.SchemaView schema() {
        engine.checkOpen();
        Principal p = principal();
        if (!p.system()) {
            engine.accessModels.catchUp(); // outside a transaction: see changes of the access model now
        }
        return SchemaViews.of(p, engine.schema.compiled(), engine.accessModels);
    }

    @Override
    public org.crmkit.search.SearchResult search(org.crmkit.search.SearchQuery query) {
        return observed(org.crmkit.observe.OperationListener.ANY_TYPE, "search", () -> searchNow(query));
    }

    /** {@link #search} without observing it (a record set's search is observed as its own operation). */
    org.crmkit.search.SearchResult searchNow(org.crmkit.search.SearchQuery query) {
        java.util.Objects.requireNonNull(query, "query");
        engine.checkOpen();
        engine.accessModels.catchUp(); // a search runs outside a transaction: see changes of the access model now
        return engine.search.search(principal(), query);
    }

    @Override
    public org.crmkit.event.ChangeFeedPage changes(long after, int limit) {
        return observed(org.crmkit.observe.OperationListener.ANY_TYPE, "changes", () -> {
            engine.checkOpen();
            return new ChangeFeed(this).read(after, limit);
        });
    }

    @Override
    public java.util.List<org.crmkit.event.ChangeLogEntry> visibleChanges(
            java.util.List<org.crmkit.event.ChangeLogEntry> entries) {
        java.util.Objects.requireNonNull(entries, "entries");
        engine.checkOpen();
        return new ChangeFeed(this).visible(entries);
    }

    @Override
    public org.crmkit.lead.Leads leads() {
        engine.checkOpen();
        return new org.crmkit.internal.lead.LeadConverter(this, () -> engine.schema.compiled().snapshot, engine.clock);
    }

    @Override
    public org.crmkit.data.csv.CsvImport csvImport(String objectType) {
        java.util.Objects.requireNonNull(objectType, "objectType");
        records(objectType); // an unknown type fails here
        return SessionCsvImport.of(this, objectType);
    }

    @Override
    public org.crmkit.report.Reports reports() {
        engine.checkOpen();
        return new SessionReports(this);
    }

    @Override
    public org.crmkit.data.export.RecordExport export() {
        engine.checkOpen();
        return new SessionExport(this);
    }

    @Override
    public org.crmkit.privacy.Privacy privacy() {
        engine.checkOpen();
        return new SessionPrivacy(this);
    }

    /** Whether this session works inside a transaction of {@link #inTransaction}. */
    boolean bound() {
        return tx != null;
    }

    @Override
    public <T> T inTransaction(Function<CrmSession, T> work) {
        java.util.Objects.requireNonNull(work, "work");
        if (tx != null) {
            return work.apply(this);
        }
        return observed(org.crmkit.observe.OperationListener.ANY_TYPE, "transaction",
                () -> engine.transaction(t -> work.apply(bound(t))));
    }

    /** Whether this session is bound to the transaction of an {@link #inTransaction} call. */
    boolean inOpenTransaction() {
        return tx != null;
    }

    /** Runs in this session's transaction, or in a new one. */
    <T> T inTx(Function<Tx, T> work) {
        if (tx != null) {
            return work.apply(tx);
        }
        return engine.transaction(work);
    }

    /**
     * Runs in this session's transaction, or in a new one that begins with what planning {@code access} read
     * ({@link Access#caughtUp()}): one storage statement fewer per operation.
     */
    <T> T inTx(Access access, Function<Tx, T> work) {
        if (tx != null) {
            return work.apply(tx);
        }
        return engine.transaction(access.caughtUp(), work);
    }
}
