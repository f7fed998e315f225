package org.crmkit.storage.jdbc.internal;

import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.jooq.Constraint;
import org.jooq.CreateTableElementListStep;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Turns a schema change into DDL through jOOQ's DDL API and runs it. Every statement is idempotent (IF [NOT]
 * EXISTS, or guarded by a catalog lookup), so a change whose DDL was cut off half-way can simply be run again:
 * that is how a crash between the DDL and the metadata write on H2 and MariaDB is repaired.
 */
final class SchemaDdl {
    private final Naming naming;
    private final DatabaseStrategy database;
    private final ColumnCapacity capacity;
    /** How statements run when writers must not wait for them ({@link #online()}); null: plainly. */
    private final @Nullable OnlineDdl online;
    /** This DDL run online, made once: this instance where it is online already or the database has none. */
    private final SchemaDdl onlineVariant;

    SchemaDdl(Naming naming, DatabaseStrategy database) {
        this.naming = naming;
        this.database = database;
        this.capacity = new ColumnCapacity(naming, database);
        this.online = null;
        this.onlineVariant = database.changesSchemaOnline() ? new SchemaDdl(this, new OnlineDdl(database)) : this;
    }

    private SchemaDdl(SchemaDdl plain, OnlineDdl online) {
        this.naming = plain.naming;
        this.database = plain.database;
        this.capacity = plain.capacity;
        this.online = online;
        this.onlineVariant = this;
    }

    /**
     * This DDL run so that writers of the tables it changes do not wait for it ({@link OnlineDdl}), on a connection
     * in autocommit mode outside any transaction; where the database has no online DDL (H2), this DDL as it is.
     */
    SchemaDdl online() {
        return onlineVariant;
    }

    /** See {@link OnlineDdl#releaseSnapshot}: nothing unless online. */
    void releaseSnapshot(DSLContext transaction) {
        if (online != null) {
            online.releaseSnapshot(transaction);
        }
    }

    /** Runs {@code statement}: when online, waiting a bounded time for locks writers need too, and retrying. */
    private void run(DSLContext ddl, org.jooq.Query statement) {
        if (online == null) {
            statement.execute();
        } else {
            online.briefly(ddl, statement::execute);
        }
    }

    /**
     * Runs the DDL of {@code change}, whose result is {@code next}, on {@code ddl}; first refuses a change that
     * would pass the database's column limits ({@link ColumnCapacity}).
     */
    void apply(DSLContext ddl, SchemaChange change, SchemaSnapshot next) {
        capacity.check(ddl, change, next);
        switch (change) {
            case SchemaChange.AddObjectType a -> createType(ddl, a.type(), next);
            case SchemaChange.DeleteObjectType d -> dropType(ddl, d.type());
            case SchemaChange.AddField a -> addField(ddl, type(next, a.objectType()), a.field(), next);
            case SchemaChange.DeleteField d -> dropField(ddl, type(next, d.objectType()), d.field());
            case SchemaChange.ChangeField c -> changeField(ddl, type(next, c.objectType()), c.before(), c.after());
            case SchemaChange.ChangeRules r -> {}
            case SchemaChange.SetDuplicateRules d -> {}
            case SchemaChange.SavePipeline p -> {}
            case SchemaChange.SetLeadMapping m -> {}
            case SchemaChange.SetCurrencies c -> {}
        }
    }

    private static ObjectType type(SchemaSnapshot next, String name) {
        return next.findObjectType(name).orElseThrow(() -> new IllegalStateException("no object type " + name));
    }

    private void createType(DSLContext ddl, ObjectType type, SchemaSnapshot next) {
        RecordTable t = new RecordTable(type, naming, database);
        CreateTableElementListStep create = ddl.createTableIfNotExists(t.table());
        for (org.jooq.Field<?> f : t.selectList().subList(0, 9)) {
            create = create.column(DSL.name(f.getName()), f.getDataType());
        }
        for (RecordTable.Column c : t.columns()) {
            create = create.column(DSL.name(c.column().getName()), c.type());
        }
        org.jooq.Field<String> totals = t.rollupTotals;
        if (totals != null) {
            create = create.column(DSL.name(totals.getName()), totals.getDataType());
        }
        List<Constraint> constraints = new ArrayList<>();
        constraints.add(DSL.constraint(naming.constraint("pk", type, "id")).primaryKey(DSL.name("id")));
        create.constraints(constraints).execute();
        createIndex(ddl, type, ownerIndex(type));
        for (Field f : type.fields()) {
            fieldIndexes(ddl, type, f, next);
        }
    }

