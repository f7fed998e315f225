package org.crmkit.record;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.error.FieldError;

/**
 * What {@link org.crmkit.RecordSet#importRecords(String, Iterable, ImportOptions)} did with each row it read.
 * Rows are numbered from 1 in iteration order; every row read is in exactly one of {@link #createdIds()},
 * {@link #skippedIds()} and {@link #errors()}.
 *
 * <p>After a dry run ({@link ImportOptions#dryRun()}) nothing was written: {@link #createdIds()} holds the rows
 * that passed every check, with the ids their records would have had. A dry run checks each row as the create
 * pipeline does (conversion, required fields, references, record rules, access, duplicate rules), and unique values
 * as the storage would have: against stored records (soft-deleted ones and those the principal cannot see
 * included, as a create reports them), against earlier rows of the batch, and against earlier rows of the run (up to
 * 100,000 values remembered, then within a batch only). Rows an earlier real run created are skipped as usual. It
 * cannot see what a rule would make of rows the run would have created, nor concurrent writers.
 *
 * @param createdIds row number to the id of the record this run created from it
 * @param skippedIds row number to the id of the record an earlier run of the same import created from it (it was
 *                   not created again)
 * @param errors     the rows that were not written, in row order
 * @param stopped    whether rows were left unread because {@link ImportOptions#stopAfterErrors()} rows failed
 * @param duplicates row number to the possible duplicates found for it, for rows created while their type's duplicate
 *                   rules are in {@link org.crmkit.duplicate.DuplicateMode#WARN} mode (in BLOCK mode such a row is an
 *                   error, {@code DUPLICATE} on {@value FieldError#RECORD}); candidates include earlier rows of the
 *                   same batch
 */
public record ImportResult(Map<Long, UUID> createdIds, Map<Long, UUID> skippedIds, List<RowError> errors,
        boolean stopped, Map<Long, List<org.crmkit.duplicate.DuplicateCandidate>> duplicates) {

    /** A result without duplicates. */
    public ImportResult(Map<Long, UUID> createdIds, Map<Long, UUID> skippedIds, List<RowError> errors,
            boolean stopped) {
        this(createdIds, skippedIds, errors, stopped, Map.of());
    }

    public ImportResult {
        Objects.requireNonNull(createdIds, "createdIds");
        Objects.requireNonNull(skippedIds, "skippedIds");
        Objects.requireNonNull(errors, "errors");
        createdIds = Collections.unmodifiableSortedMap(new TreeMap<>(createdIds));
        skippedIds = Collections.unmodifiableSortedMap(new TreeMap<>(skippedIds));
        errors = errors.stream().sorted(Comparator.comparingLong(RowError::row)).toList();
        Objects.requireNonNull(duplicates, "duplicates");
        duplicates = Collections.unmodifiableSortedMap(new TreeMap<>(duplicates));
    }

    /** How many records this run created. */
    public int created() {
        return createdIds.size();
    }

    /** How many rows an earlier run of the same import had created already. */
    public int skipped() {
        return skippedIds.size();
    }

    /** How many rows were refused. */
    public int failed() {
        return errors.size();
    }

    /**
     * A row that was not written, with every problem found in it: the {@link FieldError}s that
     * {@link org.crmkit.RecordSet#create} would have thrown for it ({@code NOT_UNIQUE} included), or a
     * {@code REQUIRED} error on {@value FieldError#RECORD} for a null row.
     *
     * @param row    the row number, from 1
     * @param errors the problems, never empty
     */
    public record RowError(long row, List<FieldError> errors) {
        public RowError {
            Objects.requireNonNull(errors, "errors");
            errors = List.copyOf(errors);
        }
    }
}
