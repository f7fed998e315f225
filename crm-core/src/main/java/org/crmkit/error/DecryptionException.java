package org.crmkit.error;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored value of an encrypted field could not be decrypted: it was copied from another record or field (its
 * associated data binds it to type, field and record), altered, or encrypted with a key the key provider no longer
 * has. The message names the type, field and record, never the value or a key. Code {@link ErrorCode#STORAGE}.
 */
public class DecryptionException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String objectType;
    private final String field;
    private final @Nullable UUID recordId;

    public DecryptionException(String objectType, String field, @Nullable UUID recordId, String reason) {
        super(ErrorCode.STORAGE, "cannot decrypt " + objectType + "." + field
                + (recordId == null ? "" : " of record " + recordId) + ": " + reason);
        this.objectType = Objects.requireNonNull(objectType, "objectType");
        this.field = Objects.requireNonNull(field, "field");
        this.recordId = recordId;
    }

    public String objectType() {
        return objectType;
    }

    public String field() {
        return field;
    }

    /** The record the value belongs to; null for a query literal or search token. */
    public @Nullable UUID recordId() {
        return recordId;
    }
}
