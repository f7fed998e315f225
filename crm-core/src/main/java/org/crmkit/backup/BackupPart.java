package org.crmkit.backup;

import java.util.Objects;

/**
 * One part (zip entry) of a backup archive, as its manifest lists it.
 *
 * @param name   the entry's name, e.g. {@code records/deal.jsonl}
 * @param count  how many lines (items) it holds; 1 for a single JSON document
 * @param size   its size in bytes, uncompressed
 * @param sha256 the SHA-256 of its uncompressed bytes, lower-case hex
 */
public record BackupPart(String name, long count, long size, String sha256) {
    public BackupPart {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        if (count < 0 || size < 0) {
            throw new IllegalArgumentException("count and size are never negative");
        }
    }
}
