package org.crmkit.record;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * How {@link org.crmkit.RecordSet#importRecords(String, Iterable, ImportOptions)} and
 * {@link org.crmkit.RecordSet#upsert(String, Iterable, ImportOptions)} run. Checked when the import starts: a value
 * out of range, or a reference lookup that does not fit the schema, is a {@link org.crmkit.error.ValidationException}
 * naming the option.
 *
 * <pre>{@code
 * ImportResult r = contacts.importRecords("crm-2024-06.csv", rows,
 *         ImportOptions.defaults().batchSize(500).stopAfterErrors(100).onProgress(p -> log(p.rows()))
 *                 .resolve("company", ReferenceLookup.by("erp_number").createMissing()));
 * }</pre>
 *
 * @param batchSize       how many rows are written per transaction, 1 to {@value #MAX_BATCH_SIZE}
 * @param stopAfterErrors the import reads no further rows once this many have failed (it finishes the batch in
 *                        which that happened); at least 1, {@link Integer#MAX_VALUE} for never
 * @param dryRun          checks every row as a real run would and writes nothing, not even the import ledger; see
 *                        {@link ImportResult} for what is checked ({@code upsert} refuses it)
 * @param progress        told after each batch (committed, or checked in a dry run), on the importing thread; an
 *                        exception it throws ends the import (the batches committed before stay); {@code upsert}
 *                        does not report progress
 * @param references      reference field of the imported type to how rows name the record it references (see
 *                        {@link ReferenceLookup}); a reference field not listed takes record ids. The error of a
 *                        bad entry names it {@code references.<field>}
 */
public record ImportOptions(int batchSize, int stopAfterErrors, boolean dryRun, Consumer<ImportProgress> progress,
        Map<String, ReferenceLookup> references) {
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    public static final int MAX_BATCH_SIZE = 10_000;
    /** The progress listener that does nothing. */
    private static final Consumer<ImportProgress> SILENT = p -> {};

    public ImportOptions {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(references, "references");
        TreeMap<String, ReferenceLookup> sorted = new TreeMap<>();
        references.forEach((field, lookup) -> sorted.put(Objects.requireNonNull(field, "references key"),
                Objects.requireNonNull(lookup, "references value")));
        references = Collections.unmodifiableSortedMap(sorted);
    }

    /** Options that write, without a progress listener, references by record id. */
    public ImportOptions(int batchSize, int stopAfterErrors) {
        this(batchSize, stopAfterErrors, false, SILENT, Map.of());
    }

    /** Batches of {@value #DEFAULT_BATCH_SIZE} rows; never stops for errors; writes; no progress listener. */
    public static ImportOptions defaults() {
        return new ImportOptions(DEFAULT_BATCH_SIZE, Integer.MAX_VALUE);
    }

    public ImportOptions batchSize(int rows) {
        return new ImportOptions(rows, stopAfterErrors, dryRun, progress, references);
    }

    public ImportOptions stopAfterErrors(int failedRows) {
        return new ImportOptions(batchSize, failedRows, dryRun, progress, references);
    }

    /** With {@code true}, checks every row and writes nothing ({@link #dryRun()}). */
    public ImportOptions dryRun(boolean checkOnly) {
        return new ImportOptions(batchSize, stopAfterErrors, checkOnly, progress, references);
    }

    /** Tells {@code listener} the progress after each batch ({@link #progress()}). */
    public ImportOptions onProgress(Consumer<ImportProgress> listener) {
        return new ImportOptions(batchSize, stopAfterErrors, dryRun, listener, references);
    }

    /**
     * These options, with rows naming the record {@code referenceField} references as {@code lookup} says
     * (replacing an earlier lookup of the same field).
     */
    public ImportOptions resolve(String referenceField, ReferenceLookup lookup) {
        Objects.requireNonNull(referenceField, "referenceField");
        Objects.requireNonNull(lookup, "lookup");
        TreeMap<String, ReferenceLookup> more = new TreeMap<>(references);
        more.put(referenceField, lookup);
        return new ImportOptions(batchSize, stopAfterErrors, dryRun, progress, more);
    }
}
