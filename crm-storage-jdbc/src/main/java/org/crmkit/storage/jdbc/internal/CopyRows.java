package org.crmkit.storage.jdbc.internal;

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
import org.postgresql.copy.CopyIn;

/**
 * {@link BulkRows} on PostgreSQL: {@code COPY table (columns) FROM STDIN} in the text format through pgjdbc's
 * {@code CopyManager}, as {@code pg_restore} loads a table. Each value is written as PostgreSQL's own input text for
 * its column type (dates and timestamps as ISO text with a {@code BC} suffix before year 1, booleans as
 * {@code t}/{@code f}, decimals in plain notation) and escaped as the format asks: a backslash, tab, line feed and
 * carriage return become {@code \\}, {@code \t}, {@code \n} and {@code \r} (so a value can never end a row or the data
 * early), SQL NULL is {@code \N} (an empty string stays an empty string). The rows go to the server {@value #CHUNK}
 * bytes at a time, so that it loads one chunk while the next is made. A row of the wrong width or a value of another
 * type is refused before anything is sent; a text holding the character U+0000 or half a surrogate pair is refused
 * with a {@link StorageException} naming the table and column when its row is made, and the {@code COPY} cancelled, so
 * that nothing of the call is written: PostgreSQL cannot store the first, and UTF-8 cannot encode the second (it
 * would be replaced silently).
 */
final class CopyRows implements BulkRows {
    static final CopyRows INSTANCE = new CopyRows();

    private CopyRows() {}

    /** Bytes of COPY text per write to the server, which loads them while the next are made. */
    static final int CHUNK = 128 * 1024;

    @Override
    public void insert(DSLContext dsl, Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        check(table, columns, rows);
        StringBuilder sql = new StringBuilder("copy ").append(dsl.render(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dsl.render(DSL.name(columns.get(i).getName())));
        }
        sql.append(") from stdin");
        dsl.connection(c -> {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.toString());
            try {
                write(table, columns, rows, bytes -> copy.writeToCopy(bytes, 0, bytes.length));
                copy.endCopy();
            } catch (SQLException e) {
                cancel(copy, e);
                throw new DataAccessException("COPY into " + table.getName() + " failed", e);
            } catch (RuntimeException e) {
                cancel(copy, e);
                throw e;
            }
        });
    }

    /** The rows as COPY text, UTF-8, as {@link #insert} sends them. */
    static byte[] encode(Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows) {
        check(table, columns, rows);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(table, columns, rows, out::writeBytes);
        } catch (SQLException e) {
            throw new IllegalStateException(e); // a byte array takes everything
        }
        return out.toByteArray();
    }

    /** Refuses, before anything is sent, a row of the wrong width or a value of a type without COPY text. */
    private static void check(Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows) {
        for (Object[] row : rows) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("a row of " + row.length + " values for " + columns.size()
                        + " columns");
            }
            for (int i = 0; i < row.length; i++) {
                switch (row[i]) {
                    case null -> {}
                    case String s -> {}
                    case UUID u -> {}
                    case Long l -> {}
                    case Integer n -> {}
                    case Boolean x -> {}
                    case BigDecimal d -> {}
                    case LocalDate d -> {}
                    case LocalDateTime t -> {}
                    default -> throw new StorageException("no COPY text for a value of " + row[i].getClass().getName()
                            + " in column " + columns.get(i).getName() + " of " + table.getName());
                }
            }
        }
    }

    /** What takes the COPY text a chunk at a time. */
    private interface Chunks {
        void accept(byte[] utf8) throws SQLException;
    }

    /** Writes the checked rows as COPY text, about {@value #CHUNK} bytes at a time, each chunk whole rows. */
    private static void write(Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows,
            Chunks out) throws SQLException {
        StringBuilder b = new StringBuilder(CHUNK + CHUNK / 2);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    b.append('\t');
                }
                value(b, row[i], table, columns.get(i));
            }
            b.append('\n');
            if (b.length() >= CHUNK) {
                out.accept(b.toString().getBytes(StandardCharsets.UTF_8));
                b.setLength(0);
            }
        }
        if (!b.isEmpty()) {
            out.accept(b.toString().getBytes(StandardCharsets.UTF_8));
        }
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
            default -> throw new IllegalStateException("checked before: " + v.getClass().getName());
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

    /**
     * A text, escaped: the runs between the characters to escape are appended whole. U+0000 and half a surrogate pair
     * are refused here, in the one pass over the text.
     */
    private static void text(StringBuilder b, String s, Table<?> table, org.jooq.Field<?> column) {
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= '\\') {
                String escaped = switch (c) {
                    case '\\' -> "\\\\";
                    case '\t' -> "\\t";
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\u0000' -> throw refused(table, column, "the character U+0000 (NUL), which PostgreSQL cannot "
                            + "store in text");
                    default -> null;
                };
                if (escaped != null) {
                    b.append(s, from, i).append(escaped);
                    from = i + 1;
                }
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw refused(table, column, "half a surrogate pair, which UTF-8 cannot encode");
                }
            }
        }
        b.append(s, from, s.length());
    }

    /** Ends a {@code COPY} that a refused value cut short: the server writes nothing of it. */
    private static void cancel(CopyIn copy, Exception cause) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static StorageException refused(Table<?> table, org.jooq.Field<?> column, String what) {
        return new StorageException("cannot write a value of column " + column.getName() + " of " + table.getName()
                + ": it holds " + what);
    }
}
