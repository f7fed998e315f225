package org.crmkit.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sales pipeline: ordered stages a deal moves through. A deal names its pipeline in {@code pipeline} and its
 * stage in {@code stage}; the stage must belong to the pipeline, and moving to a stage sets the deal's
 * probability to the stage's unless the same write sets one.
 */
public record Pipeline(String name, String label, List<Stage> stages) {
    /** The pipeline every CRM starts with. */
    public static final String DEFAULT = "sales";

    public Pipeline {
        Objects.requireNonNull(stages, "stages");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        stages = List.copyOf(stages);
    }

    public Optional<Stage> stage(String stageName) {
        Objects.requireNonNull(stageName, "stageName");
        return stages.stream().filter(s -> s.name().equals(stageName)).findFirst();
    }

    /** Position of the stage in the pipeline, or -1. */
    public int indexOf(String stageName) {
        Objects.requireNonNull(stageName, "stageName");
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(stageName)) {
                return i;
            }
        }
        return -1;
    }
}
