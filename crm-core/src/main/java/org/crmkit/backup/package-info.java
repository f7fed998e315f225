/**
 * Backups and restores of a whole CRM ({@code crm.admin().backup(path)}, {@code restore(path, point)}): a versioned,
 * compressed archive of one consistent snapshot, described by its {@link org.crmkit.backup.BackupManifest}, and the
 * {@link org.crmkit.backup.RestorePoint} a restore brings the data back to (the snapshot itself, or an earlier
 * instant or change-log sequence). See {@code docs/backup.md}.
 */
@NullMarked
package org.crmkit.backup;

import org.jspecify.annotations.NullMarked;
