package org.crmkit.plugin.spi;

import java.time.Clock;
import java.util.function.BiFunction;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;

/** What an {@link EnginePlugin} gets from the engine it is plugged into. */
public interface EngineContext {
    /** The {@code Crm} being built (usable once {@link EnginePlugin#start} returns). */
    Crm crm();

    /** The storage of the {@code Crm}. */
    Storage storage();

    /** The engine's clock (microsecond precision), the one every timestamp of the {@code Crm} comes from. */
    Clock clock();

    /** Registers a hook run before each commit; closing the handle removes it. */
    AutoCloseable addCommitHook(CommitHook hook);

    /**
     * Runs {@code work} in one new service transaction as {@code principal}: everything done through the session it
     * is handed and everything written directly to the storage transaction commit together when it returns, or roll
     * back when it throws (the exception is rethrown). Commit hooks run as for any transaction.
     */
    <T> T transaction(Principal principal, BiFunction<CrmSession, StorageTransaction, T> work);

    /**
     * The access {@code principal} has to {@code field} of {@code objectType}, decided exactly as the service layer
     * decides it for sessions (roles' union, and a formula as hidden as the most hidden field it reads), so a plug-in
     * that checks what a principal may see never keeps a second copy of the rules.
     */
    FieldAccess fieldAccess(Principal principal, String objectType, String field);

    /**
     * Adds a part to the {@code Crm}'s health check ({@code crm.admin().health()}); closing the handle removes it.
     * CRMKit's engine implements it; the default refuses.
     */
    default AutoCloseable addHealthContributor(org.crmkit.health.spi.HealthContributor contributor) {
        throw new UnsupportedOperationException("health contributors are not supported by " + getClass().getName());
    }
}
