package org.crmkit.schema;

import java.util.Objects;

/**
 * One stage of a pipeline.
 *
 * @param name             API value stored in the deal's {@code stage} field
 * @param label            what people see
 * @param probability      win probability 0..100 given to deals entering the stage
 * @param kind             open, won or lost
 * @param forecastCategory where deals in this stage count in a forecast; must fit the kind
 *                         ({@link ForecastCategory#fits}, checked when the pipeline is saved)
 */
public record Stage(String name, String label, int probability, StageKind kind, ForecastCategory forecastCategory) {
    public Stage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(forecastCategory, "forecastCategory");
    }

    /** A stage with the forecast category its kind and probability give ({@link ForecastCategory#derived}). */
    public Stage(String name, String label, int probability, StageKind kind) {
        this(name, label, probability, kind, ForecastCategory.derived(Objects.requireNonNull(kind, "kind"),
                probability));
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

    /** This stage in another forecast category. */
    public Stage withForecastCategory(ForecastCategory category) {
        Objects.requireNonNull(category, "category");
        return new Stage(name, label, probability, kind, category);
    }

    public boolean isClosed() {
        return kind != StageKind.OPEN;
    }
}
