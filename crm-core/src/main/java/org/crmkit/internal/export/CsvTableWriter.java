package org.crmkit.internal.export;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.crmkit.record.Money;
import org.crmkit.report.ReportTable;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ReportTable} as RFC 4180 CSV with the formula guard that {@code ReportExport} describes. Written by hand
 * rather than with a CSV library: the whole of RFC 4180's writing side is {@link #text}'s quoting rule, the guard
 * (which cell to neutralise depends on the value's type, not its text) has to be ours anyway, and crm-core keeps its
 * dependencies few. The tests read the output back with FastCSV.
 */
public final class CsvTableWriter {
    /** What a spreadsheet takes as the start of a formula (OWASP, CSV injection): = + - @ tab CR. */
    private static final String FORMULA_STARTS = "=+-@\t\r";
    private static final String CRLF = "\r\n";
    private static final String CURRENCY_SUFFIX = ".currency";

    private CsvTableWriter() {}

    /** Writes the header line and one line per row; does not flush. */
    public static void write(ReportTable table, Writer out) throws IOException {
        List<ReportTable.Column> columns = table.columns();
        boolean[] money = moneyColumns(table);
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                out.write(',');
            }
            text(out, columns.get(c).name());
            if (money[c]) {
                out.write(',');
                text(out, columns.get(c).name() + CURRENCY_SUFFIX);
            }
        }
        out.write(CRLF);
        for (List<@Nullable Object> row : table.rows()) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    out.write(',');
                }
                Object value = row.get(c);
                if (money[c]) {
                    Money m = value instanceof Money x ? x : null;
                    cell(out, m != null ? m.amount() : value);
                    out.write(',');
                    cell(out, m != null ? m.currency() : null);
                } else {
                    cell(out, value);
                }
            }
            out.write(CRLF);
        }
    }

    /** Which columns hold a {@link Money} in some row (they get a currency column beside them). */
    private static boolean[] moneyColumns(ReportTable table) {
        boolean[] money = new boolean[table.columns().size()];
        for (List<@Nullable Object> row : table.rows()) {
            for (int c = 0; c < money.length; c++) {
                money[c] |= row.get(c) instanceof Money;
            }
        }
        return money;
    }

    private static void cell(Writer out, @Nullable Object value) throws IOException {
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
    private static void text(Writer out, String s) throws IOException {
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
