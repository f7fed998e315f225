package org.crmkit.storage.jdbc.internal;

import org.crmkit.error.SchemaException;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * How many columns a record table may have on each database, checked before the DDL of a new type or field runs,
 * so a change past the limit is a {@link SchemaException} ({@code INVALID_DEFINITION}) and nothing changes:
 * <ul>
 *   <li>PostgreSQL: 1,600 columns, counting the columns of deleted fields, which PostgreSQL keeps (dropped) until
 *       the table is rewritten;</li>
 *   <li>MariaDB: {@value #MARIADB_COLUMNS} columns (InnoDB checks that a row of off-page pointers fits in half a
 *       16 kB page), and the VARCHAR columns of indexed text fields within the 65,535-byte row limit;</li>
 *   <li>H2: 1,600 columns, as PostgreSQL.</li>
 * </ul>
 * The nine system columns count; a currency field takes two columns, an address five, formulas and relations none.
 */
final class ColumnCapacity {
    /** Columns of a record table on PostgreSQL and H2. */
    static final int POSTGRES_COLUMNS = 1_600;
    /** Columns of a record table on MariaDB. */
    static final int MARIADB_COLUMNS = 370;
    /** MariaDB's row limit, for the bytes of VARCHAR and fixed-size columns (TEXT counts 12). */
    private static final int MARIADB_ROW_BYTES = 65_535;

    private final Naming naming;
    private final Dialect dialect;

    ColumnCapacity(Naming naming, Dialect dialect) {
        this.naming = naming;
        this.dialect = dialect;
    }

    /** Throws {@link SchemaException} when {@code change} would give a table more columns than the database takes. */
    void check(DSLContext ddl, SchemaChange change, SchemaSnapshot next) {
        switch (change) {
            case SchemaChange.AddObjectType a -> check(ddl, a.type(), null, 0);
            case SchemaChange.AddField a -> {
                ObjectType type = next.findObjectType(a.objectType()).orElse(null);
                if (type != null) {
                    int added = new RecordTable(type, naming, dialect).columnsOf(a.field().name()).size();
                    if (added > 0) {
                        check(ddl, type, a.field().name(), added);
                    }
                }
            }
            default -> { }
        }
    }

    private void check(DSLContext ddl, ObjectType type, String field, int added) {
        RecordTable t = new RecordTable(type, naming, dialect);
        int columns = t.selectList().size();
        int max = dialect == Dialect.MARIADB ? MARIADB_COLUMNS : POSTGRES_COLUMNS;
        String also = "";
        if (dialect == Dialect.POSTGRES && field != null) {
            int dropped = droppedColumns(ddl, t);
            columns += dropped;
            also = dropped == 0 ? "" : " (" + dropped + " of them held deleted fields: PostgreSQL keeps those until "
                    + "the table is rewritten)";
        }
        if (columns > max) {
            throw new SchemaException(SchemaException.Problem.INVALID_DEFINITION, type.name(), field, "a record table "
                    + "on " + dialect.shortName() + " holds at most " + max + " columns; this change needs " + columns
                    + also + " (nine system columns, two per currency field, five per address, one per other "
                    + "stored field)");
        }
        if (dialect == Dialect.MARIADB) {
            long bytes = 0;
            for (org.jooq.Field<?> c : t.selectList()) {
                bytes += rowBytes(c.getDataType());
            }
            if (bytes > MARIADB_ROW_BYTES) {
                throw new SchemaException(SchemaException.Problem.INVALID_DEFINITION, type.name(), field, "a MariaDB "
                        + "row holds at most " + MARIADB_ROW_BYTES + " bytes of columns; this change needs " + bytes
                        + " (an indexed or unique text field takes 4 bytes per character of its maximum length)");
            }
        }
    }

    /** What a column counts towards MariaDB's 65,535-byte row limit. */
    private static long rowBytes(DataType<?> type) {
        if (type.isLob()) {
            return 12;
        }
        if (type.isString()) {
            return 4L * type.length() + 2;
        }
        return 16;
    }

    /** Columns of deleted fields PostgreSQL still counts towards its limit (pg_attribute.attisdropped). */
    private int droppedColumns(DSLContext ddl, RecordTable t) {
        org.jooq.Table<?> attribute = DSL.table(DSL.name("pg_catalog", "pg_attribute")).as("a");
        org.jooq.Table<?> clazz = DSL.table(DSL.name("pg_catalog", "pg_class")).as("c");
        org.jooq.Table<?> namespace = DSL.table(DSL.name("pg_catalog", "pg_namespace")).as("n");
        Integer n = ddl.selectCount().from(attribute)
                .join(clazz).on(DSL.field(DSL.name("a", "attrelid"), SQLDataType.BIGINT)
                        .eq(DSL.field(DSL.name("c", "oid"), SQLDataType.BIGINT)))
                .join(namespace).on(DSL.field(DSL.name("c", "relnamespace"), SQLDataType.BIGINT)
                        .eq(DSL.field(DSL.name("n", "oid"), SQLDataType.BIGINT)))
                .where(DSL.field(DSL.name("c", "relname"), SQLDataType.VARCHAR).eq(t.table().getName()))
                .and(DSL.field(DSL.name("n", "nspname"), SQLDataType.VARCHAR).eq(DSL.currentSchema()))
                .and(DSL.field(DSL.name("a", "attisdropped"), SQLDataType.BOOLEAN).isTrue())
                .fetchOne(0, Integer.class);
        return n == null ? 0 : n;
    }
}
