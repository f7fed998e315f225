package org.crmkit.backup;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backup archive holds ({@code manifest.json}): written last, checked first by a restore.
 *
 * @param formatVersion    the archive format's version ({@link #FORMAT_VERSION} when written by this CRMKit); a
 *                         restore refuses a newer one
 * @param crmkitVersion    the CRMKit version that wrote it ("development" outside a released jar)
 * @param createdAt        when the snapshot was taken (the engine's clock)
 * @param storage          the storage it was taken from ("memory", "h2", "postgresql", "mariadb")
 * @param snapshotSequence the last change-log sequence of the snapshot; the archive's change log ends exactly there
 * @param schemaVersion    the schema version of the snapshot
 * @param parts            every other entry of the archive, with its count, size and checksum
 */
public record BackupManifest(int formatVersion, String crmkitVersion, Instant createdAt, String storage,
        long snapshotSequence, long schemaVersion, List<BackupPart> parts) {
    /** The archive format this CRMKit writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 2;

    public BackupManifest {
        Objects.requireNonNull(crmkitVersion, "crmkitVersion");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(storage, "storage");
        parts = List.copyOf(parts);
    }

    /** The part of that name, if the archive has one. */
    public Optional<BackupPart> part(String name) {
        Objects.requireNonNull(name, "name");
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** How many records the archive holds, of every type, soft-deleted ones included. */
    public long records() {
        return parts.stream().filter(p -> p.name().startsWith("records/")).mapToLong(BackupPart::count).sum();
    }
}
