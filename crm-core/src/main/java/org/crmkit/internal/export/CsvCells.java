package org.crmkit.internal.export;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * The cells of RFC 4180 CSV with the formula guard that {@code ReportExport} and {@code RecordExport} describe,
 * shared by both exports. Written by hand rather than with a CSV library: the whole of RFC 4180's writing side is
 * {@link #text}'s quoting rule, the guard (which cell to neutralise depends on the value's type, not its text) has to
 * be ours anyway, and crm-core keeps its dependencies few. The tests read the output back with FastCSV.
 */
public final class CsvCells {
    /** The line end of RFC 4180. */
    public static final String CRLF = "\r\n";
    /** The suffix of the column that holds a money column's currency. */
    public static final String CURRENCY_SUFFIX = ".currency";
    /** What a spreadsheet takes as the start of a formula (OWASP, CSV injection): = + - @ tab CR. */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private CsvCells() {}

    /** A value's cell: typed numbers written plainly (never neutralised), null as an empty cell, the rest as text. */
    public static void cell(Writer out, @Nullable Object value) throws IOException {
        switch (value) {
            case null -> {}
            case BigDecimal d -> out.write(d.toPlainString());
            case Long n -> out.write(n.toString());
            case Integer n -> out.write(n.toString());
            case Short n -> out.write(n.toString());
            case Byte n -> out.write(n.toString());
            case BigInteger n -> out.write(n.toString());
            case Double d when Double.isFinite(d) -> out.write(BigDecimal.valueOf(d).toPlainString());
            case Float f when Float.isFinite(f) -> out.write(new BigDecimal(f.toString()).toPlainString());
            default -> text(out, value.toString());
        }
    }

    /**
     * A text cell: neutralised (a leading {@code '}, then quoted) when it starts like a formula, quoted when it holds
     * a comma, a quote, CR or LF, or is empty (so that it differs from a null); quotes inside doubled.
     */
    public static void text(Writer out, String s) throws IOException {
        boolean neutralise = !s.isEmpty() && FORMULA_STARTS.indexOf(s.charAt(0)) >= 0;
        if (!neutralise && !s.isEmpty() && !needsQuotes(s)) {
            out.write(s);
            return;
        }
        out.write('"');
        if (neutralise) {
            out.write('\'');
        }
        int from = 0;
        for (int i = s.indexOf('"'); i >= 0; i = s.indexOf('"', from)) {
            out.write(s, from, i + 1 - from);
            out.write('"');
            from = i + 1;
        }
        out.write(s, from, s.length() - from);
        out.write('"');
    }

    private static boolean needsQuotes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n') {
                return true;
            }
        }
        return false;
    }
}
