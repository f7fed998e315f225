package org.crmkit.error;

import java.util.UUID;

/**
 * The record asked for was merged into another one ({@code RecordSet.merge}) and soft-deleted: {@link #survivorId()}
 * is the record it went into, the one to read instead. A {@link NotFoundException} with the code
 * {@link ErrorCode#RECORD_MERGED}, so code that handles absence keeps working. It is thrown only when the caller may
 * see both records (the merged one and, live, the survivor); otherwise the caller gets the plain
 * {@link NotFoundException} it would get for any missing record, and learns nothing of the merge.
 */
public class RecordMergedException extends NotFoundException {
    private static final long serialVersionUID = 1L;

    private final UUID survivorId;

    public RecordMergedException(String objectType, UUID recordId, UUID survivorId) {
        super(ErrorCode.RECORD_MERGED, objectType, recordId, objectType + " " + recordId + " was merged into "
                + objectType + " " + survivorId);
        this.survivorId = survivorId;
    }

    /** The live record this one was merged into (following merges of merges to the last one). */
    public UUID survivorId() {
        return survivorId;
    }
}
