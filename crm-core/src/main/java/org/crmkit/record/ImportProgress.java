package org.crmkit.record;

import java.util.List;
import java.util.Objects;
import org.crmkit.record.ImportResult.RowError;

/**
 * How far an import ({@link org.crmkit.RecordSet#importRecords(String, Iterable, ImportOptions)}) has come, told to
 * {@link ImportOptions#progress()} after each batch. The counts are totals of the run so far; {@code errors} are
 * those of the batch just done, so a listener can report or store every failed row while the run keeps none of them
 * itself.
 *
 * @param rows    rows read so far (the number of the last row of the batch)
 * @param created records created so far (in a dry run: rows that passed every check)
 * @param skipped rows an earlier run of the same import had created
 * @param failed  rows refused so far
 * @param errors  the rows of this batch that were refused, in row order
 */
public record ImportProgress(long rows, long created, long skipped, long failed, List<RowError> errors) {
    public ImportProgress {
        Objects.requireNonNull(errors, "errors");
        errors = List.copyOf(errors);
    }
}
