package org.crmkit.storage.jdbc.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jooq.DataType;
import org.jooq.Name;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * The table of one object type at one schema version: its jOOQ table and columns, the link tables of its
 * relations, and the mapping between a {@link Record} and a row. Instants are stored as UTC timestamps with
 * microseconds, multi-picklists as their values joined by {@code ;} (option values never contain it), currency as
 * amount and code columns, addresses as one column per part.
 */
public final class RecordTable {
    /** Longest principal id stored in owner, team, created_by and updated_by. */
    public static final int PRINCIPAL_LENGTH = 255;

    /** One physical column of a field (or of one part of a structured field). */
    public record Column(Field field, @Nullable String part, org.jooq.Field<Object> column, DataType<?> type) {}

    /** The link table of a relation field. */
    public record Link(Field field, Table<org.jooq.Record> table, org.jooq.Field<UUID> recordId,
            org.jooq.Field<UUID> targetId, org.jooq.Field<Integer> ordinal) {}

    private final ObjectType type;
    private final Table<org.jooq.Record> table;
    public final org.jooq.Field<UUID> id;
    public final org.jooq.Field<Long> version;
    public final org.jooq.Field<String> owner;
    public final org.jooq.Field<String> team;
    public final org.jooq.Field<LocalDateTime> createdAt;
    public final org.jooq.Field<String> createdBy;
    public final org.jooq.Field<LocalDateTime> updatedAt;
    public final org.jooq.Field<String> updatedBy;
    public final org.jooq.Field<LocalDateTime> deletedAt;
    /**
     * The exact totals of the type's roll-ups ({@link org.crmkit.storage.spi.RollupTotalsStore}), a column only of
     * the tables of types that hold roll-ups: {@value #ROLLUP_TOTALS} ({@code __} keeps it apart from field columns).
     */
    public final org.jooq.@Nullable Field<String> rollupTotals;
    /** The name of the {@link #rollupTotals} column. */
    public static final String ROLLUP_TOTALS = "crmkit__rollup_totals";
    private final List<Column> columns = new ArrayList<>();
    private final Map<String, List<Column>> columnsByField = new HashMap<>();
    private final Map<String, Link> links = new LinkedHashMap<>();
    private final List<org.jooq.Field<?>> selectList = new ArrayList<>();
    private final Map<String, org.jooq.Field<?>> properties = new HashMap<>();

    public RecordTable(ObjectType type, Naming naming, DatabaseStrategy database) {
        this.type = type;
        this.table = DSL.table(naming.table(type));
        Name t = naming.table(type);
        id = DSL.field(DSL.name(t, DSL.name("id")), SQLDataType.UUID.nullable(false));
        version = DSL.field(DSL.name(t, DSL.name("version")), SQLDataType.BIGINT.nullable(false));
        owner = DSL.field(DSL.name(t, DSL.name("owner")), database.text(PRINCIPAL_LENGTH).nullable(false));
        team = DSL.field(DSL.name(t, DSL.name("team")), database.text(PRINCIPAL_LENGTH));
        createdAt = DSL.field(DSL.name(t, DSL.name("created_at")), JavaTime.TIMESTAMP.nullable(false));
        createdBy = DSL.field(DSL.name(t, DSL.name("created_by")), database.text(PRINCIPAL_LENGTH).nullable(false));
        updatedAt = DSL.field(DSL.name(t, DSL.name("updated_at")), JavaTime.TIMESTAMP.nullable(false));
        updatedBy = DSL.field(DSL.name(t, DSL.name("updated_by")), database.text(PRINCIPAL_LENGTH).nullable(false));
        deletedAt = DSL.field(DSL.name(t, DSL.name("deleted_at")), JavaTime.TIMESTAMP);
        selectList.addAll(List.of(id, version, owner, team, createdAt, createdBy, updatedAt, updatedBy, deletedAt));
        for (org.jooq.Field<?> p : selectList) {
            properties.put(p.getName(), p);
        }
        rollupTotals = holdsRollups(type) ? DSL.field(DSL.name(t, DSL.name(ROLLUP_TOTALS)),
                database.unindexedText(ROLLUP_TOTALS_LENGTH)) : null;
        for (Field f : type.fields()) {
            switch (f.type()) {
                case FORMULA -> {}
                case RELATION -> {
                    Name link = naming.linkTable(type, f);
                    links.put(f.name(), new Link(f, DSL.table(link),
                            DSL.field(DSL.name(link, DSL.name("record_id")), SQLDataType.UUID.nullable(false)),
                            DSL.field(DSL.name(link, DSL.name("target_id")), SQLDataType.UUID.nullable(false)),
                            DSL.field(DSL.name(link, DSL.name("ordinal")), SQLDataType.INTEGER.nullable(false))));
                }
                case CURRENCY -> {
                    add(f, null, naming.column(f), decimal(f));
                    add(f, "currency", naming.column(f, "currency"), database.text(3));
                }
                case ADDRESS -> {
                    for (String part : Address.PARTS) {
                        add(f, part, naming.column(f, part), text(f, Field.DEFAULT_TEXT_LENGTH, database));
                    }
                }
                default -> add(f, null, naming.column(f), columnType(f, database));
            }
        }
    }

