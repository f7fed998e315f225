package org.crmkit.error;

/** Stable codes of {@link CrmException}s, grouped by what the caller does about them. */
public enum ErrorCode {
    /** The input was invalid: fix it (see {@link ValidationException#errors()}). */
    VALIDATION_FAILED,
    /** Someone else changed the record first: reload and retry. */
    CONFLICT,
    /** The record or object type does not exist, or is outside the caller's reach. */
    NOT_FOUND,
    /** The write would have made a duplicate ({@link org.crmkit.duplicate.DuplicateException}): link or merge instead. */
    DUPLICATE,
    /**
     * The record was merged into another one ({@link RecordMergedException#survivorId()}): read that one instead.
     * Thrown as a {@link NotFoundException}, so code that handles absence keeps working.
     */
    RECORD_MERGED,
    /** The caller may not do this. */
    ACCESS_DENIED,
    /** A schema change or schema lookup was refused. */
    SCHEMA,
    /** The {@code Crm} was configured wrongly. */
    CONFIGURATION,
    /** The storage failed for a reason that is not the caller's input. */
    STORAGE,
    /** The {@code Crm} or session was used after it was closed, or a transaction after it ended. */
    CLOSED,
    /** The lead was converted already: it converts once (see {@link LeadConvertedException}). */
    ALREADY_CONVERTED,
    /** A backup archive was refused or a restore could not proceed (see {@link BackupException}). */
    BACKUP
}