    /**
     * Drops the b-tree indexes of {@code type}'s table (the owner's, and what its fields ask for: not the primary
     * key), for a restore that loads the rows first and builds the indexes after them, as {@code pg_restore} does.
     */
    void dropIndexes(DSLContext ddl, ObjectType type) {
        RecordTable t = new RecordTable(type, naming, database);
        dropIndex(ddl, t.table(), ownerIndex(type).name());
        for (Field f : type.fields()) {
            for (IndexSpec index : indexesOf(type, f, t.columnsOf(f.name()))) {
                dropIndex(ddl, t.table(), index.name());
            }
        }
    }

    /** Builds the indexes {@link #dropIndexes} drops, those that do not exist. */
    void createIndexes(DSLContext ddl, ObjectType type) {
        RecordTable t = new RecordTable(type, naming, database);
        createIndex(ddl, type, ownerIndex(type));
        for (Field f : type.fields()) {
            for (IndexSpec index : indexesOf(type, f, t.columnsOf(f.name()))) {
                createIndex(ddl, type, index);
            }
        }
    }

    /**
     * Drops the tables of {@code types} that exist (a restore clearing the storage): every foreign key of their
     * references first, then every link table, so that tables referring to one another can go in any order, then the
     * record tables.
     */
    void dropAll(DSLContext ddl, java.util.Collection<ObjectType> types) {
        for (ObjectType type : types) {
            RecordTable t = new RecordTable(type, naming, database);
            for (Field f : type.fields()) {
                if (f.type() == FieldType.REFERENCE) {
                    dropForeignKey(ddl, t.table(), naming.constraint("fk", type, f.name()));
                }
            }
        }
        for (ObjectType type : types) {
            for (RecordTable.Link link : new RecordTable(type, naming, database).links().values()) {
                ddl.dropTableIfExists(link.table()).execute();
            }
        }
        for (ObjectType type : types) {
            dropType(ddl, type);
        }
    }

    private void dropType(DSLContext ddl, ObjectType type) {
        RecordTable t = new RecordTable(type, naming, database);
        for (RecordTable.Link link : t.links().values()) {
            run(ddl, ddl.dropTableIfExists(link.table()));
        }
        run(ddl, ddl.dropTableIfExists(t.table()));
    }

    private void addField(DSLContext ddl, ObjectType type, Field field, SchemaSnapshot next) {
        RecordTable t = new RecordTable(type, naming, database);
        for (RecordTable.Column c : t.columnsOf(field.name())) {
            run(ddl, ddl.alterTable(t.table()).addColumnIfNotExists(DSL.name(c.column().getName()), c.type()));
        }
        org.jooq.Query totals = field.rollup() != null ? addRollupTotalsStatement(ddl, t) : null;
        if (totals != null) {
            run(ddl, totals);
        }
        Object fill = field.required() ? field.defaultValue() : null;
        if (fill != null && !t.columnsOf(field.name()).isEmpty()) {
            backfill(ddl, t, field, fill); // before the indexes, so the index is built once, not updated per row
        }
        fieldIndexes(ddl, type, field, next);
    }

    /** Adds the {@link RecordTable#rollupTotals} column to a table of a type that holds roll-ups, unless it has it. */
    static void addRollupTotals(DSLContext ddl, RecordTable t) {
        org.jooq.Query add = addRollupTotalsStatement(ddl, t);
        if (add != null) {
            add.execute();
        }
    }

    private static org.jooq.@Nullable Query addRollupTotalsStatement(DSLContext ddl, RecordTable t) {
        org.jooq.Field<String> totals = t.rollupTotals;
        return totals == null ? null
                : ddl.alterTable(t.table()).addColumnIfNotExists(DSL.name(totals.getName()), totals.getDataType());
    }

    /** Gives existing records the default of a new required field (as the in-memory storage does). */
    private static void backfill(DSLContext ddl, RecordTable t, Field field, Object fill) {
        List<RecordTable.Column> cs = t.columnsOf(field.name());
        Map<org.jooq.Field<?>, Object> set = new java.util.LinkedHashMap<>();
        for (RecordTable.Column c : cs) {
            Object v = switch (fill) {
                case Money m -> c.part() == null ? m.amount() : m.currency();
                case Address a -> a.part(Objects.requireNonNull(c.part(), "an address column has a part"));
                case List<?> l -> String.join(";", l.stream().map(Object::toString).toList());
                default -> RecordTable.columnValue(fill);
            };
            set.put(c.column(), v);
        }
        ddl.update(t.table()).set(set).where(cs.get(0).column().isNull()).execute();
    }

    private void dropField(DSLContext ddl, ObjectType type, Field field) {
        RecordTable t = new RecordTable(type.withFields(withField(type, field)), naming, database);
        if (field.type() == FieldType.RELATION) {
            run(ddl, ddl.dropTableIfExists(link(t, field).table()));
            return;
        }
        if (field.type() == FieldType.REFERENCE) {
            dropForeignKey(ddl, t.table(), naming.constraint("fk", type, field.name()));
        }
        for (RecordTable.Column c : t.columnsOf(field.name())) {
            dropIndex(ddl, t.table(), naming.constraint("ux", type, field.name()));
            dropIndex(ddl, t.table(), naming.constraint("ix", type, field.name()));
            run(ddl, ddl.alterTable(t.table()).dropColumnIfExists(DSL.name(c.column().getName())));
        }
    }

