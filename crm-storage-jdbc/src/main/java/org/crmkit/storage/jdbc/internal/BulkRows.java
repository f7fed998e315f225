package org.crmkit.storage.jdbc.internal;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Table;

/**
 * Inserts many rows of one table in one go, on the caller's connection and transaction: the way a database loads
 * rows fastest ({@link DatabaseStrategy#bulkRows()}). On PostgreSQL {@code COPY ... FROM STDIN} ({@link CopyRows}),
 * on H2 one {@code INSERT} rendered once and bound through JDBC as a batch ({@link RenderedRows}), on MariaDB one
 * prepared {@code INSERT} sent as a jOOQ batch ({@link BatchRows}; MariaDB's driver rewrites it into multi-row
 * statements). Both insert exactly the values given, or nothing when the database refuses one of them
 * (a unique value taken, say): the statement fails and the caller's transaction rolls back.
 */
sealed interface BulkRows permits CopyRows, BatchRows, RenderedRows {
    /**
     * Inserts {@code rows} (each one value per column of {@code columns}, in order; null for SQL NULL) into
     * {@code table}. The values are of the Java types the columns bind ({@link java.util.UUID}, {@link String},
     * {@link Long}, {@link Integer}, {@link java.math.BigDecimal}, {@link Boolean}, {@link java.time.LocalDate},
     * {@link java.time.LocalDateTime}).
     */
    void insert(DSLContext dsl, Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows);
}
