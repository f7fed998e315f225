package org.crmkit.plugin.spi;

import java.util.List;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.StorageTransaction;

/**
 * Called by the engine inside every service transaction that staged change-log entries, after the work of the
 * transaction and just before its commit, on the thread that runs it. What the hook writes through
 * {@code transaction} commits or rolls back with the change itself; an exception it throws rolls the whole
 * transaction back and reaches the caller. Hooks must not call back into the {@code Crm} from here.
 */
@FunctionalInterface
public interface CommitHook {
    /**
     * @param transaction the storage transaction about to commit (reads see its own writes)
     * @param staged      the entries the transaction staged, in order (sequences not yet assigned)
     */
    void beforeCommit(StorageTransaction transaction, List<ChangeLogEntry> staged);
}
