package org.crmkit.storage.jdbc.internal;

import org.crmkit.error.SchemaException;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * How many columns a record table may have on each database, checked before the DDL of a new type or field runs,
 * so a change past the limit is a {@link SchemaException} ({@code INVALID_DEFINITION}) and nothing changes:
 * <ul>
 *   <li>PostgreSQL: {@value PostgresStrategy#MAX_COLUMNS} columns, counting the columns of deleted fields, which
 *       PostgreSQL keeps (dropped) until the table is rewritten;</li>
 *   <li>MariaDB: {@value MariaDbStrategy#MAX_COLUMNS} columns (InnoDB checks that a row of off-page pointers fits in
 *       half a 16 kB page), and the VARCHAR columns of indexed text fields within the 65,535-byte row limit;</li>
 *   <li>H2: {@value H2Strategy#MAX_COLUMNS} columns, as PostgreSQL.</li>
 * </ul>
 * The limits are the {@link DatabaseStrategy}'s ({@code maxColumns}, {@code droppedColumns}, {@code checkRowSize}).
 * The nine system columns count; a currency field takes two columns, an address five, formulas and relations none.
 */
final class ColumnCapacity {
    private final Naming naming;
    private final DatabaseStrategy database;

    ColumnCapacity(Naming naming, DatabaseStrategy database) {
        this.naming = naming;
        this.database = database;
    }

    /** Throws {@link SchemaException} when {@code change} would give a table more columns than the database takes. */
    void check(DSLContext ddl, SchemaChange change, SchemaSnapshot next) {
        switch (change) {
            case SchemaChange.AddObjectType a -> check(ddl, a.type(), null, 0);
            case SchemaChange.AddField a -> {
                ObjectType type = next.findObjectType(a.objectType()).orElse(null);
                if (type != null) {
                    int added = new RecordTable(type, naming, database).columnsOf(a.field().name()).size();
                    if (added > 0) {
                        check(ddl, type, a.field().name(), added);
                    }
                }
            }
            default -> {}
        }
    }

    private void check(DSLContext ddl, ObjectType type, @Nullable String field, int added) {
        RecordTable t = new RecordTable(type, naming, database);
        int columns = t.selectList().size();
        int max = database.maxColumns();
        String also = "";
        if (field != null) {
            int dropped = database.droppedColumns(ddl, t);
            columns += dropped;
            also = dropped == 0 ? "" : " (" + dropped + " of them held deleted fields: PostgreSQL keeps those until "
                    + "the table is rewritten)";
        }
        if (columns > max) {
            throw new SchemaException(SchemaException.Problem.INVALID_DEFINITION, type.name(), field, "a record table "
                    + "on " + database.dialect().shortName() + " holds at most " + max + " columns; this change needs "
                    + columns + also + " (nine system columns, two per currency field, five per address, one per other "
                    + "stored field)");
        }
        database.checkRowSize(type, field, t);
    }
}
