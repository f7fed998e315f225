package org.crmkit.rest.internal;

import java.util.List;
import org.crmkit.query.Condition;
import org.crmkit.query.Filter;
import org.jspecify.annotations.Nullable;

/**
 * The operators of both list syntaxes ({@code filter[path][op]} and {@code where}), each mapped to one method of the
 * engine's {@link Condition}. The values come as a list: one for a comparison or text match, two for
 * {@code between}, any number for {@code in}, {@code has_any} and {@code has_all}.
 */
final class Operators {
    static final String NAMES = "eq, ne, lt, lte, gt, gte, in, between, is_null, contains, starts_with, has_any, "
            + "has_all";

    private Operators() {}

    /** The condition; a wrong operator or number of values is a 400 naming {@code param}. */
    static Filter apply(String param, Condition c, String op, List<@Nullable Object> values) {
        return switch (op) {
            case "eq" -> c.eq(single(param, values));
            case "ne" -> c.ne(single(param, values));
            case "lt" -> c.lt(required(param, values));
            case "lte" -> c.lte(required(param, values));
            case "gt" -> c.gt(required(param, values));
            case "gte" -> c.gte(required(param, values));
            case "contains" -> c.contains(text(param, values));
            case "starts_with" -> c.startsWith(text(param, values));
            case "in" -> c.in(values);
            case "has_any" -> c.hasAny(values.toArray());
            case "has_all" -> c.hasAll(values.toArray());
            case "between" -> {
                if (values.size() != 2) {
                    throw bad(param, op + " takes exactly two values: low, then high");
                }
                yield c.between(values.get(0), values.get(1));
            }
            case "is_null" -> {
                Object v = single(param, values);
                if (Boolean.TRUE.equals(v) || "true".equals(v)) {
                    yield c.isNull();
                }
                if (Boolean.FALSE.equals(v) || "false".equals(v)) {
                    yield c.isNotNull();
                }
                throw bad(param, op + " takes true or false");
            }
            default -> throw bad(param, "unknown operator '" + ListQuery.abbreviate(op) + "': use " + NAMES);
        };
    }

    private static @Nullable Object single(String param, List<@Nullable Object> values) {
        if (values.size() != 1) {
            throw bad(param, "the operator takes one value, not " + values.size());
        }
        return values.get(0);
    }

    private static Object required(String param, List<@Nullable Object> values) {
        Object v = single(param, values);
        if (v == null) {
            throw bad(param, "the operator takes a value, not null");
        }
        return v;
    }

    private static String text(String param, List<@Nullable Object> values) {
        if (!(single(param, values) instanceof String s)) {
            throw bad(param, "the operator takes text");
        }
        return s;
    }

    private static ProblemException bad(String param, String detail) {
        return new ProblemException(Problem.badRequest(param, detail));
    }
}
