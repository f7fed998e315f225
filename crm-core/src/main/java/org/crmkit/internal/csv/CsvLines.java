package org.crmkit.internal.csv;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.crmkit.data.csv.CsvFormatException;
import org.crmkit.data.csv.CsvFormatException.Problem;
import org.jspecify.annotations.Nullable;

/**
 * The lines of a CSV input, parsed by FastCSV (RFC 4180, strict: an unclosed quote or text after a closing quote is an
 * error, not guessed at), one record at a time, each with the line it starts on. FastCSV reads through a buffer of
 * at most {@value #MAX_CELL_CHARS} characters per cell, and this class refuses a record with more cells than the
 * header (at the first extra cell) or more than {@value #MAX_LINE_CHARS} characters, so a file without line breaks
 * or with a runaway quote fails fast in bounded memory. Cells holding NUL (binary content) or, for decoded bytes,
 * U+FFFD (bytes that are not text in the charset, which the decoder replaced) fail too. Every failure is a
 * {@link CsvFormatException} naming the line where the record starts.
 */
final class CsvLines implements Closeable {
    static final int MAX_CELL_CHARS = 1 << 20;
    static final int MAX_LINE_CHARS = 8 << 20;
    /** Most columns a header may have. */
    static final int MAX_COLUMNS = 2_000;

    /** One record: the line it starts on and its cells. */
    record Line(long number, List<String> cells) {}

    private final CsvReader<Line> reader;
    private final Iterator<Line> records;
    private final Cells handler;
    private final @Nullable Charset decoded;
    private int columns = -1;

    private CsvLines(Cells handler, CsvReader<Line> reader, @Nullable Charset decoded) {
        this.handler = handler;
        this.reader = reader;
        this.records = reader.iterator();
        this.decoded = decoded;
    }

    /** Bytes in {@code charset}, unless they start with a UTF-8 or UTF-16 byte order mark. */
    static CsvLines of(InputStream in, Charset charset, char separator) {
        Cells handler = new Cells();
        return new CsvLines(handler, builder(separator).detectBomHeader(true).build(handler, in, charset), charset);
    }

    /** Characters; a leading U+FEFF (a byte order mark decoded as text) is dropped. */
    static CsvLines of(Reader in, char separator) {
        Cells handler = new Cells();
        return new CsvLines(handler, builder(separator).build(handler, in), null);
    }

    private static CsvReader.CsvReaderBuilder builder(char separator) {
        return CsvReader.builder().fieldSeparator(separator).quoteCharacter('"').commentStrategy(CommentStrategy.NONE)
                .skipEmptyLines(true).extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE).allowExtraCharsAfterClosingQuote(false)
                .allowUnclosedQuote(false).trimWhitespacesAroundQuotes(false).maxBufferSize(MAX_CELL_CHARS);
    }

    /** The header's cells (trimmed), or a {@link CsvFormatException} for an input without lines. */
    List<String> header() {
        Line header = next();
        if (header == null) {
            throw new CsvFormatException(Problem.EMPTY, 1, "the file is empty: it needs a header line naming the"
                    + " columns");
        }
        List<String> names = new ArrayList<>();
        for (String cell : header.cells()) {
            names.add(CellText.strip(names.isEmpty() && cell.startsWith("\uFEFF") ? cell.substring(1) : cell));
        }
        columns = names.size();
        handler.limit = columns;
        handler.headerRead = true;
        return names;
    }

    /** The next row with a non-blank cell, or null at the end of the input. */
    @Nullable
    Line next() {
        while (true) {
            Line line = read();
            if (line == null) {
                return null;
            }
            if (columns >= 0 && line.cells().size() != columns) {
                throw new CsvFormatException(Problem.COLUMN_COUNT, line.number(), "the row has "
                        + line.cells().size() + " cells, the header has " + columns);
            }
            if (columns < 0 || line.cells().stream().anyMatch(c -> !c.isBlank())) {
                return line;
            }
        }
    }

    private @Nullable Line read() {
        try {
            if (!records.hasNext()) {
                return null;
            }
            Line line = records.next();
            check(line);
            return line;
        } catch (CsvParseException e) {
            throw translated(e);
        }
    }

    /** Refuses binary content and, for decoded bytes, bytes the charset has no character for. */
    private void check(Line line) {
        for (String cell : line.cells()) {
            if (cell.indexOf('\0') >= 0) {
                throw new CsvFormatException(Problem.BINARY, line.number(), "the line holds NUL characters: the file"
                        + " is binary, not CSV text");
            }
            if (decoded != null && cell.indexOf('\uFFFD') >= 0) {
                throw new CsvFormatException(Problem.ENCODING, line.number(), "the line holds bytes that are not "
                        + decoded.name() + (decoded.name().equals("UTF-8")
                                ? " (a file saved by Excel on Windows is often windows-1252: import it with that"
                                        + " charset)"
                                : ""));
            }
        }
    }

    /** FastCSV's error, or one of the handler's limits, as a {@link CsvFormatException}. */
    private CsvFormatException translated(CsvParseException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof CsvFormatException ours) {
            return ours;
        }
        String message = String.valueOf(cause.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        long line = handler.line;
        if (lower.contains("unclosed quote")) {
            return new CsvFormatException(Problem.UNCLOSED_QUOTE, line, "a quoted cell starting on this line is not"
                    + " closed before the end of the file");
        }
        if (lower.contains("after closing quote")) {
            return new CsvFormatException(Problem.TEXT_AFTER_QUOTE, line, "text follows a quoted cell's closing"
                    + " quote (a quote inside a cell is written twice: \"\")");
        }
        if (lower.contains("maximum buffer size")) {
            return new CsvFormatException(Problem.TOO_LONG, line, "a cell is longer than " + MAX_CELL_CHARS
                    + " characters (a quote that is never closed, or no line breaks?)");
        }
        return new CsvFormatException(Problem.MALFORMED, line, message);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Collects a record's cells, refusing too many cells or characters as soon as they come. */
    private static final class Cells extends AbstractBaseCsvCallbackHandler<Line> {
        private List<String> cells = new ArrayList<>();
        private long chars;
        long line = 1;
        int limit = MAX_COLUMNS;
        boolean headerRead;

        @Override
        protected void handleBegin(long startingLineNumber) {
            line = startingLineNumber;
            cells = new ArrayList<>();
            chars = 0;
        }

        @Override
        protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
            if (fieldIdx >= limit) {
                throw new CsvFormatException(Problem.COLUMN_COUNT, line, headerRead
                        ? "the row has more cells than the header's " + limit
                        : "the header has more than " + MAX_COLUMNS + " columns");
            }
            chars += len;
            if (chars > MAX_LINE_CHARS) {
                throw new CsvFormatException(Problem.TOO_LONG, line, "the line is longer than " + MAX_LINE_CHARS
                        + " characters");
            }
            cells.add(new String(buf, offset, len));
        }

        @Override
        protected Line buildRecord() {
            return new Line(line, List.copyOf(cells));
        }
    }
}