    private static List<Field> withField(ObjectType type, Field field) {
        List<Field> fields = new ArrayList<>(type.fields());
        if (type.findField(field.name()).isEmpty()) {
            fields.add(field);
        }
        return fields;
    }

    private void changeField(DSLContext ddl, ObjectType type, Field before, Field after) {
        RecordTable t = new RecordTable(type, naming, database);
        List<RecordTable.Column> cs = t.columnsOf(after.name());
        if (cs.isEmpty()) {
            return;
        }
        boolean resized = before.encrypted() != after.encrypted() && after.type() != FieldType.LONG_TEXT
                || before.effectiveMaxLength() != after.effectiveMaxLength() && after.type() == FieldType.TEXT
                || before.scale() != after.scale() && after.type().isNumeric() && after.type() != FieldType.INTEGER;
        boolean retyped = database.textTypeFollowsIndex() && (before.indexed() || before.unique()) != (after.indexed()
                || after.unique()) && (after.type().isText() || after.type() == FieldType.ADDRESS);
        if (resized || retyped) {
            RecordTable.Column main = cs.get(0);
            if (main.field().unique() || before.unique()) {
                dropIndex(ddl, t.table(), naming.constraint("ux", type, after.name()));
            }
            if (main.field().indexed() || before.indexed()) {
                for (String covers : indexCovers(after, cs)) {
                    dropIndex(ddl, t.table(), naming.constraint("ix", type, covers));
                }
            }
            for (RecordTable.Column c : retyped ? cs : List.of(main)) {
                run(ddl, ddl.alterTable(t.table()).alterColumn(DSL.name(c.column().getName())).set(c.type()));
            }
        }
        if (!after.unique() && before.unique()) {
            dropIndex(ddl, t.table(), naming.constraint("ux", type, after.name()));
        }
        if (!after.indexed() && before.indexed()) {
            for (String covers : indexCovers(after, cs)) {
                dropIndex(ddl, t.table(), naming.constraint("ix", type, covers));
            }
        }
        uniqueAndIndex(ddl, type, after, cs);
    }

    /** The link table of a relation field (every relation field has one). */
    private static RecordTable.Link link(RecordTable t, Field relation) {
        return Objects.requireNonNull(t.links().get(relation.name()), relation.name());
    }

    /** The target type of a reference or relation field (both always name one). */
    private static String target(Field f) {
        return Objects.requireNonNull(f.target(), f.name());
    }

    /** Unique index, index, foreign key or link table a field asks for. */
    private void fieldIndexes(DSLContext ddl, ObjectType type, Field f, SchemaSnapshot next) {
        RecordTable t = new RecordTable(type, naming, database);
        if (f.type() == FieldType.RELATION) {
            createLinkTable(ddl, type, link(t, f), type(next, target(f)));
            return;
        }
        List<RecordTable.Column> cs = t.columnsOf(f.name());
        if (cs.isEmpty()) {
            return;
        }
        uniqueAndIndex(ddl, type, f, cs); // before a foreign key, so MariaDB makes no index of its own for it
        if (f.type() == FieldType.REFERENCE) {
            ObjectType target = type(next, target(f));
            Name fk = naming.constraint("fk", type, f.name());
            if (constraintExists(ddl, t.table(), fk)) {
                return;
            }
            if (online != null) {
                online.addForeignKey(ddl, t.table(), fk, DSL.name(f.name()), naming.table(target));
            } else {
                ddl.alterTable(t.table()).add(DSL.constraint(fk).foreignKey(DSL.name(f.name()))
                        .references(naming.table(target), DSL.name("id"))).execute();
            }
        }
    }

    private void uniqueAndIndex(DSLContext ddl, ObjectType type, Field f, List<RecordTable.Column> cs) {
        for (IndexSpec index : indexesOf(type, f, cs)) {
            createIndex(ddl, type, index);
        }
    }

    /** A b-tree index of a record table: its name, whether it is unique, its columns. */
    private record IndexSpec(Name name, boolean unique, Name... columns) {}

    private IndexSpec ownerIndex(ObjectType type) {
        return new IndexSpec(naming.constraint("ix", type, "owner"), false, DSL.name("owner"));
    }

