package org.crmkit.event;

import java.util.List;

/**
 * Told about the changes of each transaction after it commits, never for one that rolled back. Called on the
 * committing thread; keep it fast and do not throw (exceptions are logged and swallowed).
 */
@FunctionalInterface
public interface ChangeListener {
    void afterCommit(List<ChangeLogEntry> changes);
}
