package org.crmkit.data.csv;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a CSV import did. Holds totals and at most {@link CsvImport#keepErrors(int)} errors, so its size does not
 * grow with the file; every rejected row goes to {@link CsvImport#rejectedRows}. Every data row read is counted in
 * exactly one of {@code created}, {@code skipped} and {@code failed}.
 *
 * @param importId       the import's id
 * @param dryRun         whether this was a dry run (nothing was written; {@code created} counts the rows that would
 *                       have been)
 * @param rows           data rows read (the header is not a row)
 * @param created        records created
 * @param skipped        rows an earlier run of the same import had created (not created again)
 * @param failed         rows refused
 * @param stopped        whether rows were left unread because {@link org.crmkit.record.ImportOptions#stopAfterErrors()}
 *                       rows failed
 * @param errors         the first errors, in row order (all of a row's errors together)
 * @param moreErrors     whether there were more errors than {@code errors} holds
 * @param columns        each header that was imported, in file order, with what it was mapped to: a field's API name,
 *                       {@code <field>.<part>} for a part of an address, {@code <field>.currency} for a money field's
 *                       currency, {@code owner} or {@code team}
 * @param ignoredColumns the headers that were not imported, in file order: no visible field matched them, they
 *                       matched a field that cannot be written (read-only, a formula, {@code id}), or they were
 *                       ignored on request
 */
public record CsvImportResult(String importId, boolean dryRun, long rows, long created, long skipped, long failed,
        boolean stopped, List<CsvError> errors, boolean moreErrors, Map<String, String> columns,
        List<String> ignoredColumns) {
    public CsvImportResult {
        Objects.requireNonNull(importId, "importId");
        errors = List.copyOf(errors);
        columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
        ignoredColumns = List.copyOf(ignoredColumns);
    }
}
