package org.crmkit.storage.memory.internal;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One committed change-log entry as the in-memory storage keeps it ({@link EntryCodec}): sequence, record and the
 * shared strings as fields, the rest in bytes. A create's entry may share the bytes of its record's row
 * ({@link #lead}) for the changes that set its values.
 */
final class StoredEntry {
    final long sequence;
    final UUID recordId;
    final String principalId;
    final String objectType;
    /** Time, operation, version, transaction, then the other changes as (field, old, new) up to the end. */
    final byte[] data;
    /** The leading changes, each from null to a value, as (field, value) pairs from {@link #leadAt} to the end. */
    final byte @Nullable [] lead;
    final int leadAt;
    /** The values that were not encoded ({@link ValueCodec}), or null when there are none. */
    final Object @Nullable [] extras;

    StoredEntry(long sequence, UUID recordId, String principalId, String objectType, byte[] data,
            byte @Nullable [] lead, int leadAt, Object @Nullable [] extras) {
        this.sequence = sequence;
        this.recordId = recordId;
        this.principalId = principalId;
        this.objectType = objectType;
        this.data = data;
        this.lead = lead;
        this.leadAt = leadAt;
        this.extras = extras;
    }
}
