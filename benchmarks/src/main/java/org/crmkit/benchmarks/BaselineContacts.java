package org.crmkit.benchmarks;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.crmkit.record.Address;
import org.crmkit.security.Principal;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * The baseline of the storage suite: contacts written and read with plain jOOQ on a table identical to CRMKit's
 * {@code crm_contact} (the same DDL, made by a second CRMKit storage under another table prefix, then only used
 * through SQL), through a HikariCP pool with CRMKit's pool settings. No schema, validation, access control,
 * change log or import ledger: what a hand-written data layer on the same table would do. Each operation takes a
 * connection from the pool and gives it back, as each CRMKit transaction does.
 */
final class BaselineContacts {
    private final DataSource pool;
    private final SQLDialect dialect;
    private final String tableName;
    private final Table<Record> table;
    /** The table's columns in their order, typed from the database's metadata. */
    private final List<Field<Object>> columns;
    private final Field<UUID> id;
    private final Field<Long> version;
    private final Field<LocalDateTime> updatedAt;
    private final Field<String> tier;
    private final Field<Long> lifetimeOrders;
    private final Field<BigDecimal> score;
    private final Field<Object> deletedAt;
    private final Field<String> ownerField;
    private final Field<String> updatedBy;
    /** Time-ordered ids like CRMKit's (RFC 9562 UUIDv7, the same library and random source). */
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator(new SecureRandom());

    BaselineContacts(DataSource pool, SQLDialect dialect, String tableName) throws SQLException {
        this.pool = pool;
        this.dialect = dialect;
        this.tableName = tableName;
        this.table = DSL.table(DSL.name(tableName));
        this.columns = columnsOf(pool, tableName);
        this.id = DSL.field(DSL.name("id"), SQLDataType.UUID);
        this.version = DSL.field(DSL.name("version"), SQLDataType.BIGINT);
        this.updatedAt = DSL.field(DSL.name("updated_at"), SQLDataType.LOCALDATETIME(6));
        this.tier = DSL.field(DSL.name("tier"), SQLDataType.VARCHAR);
        this.lifetimeOrders = DSL.field(DSL.name("lifetime_orders"), SQLDataType.BIGINT);
        this.score = DSL.field(DSL.name("score"), SQLDataType.DECIMAL);
        this.deletedAt = column("deleted_at");
        this.ownerField = DSL.field(DSL.name("owner"), SQLDataType.VARCHAR);
        this.updatedBy = DSL.field(DSL.name("updated_by"), SQLDataType.VARCHAR);
    }

    String tableName() {
        return tableName;
    }

