package org.crmkit.internal.export;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;

/**
 * Records as RFC 4180 CSV, in the format {@code RecordExport} describes: the system columns, then each field's
 * columns ({@code <field>} and {@code <field>.currency} for money, {@code <field>.<part>} for an address, a list's
 * items joined by {@code ;}); cells written by {@link CsvCells}, with its formula guard.
 */
public final class RecordCsvSink implements RecordSink {
    private final List<ExportField> fields;
    private final Writer out;

    public RecordCsvSink(List<ExportField> fields, Writer out) {
        this.fields = List.copyOf(fields);
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void header() throws IOException {
        boolean first = true;
        for (String column : ExportField.SYSTEM_COLUMNS) {
            first = separate(first);
            CsvCells.text(out, column);
        }
        for (ExportField f : fields) {
            switch (f.shape()) {
                case MONEY -> {
                    first = separate(first);
                    CsvCells.text(out, f.name());
                    out.write(',');
                    CsvCells.text(out, f.name() + CsvCells.CURRENCY_SUFFIX);
                }
                case ADDRESS -> {
                    for (String part : Address.PARTS) {
                        first = separate(first);
                        CsvCells.text(out, f.name() + "." + part);
                    }
                }
                default -> {
                    first = separate(first);
                    CsvCells.text(out, f.name());
                }
            }
        }
        out.write(CsvCells.CRLF);
    }

    @Override
    public void record(Record r) throws IOException {
        boolean first = true;
        for (String column : ExportField.SYSTEM_COLUMNS) {
            first = separate(first);
            CsvCells.cell(out, ExportField.system(r, column));
        }
        for (ExportField f : fields) {
            Object value = r.values().get(f.name());
            switch (f.shape()) {
                case MONEY -> {
                    first = separate(first);
                    Money m = value instanceof Money x ? x : null;
                    CsvCells.cell(out, m != null ? m.amount() : value);
                    out.write(',');
                    CsvCells.cell(out, m != null ? m.currency() : null);
                }
                case ADDRESS -> {
                    Address a = value instanceof Address x ? x : null;
                    for (String part : Address.PARTS) {
                        first = separate(first);
                        CsvCells.cell(out, a != null ? a.part(part) : null);
                    }
                }
                case LIST -> {
                    first = separate(first);
                    CsvCells.cell(out, value instanceof List<?> list ? (list.isEmpty() ? null : join(list)) : value);
                }
                case VALUE -> {
                    first = separate(first);
                    CsvCells.cell(out, value);
                }
            }
        }
        out.write(CsvCells.CRLF);
    }

    private static String join(List<?> items) {
        StringBuilder b = new StringBuilder();
        for (Object item : items) {
            if (!b.isEmpty()) {
                b.append(';');
            }
            b.append(item);
        }
        return b.toString();
    }

    /** Writes a comma before every cell but the first of a line; returns false (the next cell is not first). */
    private boolean separate(boolean first) throws IOException {
        if (!first) {
            out.write(',');
        }
        return false;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
