package org.crmkit.schema;

/** Whether a pipeline stage is still open or closes the deal as won or lost. */
public enum StageKind {
    OPEN,
    WON,
    LOST
}
