package org.crmkit.storage.support;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.crmkit.query.Filter;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.spi.ValueOrder;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a {@link Filter} on records in memory with the two-valued semantics documented on {@link Filter}:
 * the reference implementation the SQL translations must agree with (the in-memory storage's, and the engine's for
 * records it holds). Paths are looked up in the
 * {@link ResolvedPaths} the query came with, never resolved here.
 */
public final class FilterEvaluator {
    private final ResolvedPaths paths;
    private final BiFunction<String, UUID, Optional<Record>> lookup;

    /**
     * @param filter the filter to evaluate: each of its paths must be in {@code paths}, checked here (so a missing
     *               one fails even when there are no records to evaluate)
     * @param paths  the query's resolved paths
     * @param lookup finds a record by type and id as the transaction sees it (for reference paths)
     */
    public FilterEvaluator(Filter filter, ResolvedPaths paths, BiFunction<String, UUID, Optional<Record>> lookup) {
        this.paths = Objects.requireNonNull(paths, "paths");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(filter, "filter");
        ResolvedPaths.pathsOf(filter).forEach(paths::get);
    }

    /** The resolved path; {@link IllegalStateException} when the query did not come with it. */
    public ResolvedPath path(String path) {
        return paths.get(path);
    }

    /** The value a path reaches from a record, walking references; null when any step is empty. */
    @Nullable
    public Object value(Record record, String pathText) {
        ResolvedPath path = path(pathText);
        Record current = record;
        for (Field hop : path.hops()) {
            Object ref = current.get(hop.name());
            if (!(ref instanceof UUID id)) {
                return null;
            }
            current = lookup.apply(hop.target(), id).orElse(null);
            if (current == null) {
                return null;
            }
        }
        return path.valueOn(current);
    }

    public boolean matches(Record r, Filter f) {
        return switch (f) {
            case Filter.And a -> a.operands().stream().allMatch(x -> matches(r, x));
            case Filter.Or o -> o.operands().stream().anyMatch(x -> matches(r, x));
            case Filter.Not n -> !matches(r, n.operand());
            case Filter.IsNull n -> value(r, n.path()) == null;
            case Filter.Compare c -> compare(value(r, c.path()), c.op(), c.value());
            case Filter.In in -> {
                Object v = value(r, in.path());
                yield v != null && in.values().stream().anyMatch(x -> ValueOrder.same(v, x));
            }
            case Filter.Between b -> {
                Object v = value(r, b.path());
                yield v != null && ValueOrder.compare(v, requireBound(b.low())) >= 0
                        && ValueOrder.compare(v, requireBound(b.high())) <= 0;
            }
            case Filter.TextMatch t -> {
                Object v = value(r, t.path());
                if (v == null) {
                    yield false;
                }
                String hay = v.toString().toLowerCase(Locale.ROOT);
                String needle = t.text().toLowerCase(Locale.ROOT);
                yield t.op() == Filter.TextOp.CONTAINS ? hay.contains(needle) : hay.startsWith(needle);
            }
            case Filter.SetMatch m -> {
                Object v = value(r, m.path());
                if (!(v instanceof List<?> held)) {
                    yield false;
                }
                yield m.op() == Filter.SetOp.HAS_ANY ? m.values().stream().anyMatch(held::contains)
                        : held.containsAll(m.values());
            }
        };
    }

    private static boolean compare(@Nullable Object v, Filter.Op op, Object operand) {
        if (v == null) {
            return op == Filter.Op.NE;
        }
        int c = ValueOrder.compare(v, operand);
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            case GTE -> c >= 0;
        };
    }

    /** A bound of a planned {@code between}: the query planner rejects null bounds before storage sees them. */
    private static Object requireBound(@Nullable Object bound) {
        return Objects.requireNonNull(bound, "between bound");
    }

}
