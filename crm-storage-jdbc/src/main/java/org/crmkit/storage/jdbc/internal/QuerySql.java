package org.crmkit.storage.jdbc.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.crmkit.query.Filter;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.storage.spi.CurrencyConversion;
import org.crmkit.storage.spi.DateBucketPart;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.jooq.Condition;
import org.jooq.Name;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Translates CRMKit's query model for one object type to jOOQ conditions, sort fields and joins, with the
 * semantics documented on {@link Filter}: every predicate is two-valued (an empty value compares false, except
 * {@code ne}), so {@code NOT} is the exact complement as in memory; empty values sort last ascending and first
 * descending; text matching is case-insensitive with {@code %} and {@code _} taken literally. A path through
 * references becomes a LEFT JOIN per hop (a missing or purged target reads as empty). Paths are looked up in the
 * {@link ResolvedPaths} the call came with (resolved by the service layer against its schema), never resolved
 * here; a field such a path names that this transaction's schema no longer has (another node or thread deleted it
 * in between) fails as a concurrent schema change.
 */
final class QuerySql {
    private static final char ESCAPE = '!';

    private final ResolvedPaths paths;
    private final Function<String, RecordTable> tables;
    private final DatabaseStrategy database;
    private final RecordTable root;
    /** Join per hop chain ("company", "company.parent"), in the order they were needed. */
    private final Map<String, Join> joins = new LinkedHashMap<>();
    private int linkAliases;

    private record Join(String alias, RecordTable table, Condition on) {}

    /** Where a path's value lives: the table (root or join alias) holding the terminal field. */
    private record Owner(@Nullable String alias, RecordTable table) {}

    /** @param paths the call's resolved paths: every path translated must be among them */
    QuerySql(ResolvedPaths paths, Function<String, RecordTable> tables, DatabaseStrategy database,
            RecordTable root) {
        this.paths = paths;
        this.tables = tables;
        this.database = database;
        this.root = root;
    }

    /** The resolved path; {@link IllegalStateException} when the call did not come with it. */
    ResolvedPath resolve(String path) {
        return paths.get(path);
    }

    /**
     * The columns of a field of {@code table}; {@code CONCURRENT_CHANGE} when this transaction's schema no longer
     * has the field that the service layer resolved the path with.
     */
    private static List<RecordTable.Column> columns(RecordTable table, String field) {
        List<RecordTable.Column> cs = table.columnsOf(field);
        if (cs.isEmpty()) {
            throw SchemaVersionGuard.changed(table.type().name());
        }
        return cs;
    }

    /** The root table with the LEFT JOINs the translated paths need; call after building everything else. */
    Table<?> from() {
        Table<?> from = root.table();
        for (Join j : joins.values()) {
            from = from.leftJoin(j.table().table().as(j.alias())).on(j.on());
        }
        return from;
    }

