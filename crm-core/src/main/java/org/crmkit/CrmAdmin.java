package org.crmkit;

import org.crmkit.annotations.Incubating;
import org.crmkit.search.SearchIndex;

/**
 * Operations for administrators and operators rather than for application code: the search index, duplicate scans,
 * roll-up recalculations, backups and restores.
 */
public interface CrmAdmin {
    /** The search index: how far it is, waiting for it, rebuilding it. */
    @Incubating
    SearchIndex searchIndex();

    /** Duplicate scans of existing data. */
    org.crmkit.duplicate.DuplicateAdmin duplicates();

    /**
     * Stored roles, the role hierarchy, users and sharing rules, changed as the system principal. CRMKit's engine
     * implements it; the default refuses.
     */
    default org.crmkit.security.AccessAdmin access() {
        throw new UnsupportedOperationException("stored roles are not supported by " + getClass().getName());
    }

    /**
     * Recalculations of roll-up fields. CRMKit's engine implements it; the default refuses.
     */
    default org.crmkit.rollup.RollupAdmin rollups() {
        throw new UnsupportedOperationException("roll-ups are not supported by " + getClass().getName());
    }

    /**
     * Writes a backup of everything the storage holds (schema history, records with soft-deleted ones, change log,
     * documents such as rules and reports, merge links, the import ledger) from one consistent snapshot, while writes
     * go on, to a new file at {@code path} (an existing file is refused). Streams: memory does not grow with the data.
     * CRMKit's engine implements it; the default refuses.
     *
     * @throws org.crmkit.error.BackupException when the file cannot be written or the storage takes no snapshots
     */
    default org.crmkit.backup.BackupManifest backup(java.nio.file.Path path) {
        throw new UnsupportedOperationException("backups are not supported by " + getClass().getName());
    }

    /**
     * Checks a backup archive without restoring it (manifest, format version, entry names, every part's size and
     * checksum, every line) and returns its manifest. CRMKit's engine implements it; the default refuses.
     *
     * @throws org.crmkit.error.BackupException naming what is wrong
     */
    default org.crmkit.backup.BackupManifest verifyBackup(java.nio.file.Path path) {
        throw new UnsupportedOperationException("backups are not supported by " + getClass().getName());
    }

    /** {@link #restore(java.nio.file.Path, org.crmkit.backup.RestorePoint)} at the archive's snapshot. */
    default org.crmkit.backup.RestoreResult restore(java.nio.file.Path path) {
        return restore(path, org.crmkit.backup.RestorePoint.latest());
    }

    /**
     * Restores a backup into this {@code Crm}'s storage, which must be empty (no records, change-log entries,
     * documents, and the schema a new {@code Crm} creates): the whole archive is verified first, then written, with
     * every record's id, version, owner and time stamps, and the change log with its sequences, up to {@code point}.
     * Summaries and the search index are rebuilt. A refused archive changes nothing; a restore that fails while
     * writing empties the storage again. CRMKit's engine implements it; the default refuses.
     *
     * @throws org.crmkit.error.BackupException naming what was refused
     */
    default org.crmkit.backup.RestoreResult restore(java.nio.file.Path path, org.crmkit.backup.RestorePoint point) {
        throw new UnsupportedOperationException("restores are not supported by " + getClass().getName());
    }

    /**
     * Field encryption: key rotation and the keys in use (see {@code docs/security.md}).
     *
     * @throws org.crmkit.error.ConfigurationException when the {@code Crm} was built without a key provider
     */
    default org.crmkit.keys.EncryptionAdmin encryption() {
        throw new UnsupportedOperationException("encryption is not supported by " + getClass().getName());
    }

    /** {@link #health(org.crmkit.health.HealthBounds)} with {@link org.crmkit.health.HealthBounds#defaults()}. */
    default org.crmkit.health.Health health() {
        return health(org.crmkit.health.HealthBounds.defaults());
    }

    /**
     * Checks every part: the storage (reachable: one read), the search index (following the log, lag within
     * {@code bounds}), and what plug-ins contribute (the workflow's dead letters, relays' lag). Never throws for a
     * part that is down, nor on a closed {@code Crm} (whose storage is reported {@code DOWN}), so an orchestrator's
     * probe can call it from a handle kept since start. CRMKit's engine implements it; the default refuses.
     */
    default org.crmkit.health.Health health(org.crmkit.health.HealthBounds bounds) {
        throw new UnsupportedOperationException("health checks are not supported by " + getClass().getName());
    }

    /**
     * Tells {@code listener} of every session operation from now on (see
     * {@link org.crmkit.observe.OperationListener}); closing the handle stops it. CRMKit's engine implements it; the
     * default refuses.
     */
    default AutoCloseable observe(org.crmkit.observe.OperationListener listener) {
        throw new UnsupportedOperationException("operation listeners are not supported by " + getClass().getName());
    }

    /** The record cache's hit and miss counts. CRMKit's engine implements it; the default refuses. */
    default org.crmkit.observe.CacheStats recordCacheStats() {
        throw new UnsupportedOperationException("cache statistics are not supported by " + getClass().getName());
    }

    /**
     * The storage's connection pool, when the storage owns one ({@code JdbcStorage} built with a URL); empty for a
     * pool the host owns or a storage without one.
     */
    default java.util.Optional<org.crmkit.observe.PoolStats> connectionPool() {
        return java.util.Optional.empty();
    }
}
