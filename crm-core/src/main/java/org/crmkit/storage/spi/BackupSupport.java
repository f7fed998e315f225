package org.crmkit.storage.spi;

/**
 * Backups and restores: an optional extension of a storage ({@code storage.extension(BackupSupport.class)}); the
 * in-memory and JDBC storages offer it. A backup reads everything through one {@link StorageSnapshot}; a restore
 * writes through one {@link RestoreTarget}. Without it, {@code crm.admin().backup} and {@code restore} are refused.
 */
public interface BackupSupport {
    /**
     * Opens a read-only view of everything committed, frozen at one moment while writers go on (a REPEATABLE READ or
     * snapshot transaction on SQL). The caller closes it.
     */
    StorageSnapshot openSnapshot();

    /** Opens the target a restore writes into. The caller closes it. */
    RestoreTarget openRestoreTarget();
}
