package org.crmkit.search;

import java.util.Objects;
import org.crmkit.annotations.Incubating;

/**
 * How far a rebuild of the search index is, reported after each batch and once at the end of each object type.
 *
 * @param objectType the type being indexed
 * @param indexed    records of that type indexed so far
 * @param total      records of that type when the rebuild began
 * @param done       whether the whole rebuild has finished (the last report)
 */
@Incubating
public record RebuildProgress(String objectType, long indexed, long total, boolean done) {
    public RebuildProgress {
        Objects.requireNonNull(objectType, "objectType");
    }
}
