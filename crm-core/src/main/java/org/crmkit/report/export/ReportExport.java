package org.crmkit.report.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.crmkit.internal.export.CsvTableWriter;
import org.crmkit.internal.export.JsonTableWriter;
import org.crmkit.report.ReportTable;

/**
 * Writes a {@link ReportTable} (any report's answer, {@link org.crmkit.report.ReportResult#table()}) as CSV or as
 * JSON, row by row onto the caller's {@link Writer} or {@link OutputStream} (nothing is built up in memory first). The
 * target is flushed, never closed. Write errors come back as {@link UncheckedIOException}.
 *
 * <p><b>Access.</b> A table holds only what its report's caller could see (a report runs within the caller's record
 * scope and field visibility), so an export adds no check of its own: export a table only to whoever may see the
 * report it came from.
 *
 * <h2>CSV</h2>
 *
 * RFC 4180, UTF-8 without a byte order mark, lines ended by CRLF. The first line holds the columns' API names
 * ({@code stage}, {@code sum(amount.corporate)}: stable, unlike labels, which are in the JSON). A cell is quoted when
 * it holds a comma, a double quote (doubled), CR or LF, or when it was neutralised; an empty value (null) is an empty
 * cell, an empty text {@code ""}.
 * <ul>
 *   <li><b>Formulas.</b> A text cell (any value that is not a number, header names included) whose first character is
 *       {@code =}, {@code +}, {@code -}, {@code @}, tab or CR would be run as a formula by Excel, LibreOffice or
 *       Google Sheets (CSV injection: {@code =HYPERLINK(...)} in a deal's name). Such a cell is neutralised as
 *       OWASP's CSV injection guidance says: prefixed with a single quote {@code '} and quoted, so a spreadsheet
 *       shows {@code '=HYPERLINK(...)} as text. Numbers ({@link Long}, {@link Integer}, {@link java.math.BigDecimal}
 *       ...) are written plainly, negative ones too ({@code -5}): a typed number cannot hold a formula, and
 *       prefixing it would turn it into text and break sums in the sheet (OWASP warns of exactly that).</li>
 *   <li><b>Values.</b> Numbers in plain notation ({@code 1234.50}, never {@code 1.2345E+3}), dates and instants ISO
 *       8601 ({@code 2026-03-31}, {@code 2026-03-31T09:30:00Z}), booleans {@code true}/{@code false}, ids as
 *       UUIDs.</li>
 *   <li><b>Money.</b> A column holding a {@link org.crmkit.record.Money} becomes two: {@code <name>} with the amount
 *       as a plain number, and {@code <name>.currency} with the ISO 4217 code, so a spreadsheet can add the amounts
 *       (amounts converted into the corporate currency, {@code sum(amount.corporate)}, are plain numbers).</li>
 * </ul>
 *
 * <h2>JSON</h2>
 *
 * One object, UTF-8:
 *
 * <pre>{@code
 * {"name":"pipeline","label":"Pipeline",
 *  "columns":[{"name":"stage","label":"Stage","role":"group"},{"name":"count","label":"Deals","role":"measure"}],
 *  "rows":[["proposal",12],["negotiation",3]]}
 * }</pre>
 *
 * Rows are arrays, one value per column in the order of {@code columns}. Types are kept: counts and other integers as
 * JSON numbers; decimals as JSON numbers written exactly as their plain decimal text ({@code 1234.50}: trailing zeros
 * kept; read them with a decimal type, such as Jackson's {@code USE_BIG_DECIMAL_FOR_FLOATS}, where exactness matters,
 * since JavaScript's {@code JSON.parse} makes doubles of them); money as {@code {"amount":1234.50,"currency":"EUR"}}
 * with the same exact number; dates and instants as ISO 8601 strings; booleans as JSON booleans; UUIDs as strings;
 * an empty value as {@code null}; anything else as its text.
 */
public final class ReportExport {
    private ReportExport() {}

    /** Writes {@code table} as CSV to {@code out} (see the class description), and flushes it. */
    public static void csv(ReportTable table, Writer out) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(out, "out");
        try {
            CsvTableWriter.write(table, out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing report " + table.name() + " as CSV", e);
        }
    }

    /** Writes {@code table} as CSV in UTF-8 to {@code out} (see the class description), and flushes it. */
    public static void csv(ReportTable table, OutputStream out) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(out, "out");
        csv(table, new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
    }

    /** Writes {@code table} as one JSON object to {@code out} (see the class description), and flushes it. */
    public static void json(ReportTable table, Writer out) {
        Objects.requireNonNull(out, "out");
        json(table, () -> JsonTableWriter.write(table, out));
    }

    /** Writes {@code table} as one JSON object in UTF-8 to {@code out} (see the class description), and flushes it. */
    public static void json(ReportTable table, OutputStream out) {
        Objects.requireNonNull(out, "out");
        json(table, () -> JsonTableWriter.write(table, out));
    }

    /** A write that may fail with an {@link IOException}. */
    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    private static void json(ReportTable table, Write write) {
        Objects.requireNonNull(table, "table");
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException("writing report " + table.name() + " as JSON", e);
        }
    }
}
