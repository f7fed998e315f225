package org.crmkit.error;

import java.util.UUID;

/**
 * A write lost a race: the record's version was not the one the caller expected (or a concurrent transaction
 * committed first). Reload the record and retry.
 */
public class ConflictException extends CrmException {
    private static final long serialVersionUID = 1L;

    private final String objectType;
    private final UUID recordId;
    private final long expectedVersion;
    private final long actualVersion;

    public ConflictException(String objectType, UUID recordId, long expectedVersion, long actualVersion) {
        this(objectType, recordId, expectedVersion, actualVersion, objectType + " " + recordId + " is at version "
                + actualVersion + ", not the expected version " + expectedVersion);
    }

    /** A conflict the versions alone do not explain (a record written meanwhile that the change did not expect). */
    public ConflictException(String objectType, UUID recordId, long expectedVersion, long actualVersion,
            String message) {
        super(ErrorCode.CONFLICT, message);
        this.objectType = objectType;
        this.recordId = recordId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public String objectType() {
        return objectType;
    }

    public UUID recordId() {
        return recordId;
    }

    /** The version the caller said it was updating. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version the record had when the write was refused ({@code -1} when it was purged meanwhile). */
    public long actualVersion() {
        return actualVersion;
    }
}
