package org.crmkit.data.csv;

/**
 * How far a CSV import has come, told to {@link CsvImport#onProgress} after each batch (committed, or checked in a
 * dry run). Counts are totals of this run so far.
 *
 * @param line       the line where the last row of the batch starts
 * @param rows       data rows read so far
 * @param created    records created so far (in a dry run: rows that passed every check)
 * @param skipped    rows an earlier run of the same import had created
 * @param failed     rows refused so far
 * @param bytesRead  bytes of the input read so far (the parser reads ahead a little); 0 for a {@link java.io.Reader}
 * @param totalBytes the size of the input when known (a file), otherwise -1
 */
public record CsvImportProgress(long line, long rows, long created, long skipped, long failed, long bytesRead,
        long totalBytes) {}
