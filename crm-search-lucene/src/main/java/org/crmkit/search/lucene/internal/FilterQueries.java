package org.crmkit.search.lucene.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.search.TermRangeQuery;
import org.crmkit.query.Filter;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * Translates a checked search filter (system properties and indexed fields of one type; see
 * {@code SearchFields.filterable}) into a Lucene query with the semantics of every storage: a comparison with an
 * empty field is false, {@code ne} is true for it, {@code not} is the exact complement.
 */
final class FilterQueries {
    /** System properties indexed as one keyword each, matched by {@code in} as a term set. */
    private static final java.util.Set<String> KEYWORD_PROPERTIES = java.util.Set.of("id", "owner", "team",
            "created_by", "updated_by");
    private final @Nullable ObjectType type;
    /** The searchable reference whose referenced record the filter is about, or null for the record itself. */
    private final @Nullable String reference;

    FilterQueries(ObjectType type) {
        this.type = type;
        this.reference = null;
    }

    private FilterQueries(String reference) {
        this.type = null;
        this.reference = reference;
    }

    /**
     * The caller's record scope on the record a searchable reference points at ({@code TypeScope.Reference#scope}),
     * on the owner and team the referrer's document holds of it ({@link IndexFields#referenced}).
     */
    static FilterQueries ofReference(String reference) {
        return new FilterQueries(reference);
    }

    /** The index field of a system property: the record's own, or the referenced record's. */
    private String property(String path) {
        if (reference == null) {
            return IndexFields.property(path);
        }
        if (!path.equals("owner") && !path.equals("team")) {
            throw new IllegalArgumentException("a reference scope names owner and team only, not " + path);
        }
        return IndexFields.referenced(reference, path);
    }

    Query query(Filter f) {
        return switch (f) {
            case Filter.And a -> {
                if (a.operands().isEmpty()) {
                    yield MatchAllDocsQuery.INSTANCE;
                }
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                a.operands().forEach(o -> b.add(query(o), Occur.FILTER));
                yield b.build();
            }
            case Filter.Or o -> {
                if (o.operands().isEmpty()) {
                    yield MatchNoDocsQuery.INSTANCE;
                }
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                o.operands().forEach(x -> b.add(query(x), Occur.SHOULD));
                yield b.setMinimumNumberShouldMatch(1).build();
            }
            case Filter.Not n -> not(query(n.operand()));
            case Filter.Compare c -> compare(c.path(), c.op(), c.value());
            case Filter.In in when KEYWORD_PROPERTIES.contains(in.path()) && !in.values().isEmpty()
                    && in.values().stream().allMatch(java.util.Objects::nonNull) ->
                // a scope's owner in (...) or manually shared id in (...): one query however many values
                new TermInSetQuery(property(in.path()), in.values().stream()
                        .map(v -> new BytesRef(java.util.Objects.requireNonNull(v).toString())).toList());
            case Filter.In in -> {
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                for (Object v : in.values()) {
                    b.add(v == null ? isNull(in.path()) : compare(in.path(), Filter.Op.EQ, v), Occur.SHOULD);
                }
                yield in.values().isEmpty() ? MatchNoDocsQuery.INSTANCE : b.setMinimumNumberShouldMatch(1).build();
            }
            case Filter.Between b -> between(b.path(), b.low(), b.high());
            case Filter.IsNull n -> isNull(n.path());
            case Filter.TextMatch t -> throw new IllegalArgumentException("text match in a search filter: " + t);
            case Filter.SetMatch m -> throw new IllegalArgumentException("set match in a search filter: " + m);
        };
    }

    private static Query not(Query q) {
        return new BooleanQuery.Builder().add(MatchAllDocsQuery.INSTANCE, Occur.FILTER).add(q, Occur.MUST_NOT).build();
    }

    private Query isNull(String path) {
        if (path.equals("team") && reference != null) {
            return not(new TermQuery(new Term(IndexFields.referenced(reference, IndexFields.HAS), path)));
        }
        if (path.equals("team") || field(path) != null) {
            return not(new TermQuery(new Term(IndexFields.HAS, path)));
        }
        return MatchNoDocsQuery.INSTANCE; // owner, created_by... always hold a value
    }