    /** Longest text of {@link #rollupTotals}: some thirty roll-ups, each a name, a fingerprint and a total. */
    static final int ROLLUP_TOTALS_LENGTH = 8_000;

    /** Whether the type holds a roll-up field, so its table has the {@link #rollupTotals} column. */
    static boolean holdsRollups(ObjectType type) {
        return type.fields().stream().anyMatch(f -> f.rollup() != null);
    }

    private void add(Field f, @Nullable String part, Name name, DataType<?> dataType) {
        @SuppressWarnings("unchecked")
        org.jooq.Field<Object> column = (org.jooq.Field<Object>) DSL.field(DSL.name(table.getQualifiedName(), name),
                dataType);
        Column c = new Column(f, part, column, dataType);
        columns.add(c);
        columnsByField.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(c);
        selectList.add(column);
    }

    private static DataType<BigDecimal> decimal(Field f) {
        return SQLDataType.DECIMAL(18, f.scale());
    }

    /**
     * A text column of {@code f}: indexable when the field is indexed or unique (see
     * {@link DatabaseStrategy#unindexedText}).
     */
    static DataType<String> text(Field f, int length, DatabaseStrategy database) {
        if (f.encrypted()) {
            // ciphertext (EncryptedText): ASCII, longer than the value
            int stored = org.crmkit.storage.support.EncryptedText.maxLength(length);
            return f.indexed() || f.unique() ? database.asciiText(stored) : database.unindexedText(stored);
        }
        return f.indexed() || f.unique() ? database.text(length) : database.unindexedText(length);
    }

    /** The column type of a single-column field. */
    static DataType<?> columnType(Field f, DatabaseStrategy database) {
        return switch (f.type()) {
            case TEXT -> text(f, f.effectiveMaxLength(), database);
            case LONG_TEXT, MULTI_PICKLIST -> database.longText();
            case EMAIL -> text(f, 254, database);
            case PHONE -> text(f, 64, database);
            case URL -> text(f, 2048, database);
            case PICKLIST -> text(f, 100, database);
            case INTEGER -> SQLDataType.BIGINT;
            case DECIMAL, PERCENT -> decimal(f);
            case BOOLEAN -> SQLDataType.BOOLEAN;
            case DATE -> JavaTime.DATE;
            case DATETIME -> JavaTime.TIMESTAMP;
            case REFERENCE -> SQLDataType.UUID;
            case CURRENCY, ADDRESS, RELATION, FORMULA -> throw new IllegalArgumentException(f.type() + " has no "
                    + "single column");
        };
    }

    public ObjectType type() {
        return type;
    }

    public Table<org.jooq.Record> table() {
        return table;
    }

    /** Every stored column, system ones first. */
    public List<org.jooq.Field<?>> selectList() {
        return selectList;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The columns of one field (two for currency, five for an address, none for formulas and relations). */
    public List<Column> columnsOf(String field) {
        return columnsByField.getOrDefault(field, List.of());
    }

    /** The column of a system property ({@code id}, {@code owner}...). */
    public org.jooq.Field<?> property(String name) {
        org.jooq.Field<?> f = properties.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no system property " + name);
        }
        return f;
    }

    public Map<String, Link> links() {
        return links;
    }

    // ---- Record <-> row -----------------------------------------------------------------------------------

    /** The columns every record table starts with: id, version, owner, team, and the four stamps and deletion. */
    private static final int SYSTEM_COLUMNS = 9;

    /** The values of every stored column of the record, system columns included, for INSERT or UPDATE. */
    public Map<org.jooq.Field<?>, @Nullable Object> row(Record r) {
        Map<org.jooq.Field<?>, @Nullable Object> row = new LinkedHashMap<>();
        row.put(id, r.id());
        row.put(version, r.version());
        row.put(owner, r.owner());
        row.put(team, r.team());
        row.put(createdAt, utc(r.createdAt()));
        row.put(createdBy, r.createdBy());
        row.put(updatedAt, utc(r.updatedAt()));
        row.put(updatedBy, r.updatedBy());
        row.put(deletedAt, utc(r.deletedAt()));
        for (Column c : columns) {
            row.put(c.column(), toColumn(c, r.get(c.field().name())));
        }
        return row;
    }

