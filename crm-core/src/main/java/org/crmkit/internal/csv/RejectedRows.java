package org.crmkit.internal.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import org.crmkit.internal.export.CsvCells;

/**
 * The rejected rows of a CSV import, as CSV: the file's header plus an {@value #ERROR_COLUMN} column, then each
 * refused row's cells as they were read with all of its errors. Cells go through {@link CsvCells}, the exports'
 * RFC 4180 writer with its formula guard, so a cell an attacker wrote as {@code =HYPERLINK(...)} is not a formula in
 * the spreadsheet that opens this file (and the import reads the guarded cell back as it was).
 */
final class RejectedRows {
    static final String ERROR_COLUMN = "error";

    private final Writer out;

    RejectedRows(Writer out) {
        this.out = out;
    }

    void header(List<String> header) {
        try {
            line(header, ERROR_COLUMN);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    void row(List<String> cells, String errors) {
        try {
            line(cells, errors);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void line(List<String> cells, String last) throws IOException {
        for (String cell : cells) {
            CsvCells.text(out, cell);
            out.write(',');
        }
        CsvCells.text(out, last);
        out.write(CsvCells.CRLF);
    }

    private static UncheckedIOException failed(IOException e) {
        return new UncheckedIOException("writing the rejected rows of a CSV import", e);
    }
}
