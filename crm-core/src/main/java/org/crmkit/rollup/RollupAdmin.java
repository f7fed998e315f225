package org.crmkit.rollup;

import java.util.List;

/**
 * Recalculations of roll-up fields ({@link org.crmkit.CrmAdmin#rollups()}). The engine keeps every roll-up right
 * as children change; a recalculation brings a whole field up to date at once, which the engine starts by itself
 * when a roll-up field is added or its definition changed ({@link org.crmkit.schema.Schema#changeRollup}). Start
 * one by hand after restoring data behind the engine's back, or when a node stopped in the middle of one (a
 * recalculation is not resumed after a restart).
 */
public interface RollupAdmin {
    /**
     * Starts recalculating the roll-up field {@code field} of {@code objectType} on every record of the type (soft-
     * deleted ones too), page by page in the background, each page in its own transaction that locks its records as
     * a child change would, so it runs beside ordinary writes and never loses one of theirs. The type's count and
     * sum roll-ups are recomputed with it (they move by differences from a total that a schema change makes stale),
     * so a record counts as changed when any of them changed.
     *
     * @throws org.crmkit.error.SchemaException when the type or field is unknown or not a roll-up
     */
    RecalculationJob recalculate(String objectType, String field);

    /**
     * The recalculations of this engine not yet ended and the last {@value #ENDED_KEPT} that ended, in the order
     * they were started.
     */
    List<RecalculationJob> jobs();

    /** How many ended recalculations {@link #jobs()} keeps. */
    int ENDED_KEPT = 32;
}
