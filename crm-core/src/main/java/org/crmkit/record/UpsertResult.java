package org.crmkit.record;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.record.ImportResult.RowError;

/**
 * What {@link org.crmkit.RecordSet#upsert(String, Iterable, ImportOptions)} did with each row it read. Rows are
 * numbered from 1 in iteration order; every row read is in exactly one of {@link #createdIds()},
 * {@link #updatedIds()}, {@link #unchangedIds()} and {@link #errors()}.
 *
 * @param createdIds   row number to the id of the record created from it (no live record had its key)
 * @param updatedIds   row number to the id of the record it updated (the live record with its key)
 * @param unchangedIds row number to the id of the record with its key that already held every value it gives
 * @param errors       the rows that were not written, in row order, each with every problem found in it
 * @param stopped      whether rows were left unread because {@link ImportOptions#stopAfterErrors()} rows failed
 */
public record UpsertResult(Map<Long, UUID> createdIds, Map<Long, UUID> updatedIds, Map<Long, UUID> unchangedIds,
        List<RowError> errors, boolean stopped) {
    public UpsertResult {
        Objects.requireNonNull(createdIds, "createdIds");
        Objects.requireNonNull(updatedIds, "updatedIds");
        Objects.requireNonNull(unchangedIds, "unchangedIds");
        Objects.requireNonNull(errors, "errors");
        createdIds = Collections.unmodifiableSortedMap(new TreeMap<>(createdIds));
        updatedIds = Collections.unmodifiableSortedMap(new TreeMap<>(updatedIds));
        unchangedIds = Collections.unmodifiableSortedMap(new TreeMap<>(unchangedIds));
        errors = errors.stream().sorted(Comparator.comparingLong(RowError::row)).toList();
    }

    /** How many records were created. */
    public int created() {
        return createdIds.size();
    }

    /** How many records were updated. */
    public int updated() {
        return updatedIds.size();
    }

    /** How many rows were refused. */
    public int failed() {
        return errors.size();
    }
}
