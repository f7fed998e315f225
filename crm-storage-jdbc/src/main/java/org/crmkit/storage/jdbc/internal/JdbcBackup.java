package org.crmkit.storage.jdbc.internal;

import org.crmkit.storage.spi.BackupSupport;
import org.crmkit.storage.spi.RestoreTarget;
import org.crmkit.storage.spi.StorageSnapshot;

/**
 * Backups and restores on SQL: a {@link JdbcSnapshot} reads in one read-only transaction that sees one snapshot
 * (REPEATABLE READ on PostgreSQL and MariaDB/InnoDB, SNAPSHOT on H2), a {@link JdbcRestoreTarget} writes.
 */
public final class JdbcBackup implements BackupSupport {
    private final JdbcStore store;

    public JdbcBackup(JdbcStore store) {
        this.store = store;
    }

    @Override
    public StorageSnapshot openSnapshot() {
        return JdbcSnapshot.open(store);
    }

    @Override
    public RestoreTarget openRestoreTarget() {
        store.checkOpen();
        return new JdbcRestoreTarget(store);
    }
}
