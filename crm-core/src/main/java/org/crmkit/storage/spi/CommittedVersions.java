package org.crmkit.storage.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What the engine checks before every operation to see whether another session or node changed the schema or the
 * access model: the committed schema version and the revisions of some {@link DocumentStore} kinds, read together
 * ({@link Storage#committedVersions}).
 *
 * @param schemaVersion the newest committed schema version, or {@link #UNKNOWN} when the storage did not read it
 * @param revisions each asked-for document kind's revision ({@link DocumentStore#revision}), 0 for a kind never
 *     saved; empty for a storage without documents
 */
public record CommittedVersions(long schemaVersion, Map<String, Long> revisions) {
    /** The schema version of a storage that does not read it with the revisions. */
    public static final long UNKNOWN = -1;

    public CommittedVersions {
        revisions = Map.copyOf(Objects.requireNonNull(revisions, "revisions"));
    }
}
