package org.crmkit.storage.jdbc.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;

/**
 * {@link BulkRows} on H2: one {@code INSERT} rendered by jOOQ once per table and columns
 * ({@link RenderedStatement#insert}) and sent as one JDBC batch, each value bound straight through the driver's
 * setter of its type. jOOQ's own batch binding ({@link BatchRows}) made a bind-value object per value and cost a
 * fifth of an import's time on H2, more than H2 spends on the rows' insert. (A multi-row {@code INSERT} of 20 rows per
 * batch entry measured no faster on H2 than one row per entry, so the statement stays one row.) H2 binds every type
 * {@link BulkRows} allows as jOOQ does. The batch inserts every row or, when H2 refuses one (a unique value taken),
 * fails, and the caller's transaction rolls back.
 */
final class RenderedRows implements BulkRows {
    /** Most statements kept rendered; past it the cache starts again (a schema change leaves old ones behind). */
    private static final int MOST_KEPT = 256;

    /** The statements rendered so far, by table and columns. */
    private final Map<List<Object>, RenderedStatement> rendered = new ConcurrentHashMap<>();

    @Override
    public void insert(DSLContext dsl, Table<?> table, List<? extends org.jooq.Field<?>> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        RenderedStatement insert = statement(dsl, table, columns);
        dsl.connection(c -> {
            try {
                insert.batch(c, rows);
            } catch (SQLException e) {
                throw new DataAccessException("INSERT into " + table.getName() + " failed", e);
            }
        });
    }

    /** The insert into these columns, rendered the first time it is needed. */
    private RenderedStatement statement(DSLContext dsl, Table<?> table, List<? extends org.jooq.Field<?>> columns) {
        List<Object> key = new ArrayList<>(2 * columns.size() + 1);
        key.add(table.getQualifiedName());
        for (org.jooq.Field<?> c : columns) {
            key.add(c.getName());
            key.add(c.getDataType().getSQLType());
        }
        RenderedStatement s = rendered.get(key);
        if (s == null) {
            if (rendered.size() >= MOST_KEPT) {
                rendered.clear();
            }
            s = RenderedStatement.insert(dsl, table, columns);
            rendered.put(key, s);
        }
        return s;
    }
}
