package org.crmkit.storage.spi;

/**
 * The engine's part in sealing one change-log entry at commit
 * ({@link StorageTransaction#appendChange(org.crmkit.event.ChangeLogEntry, ChangeSealing)}): the storage, which
 * hands out the sequence under its change-log lock, asks for the link with the previous seal's link and stores
 * the resulting {@link ChangeSeal}. The key never reaches the storage.
 */
public interface ChangeSealing {
    /** The MAC of the entry, computed when it was appended. */
    String digest();

    /**
     * The chain's link for this entry at {@code sequence}.
     *
     * @param previousLink the link of the seal of {@code sequence - 1}, or the empty string when there is none (the
     *                     first sealed entry)
     */
    String link(String previousLink, long sequence);
}
