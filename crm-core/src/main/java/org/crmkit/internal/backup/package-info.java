/**
 * Backups and restores ({@code crm.admin().backup}, {@code restore}): the archive layout and its JSON lines
 * ({@link org.crmkit.internal.backup.ArchiveLayout}, {@link org.crmkit.internal.backup.BackupCodec}), writing one
 * ({@link org.crmkit.internal.backup.BackupWriter}), checking one before anything is written
 * ({@link org.crmkit.internal.backup.ArchiveReader}), and restoring it, at its snapshot or at an earlier point
 * ({@link org.crmkit.internal.backup.Restorer}, {@link org.crmkit.internal.backup.PointInTime}).
 */
@NullMarked
package org.crmkit.internal.backup;

import org.jspecify.annotations.NullMarked;