    private @Nullable Field field(String path) {
        return type == null ? null : type.findField(path).orElse(null);
    }

    private Query compare(String path, Filter.Op op, Object value) {
        if (op == Filter.Op.NE) {
            return not(compare(path, Filter.Op.EQ, value));
        }
        Field f = field(path);
        if (path.equals("created_at") || path.equals("updated_at")) {
            long v = DocumentMapper.micros((Instant) value);
            return range(property(path), op, v);
        }
        if (f == null) {
            return keyword(property(path), op, value.toString());
        }
        if (DocumentMapper.numeric(f.type())) {
            return numeric(f, op, value);
        }
        return keyword(IndexFields.keyword(f.name()), op, DocumentMapper.keyword(value));
    }

    private static Query keyword(String field, Filter.Op op, String v) {
        return switch (op) {
            case EQ -> new TermQuery(new Term(field, v));
            case LT -> TermRangeQuery.newStringRange(field, null, v, false, false);
            case LTE -> TermRangeQuery.newStringRange(field, null, v, false, true);
            case GT -> TermRangeQuery.newStringRange(field, v, null, false, false);
            case GTE -> TermRangeQuery.newStringRange(field, v, null, true, false);
            case NE -> throw new IllegalStateException();
        };
    }

    private static Query range(String field, Filter.Op op, long v) {
        return switch (op) {
            case EQ -> LongPoint.newExactQuery(field, v);
            case LT ->
                v == Long.MIN_VALUE ? MatchNoDocsQuery.INSTANCE : LongPoint.newRangeQuery(field, Long.MIN_VALUE, v - 1);
            case LTE -> LongPoint.newRangeQuery(field, Long.MIN_VALUE, v);
            case GT ->
                v == Long.MAX_VALUE ? MatchNoDocsQuery.INSTANCE : LongPoint.newRangeQuery(field, v + 1, Long.MAX_VALUE);
            case GTE -> LongPoint.newRangeQuery(field, v, Long.MAX_VALUE);
            case NE -> throw new IllegalStateException();
        };
    }

    /**
     * A comparison on a number, date or datetime field. A decimal bound finer than the field's scale is moved to
     * the nearest stored value on the right side ({@code > 1.005} on a 2-place field is {@code >= 1.01}).
     */
    private static Query numeric(Field f, Filter.Op op, Object value) {
        String field = IndexFields.number(f.name());
        if (value instanceof BigDecimal d && (f.type() == FieldType.DECIMAL || f.type() == FieldType.PERCENT)) {
            BigDecimal exact = d.setScale(f.scale(), RoundingMode.DOWN);
            boolean finer = exact.compareTo(d) != 0;
            if (!finer) {
                return range(field, op, exact.unscaledValue().longValueExact());
            }
            long floor = d.setScale(f.scale(), RoundingMode.FLOOR).unscaledValue().longValueExact();
            long ceiling = d.setScale(f.scale(), RoundingMode.CEILING).unscaledValue().longValueExact();
            return switch (op) {
                case EQ -> MatchNoDocsQuery.INSTANCE;
                case LT, LTE -> LongPoint.newRangeQuery(field, Long.MIN_VALUE, floor);
                case GT, GTE -> LongPoint.newRangeQuery(field, ceiling, Long.MAX_VALUE);
                case NE -> throw new IllegalStateException();
            };
        }
        long v = switch (f.type()) {
            case INTEGER -> ((Number) value).longValue();
            case DATE -> ((LocalDate) value).toEpochDay();
            case DATETIME -> DocumentMapper.micros((Instant) value);
            default -> throw new IllegalArgumentException(f.type() + " value " + value);
        };
        return range(field, op, v);
    }

    private Query between(String path, @Nullable Object low, @Nullable Object high) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        if (low != null) {
            b.add(compare(path, Filter.Op.GTE, low), Occur.FILTER);
        }
        if (high != null) {
            b.add(compare(path, Filter.Op.LTE, high), Occur.FILTER);
        }
        if (low == null && high == null) {
            return not(isNull(path));
        }
        return b.build();
    }
}
