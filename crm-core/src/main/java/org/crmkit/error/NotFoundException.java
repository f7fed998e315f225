package org.crmkit.error;

import java.util.UUID;

/** No such record or object type, or none the caller may see: the two are indistinguishable on purpose. */
public class NotFoundException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String objectType;
    private final UUID recordId;

    public NotFoundException(String objectType, UUID recordId) {
        this(ErrorCode.NOT_FOUND, objectType, recordId, objectType + " " + recordId + " not found");
    }

    /** For subclasses that say more about why the record is not there ({@link RecordMergedException}). */
    protected NotFoundException(ErrorCode code, String objectType, UUID recordId, String message) {
        super(code, message);
        this.objectType = objectType;
        this.recordId = recordId;
    }

    public String objectType() {
        return objectType;
    }

    public UUID recordId() {
        return recordId;
    }
}
