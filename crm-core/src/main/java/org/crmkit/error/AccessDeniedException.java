package org.crmkit.error;

/** The principal's roles do not allow the operation (object permission, field permission or owner transfer). */
public class AccessDeniedException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String principalId;
    private final String objectType;

    public AccessDeniedException(String principalId, String objectType, String what) {
        super(ErrorCode.ACCESS_DENIED, principalId + " may not " + what + " (" + objectType + ")");
        this.principalId = principalId;
        this.objectType = objectType;
    }

    public String principalId() {
        return principalId;
    }

    public String objectType() {
        return objectType;
    }
}