    private Field<Object> column(String name) {
        return columns.stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(tableName + " has no column " + name));
    }

    /** The columns of a table, in order, with jOOQ types for what their JDBC metadata says they hold. */
    @SuppressWarnings("unchecked")
    private static List<Field<Object>> columnsOf(DataSource pool, String tableName) throws SQLException {
        List<Field<Object>> out = new ArrayList<>();
        for (ColumnInfo c : describe(pool, tableName)) {
            DataType<?> type = switch (c.jdbcType()) {
                case Types.BIGINT -> SQLDataType.BIGINT;
                case Types.TIMESTAMP -> SQLDataType.LOCALDATETIME(6);
                case Types.BOOLEAN, Types.BIT -> SQLDataType.BOOLEAN;
                case Types.NUMERIC, Types.DECIMAL -> SQLDataType.DECIMAL;
                case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR -> SQLDataType.VARCHAR;
                default -> {
                    if (c.typeName().equalsIgnoreCase("uuid")) {
                        yield SQLDataType.UUID;
                    }
                    throw new IllegalStateException(tableName + "." + c.name() + " has a type the baseline does not "
                            + "bind: " + c.typeName() + " (" + c.jdbcType() + ")");
                }
            };
            out.add((Field<Object>) DSL.field(DSL.name(c.name()), type));
        }
        return List.copyOf(out);
    }

    /** One column as the database describes it. */
    record ColumnInfo(String name, int jdbcType, String typeName, int size, int digits, String nullable) {}

    /** The columns of a table, in order, from {@link DatabaseMetaData#getColumns}. */
    static List<ColumnInfo> describe(DataSource pool, String tableName) throws SQLException {
        List<ColumnInfo> out = new ArrayList<>();
        try (Connection c = pool.getConnection();
                ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), tableName, null)) {
            while (rs.next()) {
                if (!tableName.equals(rs.getString("TABLE_NAME"))) {
                    continue; // '_' in the name is a LIKE wildcard
                }
                out.add(new ColumnInfo(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"),
                        rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"),
                        rs.getString("IS_NULLABLE")));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no table " + tableName);
        }
        return out;
    }

    /** The indexes of a table as "unique? (columns)" (names left out: they carry the table prefix). */
    static List<String> indexes(DataSource pool, String tableName) throws SQLException {
        Map<String, List<String>> byName = new java.util.TreeMap<>();
        Map<String, Boolean> unique = new java.util.HashMap<>();
        try (Connection c = pool.getConnection();
                ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), tableName, false, false)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                if (index == null || !tableName.equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                byName.computeIfAbsent(index, k -> new ArrayList<>()).add(rs.getString("COLUMN_NAME"));
                unique.put(index, !rs.getBoolean("NON_UNIQUE"));
            }
        }
        TreeSet<String> out = new TreeSet<>();
        byName.forEach((index, cols) -> out.add((unique.getOrDefault(index, false) ? "unique " : "") + cols));
        return List.copyOf(out);
    }

    // ---- bulk insert ----------------------------------------------------------------------------------------

    /**
     * Inserts every contact with a jOOQ batch ({@code dsl.batch(insertInto(...).values(...)).bind(...)}) of
     * {@code batchSize} rows per transaction, each on a connection from the pool, committed per batch. Rows get
     * what CRMKit gives a record the system principal creates: a UUIDv7 id, version 1, created_by / updated_by
     * "system", owner the contact's {@code owner} value if it has one (else "system"), created_at = updated_at = now
     * (UTC, microseconds). Returns the ids in row order.
     */
    UUID[] insertAll(List<Map<String, Object>> contacts, int batchSize) throws SQLException {
        UUID[] out = new UUID[contacts.size()];
        for (int from = 0; from < contacts.size(); from += batchSize) {
            int to = Math.min(contacts.size(), from + batchSize);
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                DSLContext dsl = DSL.using(c, dialect);
                BatchBindStep batch = dsl.batch(dsl.insertInto(table, columns)
                        .values(Collections.nCopies(columns.size(), (Object) null)));
                for (int i = from; i < to; i++) {
                    UUID rowId = ids.generate();
                    out[i] = rowId;
                    batch = batch.bind(row(contacts.get(i), rowId, now, Principal.SYSTEM_ID));
                }
                batch.execute();
                c.commit();
            }
        }
        return out;
    }

    /**
     * The column values of one contact, in column order, written by {@code by}: owned by the contact's
     * {@code owner} when it has one, else by {@code by}.
     */
    private Object[] row(Map<String, Object> contact, UUID rowId, LocalDateTime now, String by) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            String name = columns.get(i).getName();
            values[i] = switch (name) {
                case "id" -> rowId;
                case "version" -> 1L;
                case "owner" -> contact.getOrDefault("owner", by);
                case "created_by", "updated_by" -> by;
                case "created_at", "updated_at" -> now;
                case "team", "deleted_at" -> null;
                default -> {
                    int part = name.indexOf("__");
                    if (part < 0) {
                        yield contact.get(name);
                    }
                    Object whole = contact.get(name.substring(0, part));
                    yield whole == null ? null : ((Address) whole).part(name.substring(part + 2));
                }
            };
        }
        return values;
    }

    // ---- get, update, aggregate -----------------------------------------------------------------------------

    /** {@code select * from <table> where id = ?}, fetched into a jOOQ record (null when there is none). */
    Record get(UUID rowId) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return DSL.using(c, dialect).selectFrom(table).where(id.eq(rowId)).fetchOne();
        }
    }

    /**
     * {@code update <table> set <column> = ?, version = version + 1, updated_at = ? where id = ? and version = ?}
     * in a transaction, failing unless it updated one row. Returns the new version.
     */
    long update(UUID rowId, long expectedVersion, String column, Object value) throws SQLException {
        return update(rowId, expectedVersion, column, value, null);
    }

    /** The update of {@link #update(UUID, long, String, Object)}, or as {@code owner} when it is not null. */
    private long update(UUID rowId, long expectedVersion, String column, Object value, @Nullable String owner)
            throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            UpdateSetMoreStep<Record> set = DSL.using(c, dialect).update(table)
                    .set(DSL.field(DSL.name(column)), value)
                    .set(version, version.plus(1))
                    .set(updatedAt, LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
            Condition where = id.eq(rowId).and(version.eq(expectedVersion));
            if (owner != null) {
                set = set.set(updatedBy, owner);
                where = where.and(ownerField.eq(owner)).and(deletedAt.isNull());
            }
            int n = set.where(where).execute();
            if (n != 1) {
                c.rollback();
                throw new IllegalStateException("baseline update of " + rowId + " at version " + expectedVersion
                        + " changed " + n + " rows");
            }
            c.commit();
            return expectedVersion + 1;
        }
    }

    // ---- the load suite's operations, as a user who owns the rows ---------------------------------------------

    /**
     * {@code select * from <table> where id = ? and owner = ? and deleted_at is null}: what a sales rep may read
     * (null when there is none).
     */
    Record get(UUID rowId, String owner) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return DSL.using(c, dialect).selectFrom(table).where(id.eq(rowId)).and(ownerField.eq(owner))
                    .and(deletedAt.isNull()).fetchOne();
        }
    }

    /**
     * {@code update <table> set <column> = ?, version = version + 1, updated_at = ?, updated_by = ? where id = ?
     * and version = ? and owner = ? and deleted_at is null} in a transaction, failing unless it updated one row.
     * Returns the new version.
     */
    long update(UUID rowId, long expectedVersion, String owner, String column, Object value) throws SQLException {
        return update(rowId, expectedVersion, column, value, owner);
    }

    /**
     * {@code insert into <table> values (...)} of one contact owned and created by {@code owner} (a UUIDv7 id,
     * version 1), committed on its own. Returns the id.
     */
    UUID insert(Map<String, Object> contact, String owner) throws SQLException {
        UUID rowId = ids.generate();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        try (Connection c = pool.getConnection()) {
            DSL.using(c, dialect).insertInto(table, columns).values(row(contact, rowId, now, owner)).execute();
        }
        return rowId;
    }

    /**
     * {@code select tier, count(*), sum(score) from <table> where lifetime_orders > ? and deleted_at is null
     * group by tier order by tier}.
     */
    List<Record3<String, Integer, BigDecimal>> countAndScoreByTier(long minOrdersExclusive) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return DSL.using(c, dialect).select(tier, DSL.count(), DSL.sum(score)).from(table)
                    .where(lifetimeOrders.gt(minOrdersExclusive)).and(deletedAt.isNull())
                    .groupBy(tier).orderBy(tier).fetch();
        }
    }

    @Override
    public String toString() {
        return "BaselineContacts[" + tableName + ", " + dialect.name().toLowerCase(Locale.ROOT) + "]";
    }
}
