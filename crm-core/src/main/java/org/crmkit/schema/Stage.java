package org.crmkit.schema;

import java.util.Objects;

/**
 * One stage of a pipeline.
 *
 * @param name        API value stored in the deal's {@code stage} field
 * @param label       what people see
 * @param probability win probability 0..100 given to deals entering the stage
 * @param kind        open, won or lost
 */
public record Stage(String name, String label, int probability, StageKind kind) {
    public Stage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
    }

    public static Stage open(String name, String label, int probability) {
        return new Stage(name, label, probability, StageKind.OPEN);
    }

    public static Stage won(String name, String label) {
        return new Stage(name, label, 100, StageKind.WON);
    }

    public static Stage lost(String name, String label) {
        return new Stage(name, label, 0, StageKind.LOST);
    }

    public boolean isClosed() {
        return kind != StageKind.OPEN;
    }
}
