package org.crmkit.internal.export;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.crmkit.record.Money;
import org.crmkit.report.ReportTable;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ReportTable} as RFC 4180 CSV with the formula guard that {@code ReportExport} describes; the cells are
 * written by {@link CsvCells}, shared with the record export.
 */
public final class CsvTableWriter {
    private CsvTableWriter() {}

    /** Writes the header line and one line per row; does not flush. */
    public static void write(ReportTable table, Writer out) throws IOException {
        List<ReportTable.Column> columns = table.columns();
        boolean[] money = moneyColumns(table);
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                out.write(',');
            }
            CsvCells.text(out, columns.get(c).name());
            if (money[c]) {
                out.write(',');
                CsvCells.text(out, columns.get(c).name() + CsvCells.CURRENCY_SUFFIX);
            }
        }
        out.write(CsvCells.CRLF);
        for (List<@Nullable Object> row : table.rows()) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    out.write(',');
                }
                Object value = row.get(c);
                if (money[c]) {
                    Money m = value instanceof Money x ? x : null;
                    CsvCells.cell(out, m != null ? m.amount() : value);
                    out.write(',');
                    CsvCells.cell(out, m != null ? m.currency() : null);
                } else {
                    CsvCells.cell(out, value);
                }
            }
            out.write(CsvCells.CRLF);
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
}
