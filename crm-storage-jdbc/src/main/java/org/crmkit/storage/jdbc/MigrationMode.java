package org.crmkit.storage.jdbc;

/** Who runs the Flyway migrations that create CRMKit's system tables. */
public enum MigrationMode {
    /** CRMKit migrates its system tables when the storage starts (the default). */
    APPLY,
    /**
     * The host runs the migrations itself (from {@code classpath:org/crmkit/storage/jdbc/migration/<dialect>}, with
     * the placeholder {@code prefix}); CRMKit only validates on start and refuses to run on missing or changed
     * migrations.
     */
    VALIDATE
}
