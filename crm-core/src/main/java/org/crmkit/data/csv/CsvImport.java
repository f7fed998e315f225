package org.crmkit.data.csv;

import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.crmkit.record.ImportOptions;

/**
 * A CSV import into one object type on behalf of one principal: {@code session.csvImport("contact")}. Immutable:
 * each setting returns a new import; {@link #run} reads the file. The rows go through
 * {@link org.crmkit.RecordSet#importRecords(String, Iterable, ImportOptions)}: the same checks, access, duplicate
 * rules, batches (one transaction each) and import ledger, so running an import id again after a failure skips the
 * rows already created.
 *
 * <pre>{@code
 * CsvImportResult r = session.csvImport("contact")
 *         .locale(Locale.GERMANY)                        // 1.234,56 and 31.12.2024
 *         .column("Firma", "company_name")               // the other columns by name or label
 *         .rejectedRows(Path.of("contacts-rejected.csv"))
 *         .onProgress(p -> log.info("{} rows", p.rows()))
 *         .run("contacts-2026-03", Path.of("contacts.csv"));
 * }</pre>
 *
 * <h2>The file</h2>
 *
 * RFC 4180: a header line, then one row per record; cells separated by {@code ,} (or {@link #separator}), quoted with
 * {@code "} when they hold the separator, a quote or a line break; empty lines are skipped. Bytes are read as UTF-8
 * with or without a byte order mark, or in the {@link #charset} given (Windows-1252 for files Excel saved as "CSV" on
 * Windows); a UTF-8 or UTF-16 byte order mark wins over the charset. A malformed file (a row with more or fewer cells
 * than the header, an unclosed quote, text after a closing quote, NUL bytes, bytes that are not text in the charset, a
 * cell longer than a million characters or a line longer than eight million) is a {@link CsvFormatException} naming
 * the line, thrown as soon as the parser reaches it: the batches before the one holding that line stay committed,
 * that batch is not written.
 *
 * <h2>Columns</h2>
 *
 * Each header is matched to a field the principal can see, by API name or label, ignoring case, accents, spaces and
 * punctuation ({@code "E-Mail"}, {@code "first name"} and {@code "Prénom"} for a field labelled "Prénom"); an
 * address part by {@code <field>.<part>} or the field and part names ({@code "Address City"}, {@code "Mailing Zip"});
 * a money field's currency by {@code <field>.currency} or {@code "<field> Currency"}; {@code owner} and {@code team}
 * when the principal may set them. {@link #column} maps a header explicitly and {@link #ignoreColumn} leaves one
 * out. A header nothing matches, or that matches a field that cannot be written (a formula, a roll-up, a field
 * read-only for the principal, {@code id}, {@code created_at}, ...), is not imported and is listed in
 * {@link CsvImportResult#ignoredColumns()} (so a file exported with {@link org.crmkit.data.export.RecordExport}
 * imports as it is). An explicit mapping to a field that does not exist or is hidden from the principal (the same
 * answer for both: {@code UNKNOWN_FIELD}), or to one that cannot be written ({@code READ_ONLY}), or two columns on one
 * target, or a mapping of a header the file lacks, is a {@link org.crmkit.error.ValidationException} before
 * anything is written.
 *
 * <h2>Cells</h2>
 *
 * An empty cell is no value. By the field's type: numbers in the {@link #locale}'s notation ({@code 1,234.56};
 * {@code 1.234,56} in German; grouping optional; a percent sign allowed on percent fields); dates as ISO
 * ({@code 2026-03-31}) or the locale's short or medium form with a four- or two-digit year ({@code 3/31/2026},
 * {@code 31.03.2026}, {@code Mar 31, 2026}); date-times as ISO with an offset, or ISO or the locale's form without one
 * in the {@link #timeZone} (default UTC), or a date alone (midnight); booleans {@code true/false}, {@code yes/no},
 * {@code y/n}, {@code 1/0}, {@code on/off} and, for German, French, Spanish, Italian, Dutch and Portuguese, the
 * language's yes and no; a picklist option by value or label (case and accents ignored); several options separated
 * by {@code ;}; money as {@code EUR 1234.56}, {@code 1.234,56 EUR}, {@code €1,234.56} or a plain amount (in the
 * currency column's code, else the engine's default currency); text as it is, except that a leading {@code '} that
 * {@link org.crmkit.data.export.RecordExport} put before {@code = + - @} against formula injection is taken off
 * again; references and relations as record ids. A cell that cannot be read makes its row fail with an error naming
 * the line, the column and the field, together with any other problem of the row.
 *
 * <h2>Results</h2>
 *
 * {@link CsvImportResult} holds totals and the first {@link #keepErrors} errors; memory does not grow with the file
 * (the parser streams, rows go to the engine batch by batch, only the current batch's cells are held). Each refused
 * row is written to {@link #rejectedRows} as it was read (same header, same cells, formula-injection safe) with an
 * {@code error} column holding all of its errors, after its batch is done, so the file can be fixed and imported
 * again. {@link #dryRun} checks everything and writes no record and no ledger entry (see
 * {@link org.crmkit.record.ImportResult} for what a dry run checks).
 *
 * <p>Needs the CREATE permission on the type ({@link org.crmkit.error.AccessDeniedException}). An input that fails
 * to read is an {@link UncheckedIOException}. Cannot run inside {@link org.crmkit.CrmSession#inTransaction}.
 */
public interface CsvImport {
    /** Maps each header of {@code headerToTarget} to a field name, {@code <field>.<part>} or {@code <field>.currency}. */
    CsvImport columns(Map<String, String> headerToTarget);

    /** Maps the column with this header to a field name, {@code <field>.<part>} or {@code <field>.currency}. */
    CsvImport column(String header, String target);

    /** Leaves the column with this header out of the import. */
    CsvImport ignoreColumn(String header);

    /** The locale numbers and dates are written in; {@link Locale#ROOT} (ISO dates, {@code 1234.56}) by default. */
    CsvImport locale(Locale locale);

    /** The zone of date-times written without an offset; UTC by default. */
    CsvImport timeZone(ZoneId zone);

    /** The character set of a byte input; UTF-8 by default (a byte order mark wins over it). */
    CsvImport charset(Charset charset);

    /** The cell separator; {@code ,} by default ({@code ;} for files Excel saved in many European locales). */
    CsvImport separator(char separator);

    /** With {@code true}, checks every row and writes nothing. */
    CsvImport dryRun(boolean checkOnly);

    /** Tells {@code listener} the progress after each batch, on the importing thread. */
    CsvImport onProgress(Consumer<CsvImportProgress> listener);

    /** Writes the refused rows as CSV to {@code out} (flushed after each batch, never closed). */
    CsvImport rejectedRows(Writer out);

    /** Writes the refused rows as CSV in UTF-8 to {@code file} (created or replaced when the import starts). */
    CsvImport rejectedRows(Path file);

    /** Batch size and {@code stopAfterErrors}; a dry run or progress listener set there applies too. */
    CsvImport options(ImportOptions options);

    /** How many errors the result keeps, 0 to 100,000; 1,000 by default. */
    CsvImport keepErrors(int max);

    /** Imports the file at {@code file}; {@code importId} as {@link org.crmkit.RecordSet#importRecords}. */
    CsvImportResult run(String importId, Path file);

    /** Imports the bytes of {@code in} (not closed). */
    CsvImportResult run(String importId, InputStream in);

    /** Imports the characters of {@code in} (not closed); the charset setting does not apply. */
    CsvImportResult run(String importId, Reader in);
}
