package org.crmkit.storage.spi;

import java.util.Objects;
import java.util.UUID;

/**
 * One row of the import ledger ({@link StorageFeature#IMPORT_LEDGER}): row {@code row} of the import {@code key}
 * created the record {@code recordId}.
 *
 * @param key      the import
 * @param row      the row number
 * @param recordId the record it created
 */
public record ImportedRow(ImportKey key, long row, UUID recordId) {
    public ImportedRow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(recordId, "recordId");
    }
}
