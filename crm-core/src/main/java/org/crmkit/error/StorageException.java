package org.crmkit.error;

/** The storage failed for a reason that is not the caller's input (the database is down, a disk is full). */
public class StorageException extends CrmException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(ErrorCode.STORAGE, message, cause);
    }

    public StorageException(String message) {
        super(ErrorCode.STORAGE, message);
    }
}
