package org.crmkit.rollup;

import java.util.concurrent.CompletionStage;

/** A recalculation of one roll-up field running in the background: how far it is, its outcome, a way to stop it. */
public interface RecalculationJob {
    /** The type holding the roll-up field. */
    String objectType();

    /** The roll-up field. */
    String field();

    /** The latest progress, reported after each page of records and once at the end. */
    RecalculationProgress progress();

    /**
     * Completes with the last progress when every record was recalculated; exceptionally with a
     * {@link java.util.concurrent.CancellationException} when it was cancelled (or its {@code Crm} closed), or with the
     * {@link org.crmkit.error.CrmException} that ended it.
     */
    CompletionStage<RecalculationProgress> result();

    /**
     * Stops the recalculation before its next page; the pages done stay done (each value is exact when written).
     *
     * @return whether it was still running
     */
    boolean cancel();
}