    /**
     * The indexes a field with columns {@code cs} asks for: a reference's {@code ref_} index; a unique field's unique
     * index; an indexed field's index (one per part of an address), unless its column has one already (a reference's
     * {@code ref_} index, a unique field's unique index: the same column indexed twice only costs every write).
     */
    private List<IndexSpec> indexesOf(ObjectType type, Field f, List<RecordTable.Column> cs) {
        List<IndexSpec> out = new ArrayList<>();
        if (cs.isEmpty() || f.type() == FieldType.RELATION) {
            return out;
        }
        if (f.type() == FieldType.REFERENCE) {
            out.add(new IndexSpec(naming.constraint("ix", type, "ref_" + f.name()), false, DSL.name(f.name())));
        }
        if (f.type() == FieldType.LONG_TEXT || f.type() == FieldType.MULTI_PICKLIST) {
            return out; // unbounded text cannot carry a b-tree index on every database; filters on it scan
        }
        Name[] columns = cs.stream().map(c -> DSL.name(c.column().getName())).toArray(Name[]::new);
        if (f.unique()) {
            out.add(new IndexSpec(naming.constraint("ux", type, f.name()), true, columns[0]));
        }
        if (f.indexed() && f.type() != FieldType.REFERENCE && !(f.unique() && columns.length == 1)) {
            if (f.type() == FieldType.ADDRESS) {
                for (int i = 0; i < columns.length; i++) {
                    out.add(new IndexSpec(naming.constraint("ix", type, cs.get(i).column().getName()), false,
                            columns[i]));
                }
            } else {
                out.add(new IndexSpec(naming.constraint("ix", type, f.name()), false, columns));
            }
        }
        return out;
    }

    /**
     * What the indexes of an indexed field are named after: an address gets one index per part (filters name one
     * part, and five parts in one key could pass PostgreSQL's b-tree entry limit), other fields one index.
     */
    private static List<String> indexCovers(Field f, List<RecordTable.Column> cs) {
        return f.type() == FieldType.ADDRESS ? cs.stream().map(c -> c.column().getName()).toList()
                : List.of(f.name());
    }

    private void createIndex(DSLContext ddl, ObjectType type, IndexSpec index) {
        Table<?> table = DSL.table(naming.table(type));
        if (online != null) {
            online.createIndex(ddl, table, index.name(), index.unique(), index.columns());
        } else if (index.unique()) {
            ddl.createUniqueIndexIfNotExists(index.name()).on(table, fields(index.columns())).execute();
        } else {
            ddl.createIndexIfNotExists(index.name()).on(table, fields(index.columns())).execute();
        }
    }

    private static org.jooq.Field<?>[] fields(Name... columns) {
        org.jooq.Field<?>[] out = new org.jooq.Field<?>[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = DSL.field(columns[i]);
        }
        return out;
    }

    private void dropIndex(DSLContext ddl, Table<?> table, Name name) {
        run(ddl, ddl.dropIndexIfExists(name).on(table));
    }

    private void createLinkTable(DSLContext ddl, ObjectType type, RecordTable.Link link, ObjectType target) {
        run(ddl, ddl.createTableIfNotExists(link.table())
                .column(DSL.name("record_id"), link.recordId().getDataType())
                .column(DSL.name("target_id"), link.targetId().getDataType())
                .column(DSL.name("ordinal"), SQLDataType.INTEGER.nullable(false))
                .constraints(
                        DSL.constraint(naming.constraint("pk", type, link.field().name() + "__link"))
                                .primaryKey(DSL.name("record_id"), DSL.name("target_id")),
                        DSL.constraint(naming.constraint("fk", type, link.field().name() + "__record"))
                                .foreignKey(DSL.name("record_id")).references(naming.table(type), DSL.name("id"))
                                .onDeleteCascade(),
                        DSL.constraint(naming.constraint("fk", type, link.field().name() + "__target"))
                                .foreignKey(DSL.name("target_id")).references(naming.table(target), DSL.name("id"))));
        run(ddl, ddl.createIndexIfNotExists(naming.constraint("ix", type, link.field().name() + "__target"))
                .on(link.table(), DSL.field(DSL.name("target_id")))); // a new table: nobody waits for it
    }

    private void dropForeignKey(DSLContext ddl, Table<?> table, Name fk) {
        if (constraintExists(ddl, table, fk)) {
            run(ddl, ddl.alterTable(table).dropForeignKey(fk));
        }
    }

    /** Whether a foreign key of this name exists on the table (DDL for it has no IF NOT EXISTS everywhere). */
    private boolean constraintExists(DSLContext ddl, Table<?> table, Name constraint) {
        return ddl.connectionResult(c -> {
            java.sql.DatabaseMetaData meta = c.getMetaData();
            try (java.sql.ResultSet rs = meta.getImportedKeys(c.getCatalog(), schema(c), table.getName())) {
                while (rs.next()) {
                    if (constraint.last().equals(rs.getString("FK_NAME"))) {
                        return true;
                    }
                }
            }
            return false;
        });
    }

    private @Nullable String schema(java.sql.Connection c) throws java.sql.SQLException {
        return database.metadataSchema(c);
    }
}
