package org.crmkit.storage.memory.internal;

import org.jspecify.annotations.Nullable;

/**
 * One committed record as the in-memory storage keeps it ({@link RowCodec}): the principals as shared strings and
 * everything else in one byte array, version and timestamps first, then the values from {@link #valuesAt} to the
 * end. The id is the table's key and the type the table's.
 */
final class StoredRow {
    final String owner;
    final @Nullable String team;
    final String createdBy;
    final String updatedBy;
    final byte[] data;
    /** Where the values start in {@link #data}: (field number, value) pairs in field-name order up to the end. */
    final int valuesAt;
    /** The values that were not encoded ({@link ValueCodec}), or null when there are none. */
    final Object @Nullable [] extras;

    StoredRow(String owner, @Nullable String team, String createdBy, String updatedBy, byte[] data, int valuesAt,
            Object @Nullable [] extras) {
        this.owner = owner;
        this.team = team;
        this.createdBy = createdBy;
        this.updatedBy = updatedBy;
        this.data = data;
        this.valuesAt = valuesAt;
        this.extras = extras;
    }
}
