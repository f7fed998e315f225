package org.crmkit.data.csv;

import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;

/**
 * The CSV file is malformed at {@link #line()}, so the import stopped there ({@link ErrorCode#VALIDATION_FAILED}: fix
 * the file). The batches committed before the batch holding that line stay; that batch and everything after it
 * were not written. Running the import again with the same id after fixing the file skips the rows already
 * created (rows are matched by number, so fix lines without adding or removing rows before them).
 */
public final class CsvFormatException extends CrmException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the file; stable, for programs. */
    public enum Problem {
        /** The file has no header line. */
        EMPTY,
        /** A quoted cell is not closed before the end of the file. */
        UNCLOSED_QUOTE,
        /** Text follows a quoted cell's closing quote ({@code "a"b}). */
        TEXT_AFTER_QUOTE,
        /** A row has more or fewer cells than the header. */
        COLUMN_COUNT,
        /** A cell or a line is longer than the import reads (a missing newline or an unclosed quote, mostly). */
        TOO_LONG,
        /** The file holds NUL characters: it is binary, not text. */
        BINARY,
        /** The bytes are not text in the file's character set (not UTF-8, say). */
        ENCODING,
        /** Another malformation the parser found. */
        MALFORMED
    }

    private final Problem problem;
    private final long line;

    public CsvFormatException(Problem problem, long line, String message) {
        super(ErrorCode.VALIDATION_FAILED, "line " + line + ": " + message);
        this.problem = problem;
        this.line = line;
    }

    /** What is wrong. */
    public Problem problem() {
        return problem;
    }

    /** The line of the file where the malformed row starts (the header is line 1). */
    public long line() {
        return line;
    }
}
