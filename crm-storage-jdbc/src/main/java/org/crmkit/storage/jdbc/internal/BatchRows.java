package org.crmkit.storage.jdbc.internal;

import java.util.Collections;
import java.util.List;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Table;

/** {@link BulkRows} as one prepared {@code INSERT} bound once per row and sent as one JDBC batch. */
final class BatchRows implements BulkRows {
    static final BatchRows INSTANCE = new BatchRows();

    private BatchRows() {}

    @Override
    public void insert(DSLContext dsl, Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        insertInto(dsl, table, columns, rows);
    }

    private static <R extends Record> void insertInto(DSLContext dsl, Table<R> table,
            List<? extends org.jooq.Field<?>> columns, List<Object[]> rows) {
        BatchBindStep batch = dsl.batch(dsl.insertInto(table, columns).values(Collections.nCopies(columns.size(),
                (Object) null)));
        for (Object[] row : rows) {
            batch = batch.bind(row);
        }
        batch.execute();
    }
}
