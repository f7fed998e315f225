package org.crmkit.schema;

import java.util.Objects;

/**
 * Where a deal counts in a forecast, as Salesforce's forecast categories: every {@link Stage} has one and a deal's
 * category is its stage's. Open stages are {@link #PIPELINE}, {@link #BEST_CASE}, {@link #COMMIT} or
 * {@link #OMITTED}; won stages are {@link #CLOSED}; lost stages are {@link #OMITTED}.
 */
public enum ForecastCategory {
    /** Open, early: may close, not counted on yet. */
    PIPELINE,
    /** Open, likely: the best case if things go well. */
    BEST_CASE,
    /** Open, committed: expected to close. */
    COMMIT,
    /** Won. */
    CLOSED,
    /** Left out of the forecast: lost deals, and open stages chosen not to count. */
    OMITTED;

    /**
     * The category a stage gets when none is given: won {@link #CLOSED}, lost {@link #OMITTED}; open by its
     * probability: 70 or more {@link #COMMIT}, 40 or more {@link #BEST_CASE}, else {@link #PIPELINE}.
     */
    public static ForecastCategory derived(StageKind kind, int probability) {
        Objects.requireNonNull(kind, "kind");
        return switch (kind) {
            case WON -> CLOSED;
            case LOST -> OMITTED;
            case OPEN -> probability >= 70 ? COMMIT : probability >= 40 ? BEST_CASE : PIPELINE;
        };
    }

    /**
     * Whether a stage of {@code kind} may have this category: won stages only {@link #CLOSED}, lost stages only
     * {@link #OMITTED}, open stages any but {@link #CLOSED}.
     */
    public boolean fits(StageKind kind) {
        Objects.requireNonNull(kind, "kind");
        return switch (kind) {
            case WON -> this == CLOSED;
            case LOST -> this == OMITTED;
            case OPEN -> this != CLOSED;
        };
    }
}
