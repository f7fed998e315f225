package org.crmkit.event;

import java.util.List;

/** The ordered, durable change log of a {@code Crm}, readable as a feed. */
public interface ChangeLog {
    /** Up to {@code limit} entries with a sequence greater than {@code afterSequence}, in order. */
    List<ChangeLogEntry> read(long afterSequence, int limit);

    /** The sequence of the newest committed entry, or 0 when the log is empty. */
    long lastSequence();

    /** Registers a listener called after each commit; close the returned handle to unregister. */
    AutoCloseable subscribe(ChangeListener listener);
}
