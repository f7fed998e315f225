package org.crmkit.event;

import java.util.List;

/**
 * The ordered, durable change log of a {@code Crm}, readable as a feed: <b>for system code only</b> (search indexing,
 * caches, workflow, relays, audit export). It applies no access control: every entry of every record, with every old
 * and new value, hidden fields included. Never hand what it returns to a user or to code that serves users; use
 * {@link org.crmkit.CrmSession#changes(long, int)}, which applies the session's access, and
 * {@link org.crmkit.RecordSet#timeline} for one record's history.
 */
public interface ChangeLog {
    /**
     * Up to {@code limit} entries with a sequence greater than {@code afterSequence}, in order, unfiltered (system
     * code only: see the type's documentation).
     */
    List<ChangeLogEntry> read(long afterSequence, int limit);

    /** The sequence of the newest committed entry, or 0 when the log is empty. */
    long lastSequence();

    /**
     * Checks every entry against its seal and the chain of seals, and names the first entry changed, inserted or
     * deleted other than by the engine (see {@code docs/security.md}). Reads the whole log: an administrative task
     * for a schedule or an audit, not for every request.
     *
     * @throws org.crmkit.error.ConfigurationException when the {@code Crm} has no {@code CHANGE_LOG_MAC} key
     *         ({@code Crm.builder().keys(...)}) or its storage keeps no seals
     */
    default ChainVerification verify() {
        throw new UnsupportedOperationException("this change log cannot be verified");
    }

    /**
     * Registers a listener called after each commit that begins once it is registered, in sequence order, on the
     * committing thread before its write returns; close the returned handle to unregister. While no listener is
     * registered, commits are not ordered for delivery, so they never wait for each other.
     */
    AutoCloseable subscribe(ChangeListener listener);
}
