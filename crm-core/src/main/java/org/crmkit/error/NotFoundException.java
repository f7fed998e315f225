package org.crmkit.error;

import java.util.UUID;

/** No such record or object type, or none the caller may see: the two are indistinguishable on purpose. */
public class NotFoundException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String objectType;
    private final UUID recordId;

    public NotFoundException(String objectType, UUID recordId) {
        super(ErrorCode.NOT_FOUND, objectType + " " + recordId + " not found");
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
