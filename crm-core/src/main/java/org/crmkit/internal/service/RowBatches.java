package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.record.ImportResult.RowError;

/**
 * The rows of an import or upsert ({@link RecordImport}, {@link RecordUpsert}) read batch by batch, numbered from 1
 * in iteration order; a null row is reported as an error and left out of its batch.
 */
final class RowBatches {
    /** One row and its number. */
    record Row(long number, Map<String, ?> values) {}

    private final Iterator<? extends Map<String, ?>> rows;
    private long number;

    RowBatches(Iterable<? extends Map<String, ?>> rows) {
        this.rows = rows.iterator();
    }

    /** How many rows were read so far (the number of the last). */
    long read() {
        return number;
    }

    boolean hasNext() {
        return rows.hasNext();
    }

    /**
     * Reads up to {@code size} rows: a null one is added to {@code errors}, one {@code skip} accepts (by number) is
     * left out, the others make the batch.
     */
    List<Row> next(int size, LongPredicate skip, List<RowError> errors) {
        List<Row> batch = new ArrayList<>();
        while (batch.size() < size && rows.hasNext()) {
            Map<String, ?> values = rows.next();
            number++;
            if (values == null) {
                errors.add(new RowError(number, List.of(new FieldError(FieldError.RECORD, FieldErrorCode.REQUIRED,
                        "the row is null"))));
            } else if (!skip.test(number)) {
                batch.add(new Row(number, values));
            }
        }
        return batch;
    }
}
