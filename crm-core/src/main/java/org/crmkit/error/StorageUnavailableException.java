package org.crmkit.error;

/**
 * The storage could not be reached for a while: the connection to the database was lost or refused, the database is
 * shutting down or starting up, or no pooled connection became free in time. The failure is transient: the same call
 * is worth retrying after a pause (with backoff), on the same {@code Crm}, whose pool reconnects by itself once the
 * database is back.
 *
 * <p>Whether the write landed is known unless {@link #outcomeUnknown()} says otherwise. When it is {@code false} the
 * write did not happen (nothing of it is kept), so retrying it as it was is safe. When it is {@code true} the
 * connection was lost while the database was committing: the write may or may not have landed. Read the record back
 * before retrying (its version, or a value the write set), or retry with an idempotent write (an update with the
 * expected version fails with a {@link ConflictException} if the first attempt landed; an import with an import key
 * skips rows it kept already).
 *
 * <p>The code stays {@link ErrorCode#STORAGE}, so code that handles {@link StorageException} keeps working; catch
 * this subclass to retry. The message names the operation, the database and the SQL state only, never SQL text or
 * values.
 */
public class StorageUnavailableException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    /**
     * A transient failure; {@code outcomeUnknown} says the connection was lost during a commit, so the write may have
     * landed.
     */
    public StorageUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * Whether the write may have landed: {@code true} when the connection was lost while the database was
     * committing it, {@code false} when it certainly did not happen (or the call did not write).
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
