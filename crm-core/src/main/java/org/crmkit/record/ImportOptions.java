package org.crmkit.record;

/**
 * How {@link org.crmkit.RecordSet#importRecords(String, Iterable, ImportOptions)} runs. Checked when the import
 * starts: a value out of range is a {@link org.crmkit.error.ValidationException} naming the option.
 *
 * <pre>{@code
 * ImportResult r = contacts.importRecords("crm-2024-06.csv", rows,
 *         ImportOptions.defaults().batchSize(500).stopAfterErrors(100));
 * }</pre>
 *
 * @param batchSize       how many rows are written per transaction, 1 to {@value #MAX_BATCH_SIZE}
 * @param stopAfterErrors the import reads no further rows once this many have failed (it finishes the batch in
 *                        which that happened); at least 1, {@link Integer#MAX_VALUE} for never
 */
public record ImportOptions(int batchSize, int stopAfterErrors) {
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    public static final int MAX_BATCH_SIZE = 10_000;

    /** Batches of {@value #DEFAULT_BATCH_SIZE} rows; never stops for errors. */
    public static ImportOptions defaults() {
        return new ImportOptions(DEFAULT_BATCH_SIZE, Integer.MAX_VALUE);
    }

    public ImportOptions batchSize(int rows) {
        return new ImportOptions(rows, stopAfterErrors);
    }

    public ImportOptions stopAfterErrors(int failedRows) {
        return new ImportOptions(batchSize, failedRows);
    }
}
