package org.crmkit.backup;

import java.util.Objects;

/**
 * What a restore wrote.
 *
 * @param manifest         the archive's manifest
 * @param point            the point restored to
 * @param restoredSequence the last change-log sequence restored (the archive's snapshot sequence, or the earlier
 *                         one the point names); the target's next entry follows it
 * @param records          records written, soft-deleted ones included
 * @param changeLogEntries change-log entries written
 * @param undoneEntries    entries after the point that were undone (0 for {@link RestorePoint#latest()})
 */
public record RestoreResult(BackupManifest manifest, RestorePoint point, long restoredSequence, long records,
        long changeLogEntries, long undoneEntries) {
    public RestoreResult {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(point, "point");
    }
}