    private Owner owner(ResolvedPath path) {
        Owner current = new Owner(null, root);
        StringBuilder chain = new StringBuilder();
        for (Field hop : path.hops()) {
            chain.append(chain.isEmpty() ? "" : ".").append(hop.name());
            Owner from = current;
            Join join = joins.computeIfAbsent(chain.toString(), k -> {
                String alias = "j" + (joins.size() + 1);
                RecordTable target = tables.apply(Objects.requireNonNull(hop.target()));
                org.jooq.Field<Object> ref = at(from, columns(from.table(), hop.name()).get(0).column());
                return new Join(alias, target, at(new Owner(alias, target), target.id).eq(ref.coerce(target.id)));
            });
            current = new Owner(join.alias(), join.table());
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static <T> org.jooq.Field<T> at(Owner owner, org.jooq.Field<T> column) {
        if (owner.alias() == null) {
            return column;
        }
        return DSL.field(DSL.name(owner.alias(), column.getName()), column.getDataType());
    }

    /** The scalar expression of a path (a column of the root or of a joined table). */
    @SuppressWarnings("unchecked")
    org.jooq.Field<Object> value(ResolvedPath path) {
        Owner owner = owner(path);
        if (path.property() != null) {
            return (org.jooq.Field<Object>) at(owner, owner.table().property(path.property()));
        }
        Field f = Objects.requireNonNull(path.field());
        List<RecordTable.Column> cs = columns(owner.table(), f.name()); // formulas and relations never get here
        RecordTable.Column c = cs.get(0);
        if (ResolvedPath.CORPORATE.equals(path.part())) {
            return corporate(owner, cs, Objects.requireNonNull(path.conversion(), "a corporate path converts"));
        }
        if (path.part() != null && (f.valueType() == FieldType.DATE || f.valueType() == FieldType.DATETIME)) {
            return bucket(at(owner, c.column()), f.valueType(), DateBucketPart.parse(path.part()).orElseThrow());
        }
        if (path.part() != null) {
            c = cs.stream().filter(x -> path.part().equals(x.part())).findFirst().orElseThrow();
        }
        return at(owner, c.column());
    }

    /**
     * The amount in the corporate currency: {@code amount * CASE WHEN currency = 'X' AND <date in span> THEN
     * multiplier ... END}, the spans and multipliers inlined (they come from the schema, not from callers), so the
     * product is exact on every database, as {@link CurrencyConversion#convert} computes it in memory.
     */
    @SuppressWarnings("unchecked")
    private org.jooq.Field<Object> corporate(Owner owner, List<RecordTable.Column> cs, CurrencyConversion conversion) {
        org.jooq.Field<java.math.BigDecimal> amount = (org.jooq.Field<java.math.BigDecimal>) (org.jooq.Field<?>) at(
                owner, cs.stream().filter(x -> x.part() == null).findFirst().orElseThrow().column());
        org.jooq.Field<Object> currency = at(owner,
                cs.stream().filter(x -> "currency".equals(x.part())).findFirst().orElseThrow().column());
        ResolvedPath datePath = conversion.date();
        org.jooq.Field<Object> date = datePath == null ? null : value(datePath);
        org.jooq.CaseConditionStep<java.math.BigDecimal> rate = null;
        boolean ordered = contiguous(conversion.spans());
        for (CurrencyConversion.Span s : conversion.spans()) {
            Condition when = currency.eq(DSL.inline(s.currency()));
            if (date != null && ordered) {
                // first match wins: an earlier span of the currency did not match, so only its end is tested; a
                // null date fails every "<" and falls to the currency's newest span, which covers undated amounts
                if (s.until() != null) {
                    when = when.and(date.lt(DSL.inline(s.until(), date.getDataType())));
                }
            } else if (date != null) {
                Condition dated = date.isNotNull();
                if (s.from() != null) {
                    dated = dated.and(date.ge(DSL.inline(s.from(), date.getDataType())));
                }
                if (s.until() != null) {
                    dated = dated.and(date.lt(DSL.inline(s.until(), date.getDataType())));
                }
                when = when.and(s.until() == null ? dated.or(date.isNull()) : dated);
            } else if (s.until() != null) {
                continue;
            }
            org.jooq.Field<java.math.BigDecimal> m = DSL.inline(s.multiplier());
            rate = rate == null ? DSL.when(when, m) : rate.when(when, m);
        }
        return (org.jooq.Field<Object>) (org.jooq.Field<?>) amount.mul(Objects.requireNonNull(rate,
                "the corporate currency has a span"));
    }

    /**
     * Whether each currency's spans follow each other as {@link CurrencyConversion#of} makes them: the first open at
     * the start, each starting where the one before ended, the last open at the end. Then a {@code CASE} that tests
     * only each span's end, in order, picks the same span as {@link CurrencyConversion.Span#covers}.
     */
    private static boolean contiguous(List<CurrencyConversion.Span> spans) {
        Map<String, CurrencyConversion.Span> last = new java.util.HashMap<>();
        for (CurrencyConversion.Span s : spans) {
            CurrencyConversion.Span before = last.put(s.currency(), s);
            if (before == null ? s.from() != null : before.until() == null || !before.until().equals(s.from())) {
                return false;
            }
        }
        return last.values().stream().allMatch(s -> s.until() == null);
    }

    /**
     * The first day of a date's bucket, in date arithmetic every database runs alike ({@link DateBucketPart#startOf}
     * is the reference): a week goes back to Monday by the ISO day of the week; a month back to day 1; a quarter or
     * year shifts the month start back by the fiscal start month, goes back to the period's first month and shifts
     * forward again (day counts cast to integer: PostgreSQL's EXTRACT gives numeric, and date + numeric does not
     * exist). A datetime counts by its date (stored in UTC).
     */
    @SuppressWarnings("unchecked")
    private static org.jooq.Field<Object> bucket(org.jooq.Field<?> column, FieldType type, DateBucketPart b) {
        org.jooq.Field<java.time.LocalDate> d = type == FieldType.DATETIME
                ? DSL.cast(column, org.jooq.impl.SQLDataType.LOCALDATE)
                : (org.jooq.Field<java.time.LocalDate>) column;
        org.jooq.Field<java.time.LocalDate> start = switch (b.unit()) {
            case DAY -> d;
            case WEEK ->
                DSL.localDateSub(d, DSL.isoDayOfWeek(d).minus(DSL.inline(1)).cast(org.jooq.impl.SQLDataType.INTEGER),
                        org.jooq.DatePart.DAY);
            case MONTH -> monthStart(d);
            case QUARTER -> fiscalStart(d, 3, b.fiscalStartMonth());
            case YEAR -> fiscalStart(d, 12, b.fiscalStartMonth());
        };
        return (org.jooq.Field<Object>) (org.jooq.Field<?>) start;
    }

    private static org.jooq.Field<java.time.LocalDate> monthStart(org.jooq.Field<java.time.LocalDate> d) {
        return DSL.localDateSub(d, DSL.day(d).minus(DSL.inline(1)).cast(org.jooq.impl.SQLDataType.INTEGER),
                org.jooq.DatePart.DAY);
    }

    private static org.jooq.Field<java.time.LocalDate> fiscalStart(org.jooq.Field<java.time.LocalDate> d, int months,
            int fiscalStartMonth) {
        org.jooq.Field<java.time.LocalDate> shifted = DSL.localDateSub(monthStart(d), DSL.inline(fiscalStartMonth - 1),
                org.jooq.DatePart.MONTH);
        org.jooq.Field<java.time.LocalDate> periodStart = DSL.localDateSub(shifted,
                DSL.month(shifted).minus(DSL.inline(1)).mod(DSL.inline(months))
                        .cast(org.jooq.impl.SQLDataType.INTEGER),
                org.jooq.DatePart.MONTH);
        return DSL.localDateAdd(periodStart, DSL.inline(fiscalStartMonth - 1), org.jooq.DatePart.MONTH);
    }

    // ---- filters ------------------------------------------------------------------------------------------

    Condition condition(Filter filter) {
        return switch (filter) {
            case Filter.And a -> DSL.and(a.operands().stream().map(this::condition).toList());
            case Filter.Or o -> o.operands().isEmpty() ? DSL.falseCondition()
                    : DSL.or(o.operands().stream().map(this::condition).toList());
            case Filter.Not n -> DSL.not(condition(n.operand()));
            case Filter.IsNull n -> isNull(resolve(n.path()));
            case Filter.Compare c -> compare(resolve(c.path()), c.op(), c.value());
            case Filter.In in -> {
                ResolvedPath p = resolve(in.path());
                List<Object> values = in.values().stream().filter(Objects::nonNull).<Object>map(Objects::requireNonNull)
                        .toList();
                org.jooq.Field<Object> v = value(p);
                yield values.isEmpty() ? DSL.falseCondition()
                        : v.isNotNull().and(database.bindsInListsAsArrays() ? anyOf(v, values)
                                : inList(v, values));
            }
            case Filter.Between b -> {
                org.jooq.Field<Object> v = value(resolve(b.path()));
                Condition c = v.isNotNull();
                if (b.low() != null) {
                    c = c.and(v.ge(bind(v, b.low())));
                }
                if (b.high() != null) {
                    c = c.and(v.le(bind(v, b.high())));
                }
                yield c;
            }
            case Filter.TextMatch t -> {
                org.jooq.Field<Object> v = value(resolve(t.path()));
                String needle = escape(t.text().toLowerCase(Locale.ROOT));
                String pattern = t.op() == Filter.TextOp.CONTAINS ? "%" + needle + "%" : needle + "%";
                yield v.isNotNull().and(lower(v).like(DSL.val(pattern), ESCAPE));
            }
            case Filter.SetMatch m -> setMatch(resolve(m.path()), m);
        };
    }

    /**
     * Lower-cases with Unicode case folding on every database ({@link DatabaseStrategy#forCaseFolding}), then
     * matches exactly: accents and letters such as {@code ß} are never folded away.
     */
    private org.jooq.Field<String> lower(org.jooq.Field<Object> v) {
        return exact(DSL.lower(database.forCaseFolding(v.cast(String.class))));
    }

    /** Text compared code point by code point ({@link DatabaseStrategy#exact}). */
    private org.jooq.Field<String> exact(org.jooq.Field<String> text) {
        return database.exact(text);
    }

    private Condition isNull(ResolvedPath p) {
        Field f = p.field();
        if (f != null && f.type() == FieldType.RELATION && p.part() == null) {
            return DSL.not(hasLinks(p, List.of(), false));
        }
        if (f != null && f.type() == FieldType.ADDRESS && p.part() == null) {
            Owner owner = owner(p);
            return DSL.and(columns(owner.table(), f.name()).stream().map(c -> at(owner, c.column()).isNull())
                    .toList());
        }
        return value(p).isNull();
    }

    private Condition compare(ResolvedPath p, Filter.Op op, Object operand) {
        org.jooq.Field<Object> v = value(p);
        org.jooq.Field<Object> x = bind(v, operand);
        return switch (op) {
            case EQ -> v.isNotNull().and(v.eq(x));
            case NE -> v.isNull().or(v.ne(x));
            case LT -> v.isNotNull().and(v.lt(x));
            case LTE -> v.isNotNull().and(v.le(x));
            case GT -> v.isNotNull().and(v.gt(x));
            case GTE -> v.isNotNull().and(v.ge(x));
        };
    }

    /**
     * {@code column = ANY(?)} with {@code values} bound as one array of the column's type; {@link #inList} for a
     * column whose type jOOQ converts (dates and timestamps, see {@link JavaTime}), which has no array type.
     */
    private static Condition anyOf(org.jooq.Field<Object> column, List<Object> values) {
        org.jooq.DataType<Object> type = column.getDataType();
        org.jooq.DataType<Object[]> arrayType;
        try {
            arrayType = type.getArrayDataType();
        } catch (org.jooq.exception.DataTypeException e) {
            return inList(column, values);
        }
        Object[] array = (Object[]) java.lang.reflect.Array.newInstance(type.getType(), values.size());
        for (int i = 0; i < array.length; i++) {
            array[i] = RecordTable.columnValue(values.get(i));
        }
        return column.eq(DSL.any(DSL.val(array, arrayType)));
    }

    private static Condition inList(org.jooq.Field<Object> column, List<Object> values) {
        return column.in(values.stream().map(x -> bind(column, x)).toList());
    }

    private static org.jooq.Field<Object> bind(org.jooq.Field<Object> column, @Nullable Object value) {
        return DSL.val(RecordTable.columnValue(value), column.getDataType());
    }

    private Condition setMatch(ResolvedPath p, Filter.SetMatch m) {
        List<Object> values = m.values().stream().filter(Objects::nonNull).<Object>map(Objects::requireNonNull)
                .distinct().toList();
        boolean all = m.op() == Filter.SetOp.HAS_ALL;
        Field f = Objects.requireNonNull(p.field());
        if (f.type() == FieldType.RELATION) {
            if (!all && values.isEmpty()) {
                return DSL.falseCondition();
            }
            return hasLinks(p, values, all);
        }
        if (!all && values.isEmpty()) {
            return DSL.falseCondition();
        }
        org.jooq.Field<Object> v = value(p);
        org.jooq.Field<String> delimited = exact(DSL.concat(DSL.inline(";"), v.cast(String.class), DSL.inline(";")));
        List<Condition> each = new ArrayList<>();
        for (Object value : values) {
            each.add(delimited.like(DSL.val("%;" + escape(value.toString()) + ";%"), ESCAPE));
        }
        return v.isNotNull().and(all ? DSL.and(each) : DSL.or(each));
    }

    /** Whether the record at the path's owner links to any of (or all of) the ids; with none: any link at all. */
    private Condition hasLinks(ResolvedPath p, List<Object> ids, boolean all) {
        Owner owner = owner(p);
        RecordTable.Link link = owner.table().links().get(Objects.requireNonNull(p.field()).name());
        if (link == null) {
            throw SchemaVersionGuard.changed(owner.table().type().name());
        }
        Name alias = DSL.name("l" + (++linkAliases));
        Table<?> l = link.table().as(alias);
        org.jooq.Field<java.util.UUID> recordId = DSL.field(DSL.name(alias, DSL.name("record_id")),
                link.recordId().getDataType());
        org.jooq.Field<java.util.UUID> targetId = DSL.field(DSL.name(alias, DSL.name("target_id")),
                link.targetId().getDataType());
        Condition linked = recordId.eq(at(owner, owner.table().id));
        if (ids.isEmpty()) {
            return DSL.exists(DSL.selectOne().from(l).where(linked));
        }
        List<java.util.UUID> uuids = ids.stream().map(x -> (java.util.UUID) x).toList();
        if (!all) {
            return DSL.exists(DSL.selectOne().from(l).where(linked.and(targetId.in(uuids))));
        }
        return DSL.field(DSL.select(DSL.countDistinct(targetId)).from(l).where(linked.and(targetId.in(uuids))))
                .eq(uuids.size());
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (char ch : text.toCharArray()) {
            if (ch == '%' || ch == '_' || ch == ESCAPE) {
                out.append(ESCAPE);
            }
            out.append(ch);
        }
        return out.toString();
    }

    static Condition deleted(RecordTable t, Query.Deleted deleted) {
        return switch (deleted) {
            case EXCLUDE -> t.deletedAt.isNull();
            case ONLY -> t.deletedAt.isNotNull();
            case INCLUDE -> DSL.trueCondition();
        };
    }

    // ---- order and keyset ---------------------------------------------------------------------------------

    /** Sort fields: empty values last ascending, first descending (as if larger than every value). */
    List<SortField<?>> orderBy(List<Sort> sorts) {
        List<SortField<?>> out = new ArrayList<>();
        for (Sort s : sorts) {
            org.jooq.Field<Object> v = value(resolve(s.path()));
            out.add(s.descending() ? v.desc().nullsFirst() : v.asc().nullsLast());
        }
        return out;
    }

    /** Rows strictly after the keyset position {@code after} in the order of {@code sorts}. */
    Condition after(List<Sort> sorts, List<@Nullable Object> after) {
        List<Condition> alternatives = new ArrayList<>();
        List<Condition> equalSoFar = new ArrayList<>();
        for (int i = 0; i < sorts.size(); i++) {
            Sort s = sorts.get(i);
            org.jooq.Field<Object> v = value(resolve(s.path()));
            Object a = after.get(i);
            Condition beyond;
            if (a == null) {
                beyond = s.descending() ? v.isNotNull() : null;
            } else {
                org.jooq.Field<Object> x = bind(v, a);
                beyond = s.descending() ? v.isNotNull().and(v.lt(x)) : v.isNull().or(v.gt(x));
            }
            if (beyond != null) {
                List<Condition> alt = new ArrayList<>(equalSoFar);
                alt.add(beyond);
                alternatives.add(DSL.and(alt));
            }
            equalSoFar.add(a == null ? v.isNull() : v.isNotNull().and(v.eq(bind(v, a))));
        }
        return alternatives.isEmpty() ? DSL.falseCondition() : DSL.or(alternatives);
    }
}
