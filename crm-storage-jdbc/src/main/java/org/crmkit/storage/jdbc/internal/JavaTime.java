package org.crmkit.storage.jdbc.internal;

import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.DataType;
import org.jooq.impl.AbstractBinding;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Date and timestamp column types that pass {@link LocalDate} and {@link LocalDateTime} to the driver as they are
 * ({@code setObject} / {@code getObject(i, LocalDate.class)}, JDBC 4.2), on every dialect. jOOQ's default binding
 * goes through {@code java.sql.Date} and {@code java.sql.Timestamp}, whose Julian calendar before 15 October 1582
 * moved {@code 1582-10-10} to {@code 1582-10-20}; java.time and the three databases all use the proleptic
 * Gregorian calendar, so passing java.time values keeps every day from 0001-01-01 to 9999-12-31 exact. Used for
 * record columns (user dates); the system and job tables hold clock times and keep jOOQ's default binding.
 */
final class JavaTime {
    /** A {@code DATE} column. */
    static final DataType<LocalDate> DATE = SQLDataType.LOCALDATE.asConvertedDataType(
            new Binding<>(LocalDate.class, Types.DATE));
    /** A {@code TIMESTAMP(6)} column (UTC by convention, see {@link RecordTable}). */
    static final DataType<LocalDateTime> TIMESTAMP = SQLDataType.LOCALDATETIME(6).asConvertedDataType(
            new Binding<>(LocalDateTime.class, Types.TIMESTAMP));

    private static final DateTimeFormatter TIMESTAMP_LITERAL = DateTimeFormatter.ofPattern(
            "uuuu-MM-dd HH:mm:ss.SSSSSS");

    private JavaTime() {}

    /** Binds and reads one java.time type with {@code setObject}/{@code getObject}. */
    private static final class Binding<T> extends AbstractBinding<T, T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final int sqlType;

        Binding(Class<T> type, int sqlType) {
            this.type = type;
            this.sqlType = sqlType;
        }

        @Override
        public Converter<T, T> converter() {
            return Converter.ofNullable(type, type, x -> x, x -> x);
        }

        @Override
        protected void sqlInline(BindingSQLContext<T> ctx) {
            // typed literals (DATE '1582-10-10', TIMESTAMP '...') read the same on H2, PostgreSQL and MariaDB
            if (ctx.value() instanceof LocalDate d) {
                ctx.render().visit(DSL.keyword("date")).sql(' ').visit(DSL.inline(d.toString()));
            } else if (ctx.value() instanceof LocalDateTime t) {
                ctx.render().visit(DSL.keyword("timestamp")).sql(' ')
                        .visit(DSL.inline(TIMESTAMP_LITERAL.format(t)));
            } else {
                throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + ctx.value());
            }
        }

        @Override
        public void register(BindingRegisterContext<T> ctx) throws SQLException {
            ctx.statement().registerOutParameter(ctx.index(), sqlType);
        }

        @Override
        public void set(BindingSetStatementContext<T> ctx) throws SQLException {
            if (ctx.value() == null) {
                ctx.statement().setNull(ctx.index(), sqlType);
            } else {
                ctx.statement().setObject(ctx.index(), ctx.value());
            }
        }

        @Override
        public void get(BindingGetResultSetContext<T> ctx) throws SQLException {
            ctx.value(ctx.resultSet().getObject(ctx.index(), type));
        }

        @Override
        public void get(BindingGetStatementContext<T> ctx) throws SQLException {
            ctx.value(ctx.statement().getObject(ctx.index(), type));
        }
    }
}