    /** The values of {@link #row}, in the order of {@link #selectList()}, without the map: a bulk insert's row. */
    public @Nullable Object[] rowValues(Record r) {
        @Nullable
        Object[] out = new Object[SYSTEM_COLUMNS + columns.size()];
        out[0] = r.id();
        out[1] = r.version();
        out[2] = r.owner();
        out[3] = r.team();
        out[4] = utc(r.createdAt());
        out[5] = r.createdBy();
        out[6] = utc(r.updatedAt());
        out[7] = r.updatedBy();
        out[8] = utc(r.deletedAt());
        int i = SYSTEM_COLUMNS;
        for (Column c : columns) {
            out[i++] = toColumn(c, r.get(c.field().name()));
        }
        return out;
    }

    private static @Nullable Object toColumn(Column c, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case Money m -> c.part() == null ? m.amount() : m.currency();
            case Address a -> a.part(Objects.requireNonNull(c.part(), "an address column has a part"));
            case Instant i -> utc(i);
            case List<?> list -> String.join(";", list.stream().map(Object::toString).toList());
            default -> value;
        };
    }

    /** Converts a value of a path's type to what its column holds (instants to UTC timestamps). */
    public static @Nullable Object columnValue(@Nullable Object value) {
        return value instanceof Instant i ? utc(i) : value;
    }

    /** Builds the record of a row; {@code relations} holds the ids of each relation field (absent: empty). */
    public Record toRecord(org.jooq.Record row, Map<String, List<UUID>> relations) {
        Map<String, Object> values = new HashMap<>();
        for (Field f : type.fields()) {
            Object v = switch (f.type()) {
                case FORMULA -> null;
                case RELATION -> {
                    List<UUID> ids = relations.get(f.name());
                    yield ids == null || ids.isEmpty() ? null : List.copyOf(ids);
                }
                case CURRENCY -> {
                    List<Column> cs = columnsOf(f.name());
                    BigDecimal amount = row.get(cs.get(0).column(), BigDecimal.class);
                    String code = row.get(cs.get(1).column(), String.class);
                    yield amount == null || code == null ? null : new Money(amount, code);
                }
                case ADDRESS -> {
                    Map<String, String> parts = new HashMap<>();
                    for (Column c : columnsOf(f.name())) {
                        parts.put(c.part(), row.get(c.column(), String.class));
                    }
                    Address a = new Address(parts.get("street"), parts.get("city"), parts.get("region"),
                            parts.get("postal_code"), parts.get("country"));
                    yield a.isEmpty() ? null : a;
                }
                default -> fromColumn(f.type(), row.get(columnsOf(f.name()).get(0).column()));
            };
            if (v != null) {
                values.put(f.name(), v);
            }
        }
        return new Record(row.get(id), type.name(), row.get(version), row.get(owner), row.get(team),
                requiredInstant(row.get(createdAt)), row.get(createdBy), requiredInstant(row.get(updatedAt)),
                row.get(updatedBy),
                instant(row.get(deletedAt)), values);
    }

    /** Converts a column value read back to the Java type of {@code valueType}. */
    public static @Nullable Object fromColumn(FieldType valueType, @Nullable Object v) {
        if (v == null) {
            return null;
        }
        return switch (valueType) {
            case INTEGER -> v instanceof Long l ? l : ((Number) v).longValue();
            case DECIMAL, PERCENT, CURRENCY -> v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
            case BOOLEAN -> v instanceof Boolean b ? b : ((Number) v).intValue() != 0;
            case DATE -> v instanceof LocalDate d ? d : LocalDate.parse(v.toString());
            case DATETIME -> v instanceof LocalDateTime t ? instant(t) : v instanceof Instant i ? i
                    : instant(LocalDateTime.parse(v.toString().replace(' ', 'T')));
            case REFERENCE -> v instanceof UUID u ? u : UUID.fromString(v.toString());
            case MULTI_PICKLIST -> v.toString().isEmpty() ? null : List.copyOf(Arrays.asList(v.toString().split(";")));
            default -> v.toString();
        };
    }

    static @Nullable LocalDateTime utc(@Nullable Instant i) {
        return i == null ? null : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    /** The instant of a NOT NULL timestamp column. */
    static Instant requiredInstant(@Nullable LocalDateTime t) {
        if (t == null) {
            throw new IllegalStateException("NOT NULL timestamp column read as null");
        }
        return t.toInstant(ZoneOffset.UTC);
    }

    static @Nullable Instant instant(@Nullable LocalDateTime t) {
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
