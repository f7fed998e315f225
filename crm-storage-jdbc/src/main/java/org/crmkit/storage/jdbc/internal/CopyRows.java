package org.crmkit.storage.jdbc.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import org.crmkit.error.StorageException;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;

/**
 * {@link BulkRows} on PostgreSQL: {@code COPY table (columns) FROM STDIN} in the text format through pgjdbc's
 * {@code CopyManager}, as {@code pg_restore} loads a table. Each value is written as PostgreSQL's own input text for
 * its column type (dates and timestamps as ISO text with a {@code BC} suffix before year 1, booleans as
 * {@code t}/{@code f}, decimals in plain notation) and escaped as the format asks: a backslash, tab, line feed and carriage return
 * become {@code \\}, {@code \t}, {@code \n} and {@code \r} (so a value can never end a row or the data early), SQL NULL
 * is {@code \N} (an empty string stays an empty string). A text holding the character U+0000 or half a surrogate pair
 * is refused with a {@link StorageException} naming the table and column, before anything is sent: PostgreSQL
 * cannot store the first, and UTF-8 cannot encode the second (it would be replaced silently).
 */
final class CopyRows implements BulkRows {
    static final CopyRows INSTANCE = new CopyRows();

    private CopyRows() {}

    @Override
    public void insert(DSLContext dsl, Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("copy ").append(dsl.render(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dsl.render(DSL.name(columns.get(i).getName())));
        }
        sql.append(") from stdin");
        byte[] data = encode(table, columns, rows);
        dsl.connection(c -> {
            try {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.toString(), new ByteArrayInputStream(data));
            } catch (SQLException | IOException e) {
                throw new DataAccessException("COPY into " + table.getName() + " failed", e);
            }
        });
    }

    /** The rows as COPY text, UTF-8. */
    static byte[] encode(Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows) {
        StringBuilder b = new StringBuilder(rows.size() * columns.size() * 16);
        for (Object[] row : rows) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("a row of " + row.length + " values for " + columns.size()
                        + " columns");
            }
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    b.append('\t');
                }
                value(b, row[i], table, columns.get(i));
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(StringBuilder b, Object v, Table<?> table, org.jooq.Field<?> column) {
        switch (v) {
            case null -> b.append("\\N");
            case String s -> text(b, s, table, column);
            case UUID u -> b.append(u);
            case Long l -> b.append(l.longValue());
            case Integer n -> b.append(n.intValue());
            case Boolean x -> b.append(x ? 't' : 'f');
            case BigDecimal d -> b.append(d.toPlainString());
            case LocalDate d -> date(b, d.getYear(), d.getMonthValue(), d.getDayOfMonth(), false);
            case LocalDateTime t -> {
                date(b, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), true);
                b.append(' ');
                pad(b, t.getHour(), 2).append(':');
                pad(b, t.getMinute(), 2).append(':');
                pad(b, t.getSecond(), 2).append('.');
                pad(b, t.getNano() / 1_000, 6); // the columns hold microseconds, as the values given do
                if (t.getYear() <= 0) {
                    b.append(" BC");
                }
            }
            default -> throw new StorageException("no COPY text for a value of " + v.getClass().getName()
                    + " in column " + column.getName() + " of " + table.getName());
        }
    }

    /** A date: the year at least four digits, counted as PostgreSQL does (year 0 is 1 BC). */
    private static void date(StringBuilder b, int year, int month, int day, boolean more) {
        pad(b, year > 0 ? year : 1 - year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2);
        if (year <= 0 && !more) {
            b.append(" BC");
        }
    }

    private static StringBuilder pad(StringBuilder b, int n, int width) {
        String s = Integer.toString(n);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    private static void text(StringBuilder b, String s, Table<?> table, org.jooq.Field<?> column) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\u0000' -> throw refused(table, column, "the character U+0000 (NUL), which PostgreSQL cannot "
                        + "store in text");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw refused(table, column, "half a surrogate pair, which UTF-8 cannot encode");
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    private static StorageException refused(Table<?> table, org.jooq.Field<?> column, String what) {
        return new StorageException("cannot write a value of column " + column.getName() + " of " + table.getName()
                + ": it holds " + what);
    }
}
