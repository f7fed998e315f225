package org.crmkit.error;

/**
 * Root of every error CRMKit throws. Unchecked; carries a stable {@link ErrorCode} and a message that names
 * its context (object type, record id, field).
 */
public class CrmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public CrmException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public CrmException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The stable code of this error, for programs; the message is for people. */
    public ErrorCode code() {
        return code;
    }
}
