package org.crmkit.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.crmkit.query.Condition;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.jspecify.annotations.Nullable;

/**
 * The {@code where} parameter: a filter as JSON, one object per node of the engine's {@link Filter}, for what
 * {@code filter[path][op]} cannot say ({@code or}, {@code not}, nesting):
 *
 * <pre>{@code
 * {"or": [{"stage": {"eq": "proposal"}}, {"and": [{"amount": {"gte": 10000}}, {"not": {"owner": {"eq": "u-1"}}}]}]}
 * }</pre>
 *
 * A node is {@code {"and": [...]}}, {@code {"or": [...]}}, {@code {"not": node}} or {@code {"<path>": {"<op>": value}}}
 * with the operators of {@link ListQuery}; {@code in}, {@code has_any}, {@code has_all} take an array,
 * {@code between} an array of two, {@code is_null} true or false. Anything else is a 400 naming {@code where}.
 */
final class WhereFilter {
    private static final Pattern PATH = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private WhereFilter() {}

    /** The filter of a {@code where} value already read as JSON; {@code paths} collects the paths it names. */
    static Filter of(Map<String, @Nullable Object> node, List<String> paths) {
        return node(node, paths);
    }

    private static Filter node(@Nullable Object value, List<String> paths) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1) {
            throw bad("each node is an object with one key: and, or, not or a field path");
        }
        Map.Entry<?, ?> e = map.entrySet().iterator().next();
        String key = String.valueOf(e.getKey());
        Object arg = e.getValue();
        switch (key) {
            case "and", "or" -> {
                if (!(arg instanceof List<?> list) || list.isEmpty()) {
                    throw bad(key + " takes a non-empty array of nodes");
                }
                List<Filter> operands = new ArrayList<>();
                for (Object o : list) {
                    operands.add(node(o, paths));
                }
                Filter[] array = operands.toArray(Filter[]::new);
                return key.equals("and") ? Filters.and(array) : Filters.or(array);
            }
            case "not" -> {
                return Filters.not(node(arg, paths));
            }
            default -> {
                if (key.length() > ListQuery.MAX_PATH || !PATH.matcher(key).matches()) {
                    throw bad("not a field path: lower-case names joined by dots (as amount.currency)");
                }
                if (!(arg instanceof Map<?, ?> ops) || ops.size() != 1) {
                    throw bad("a field path takes an object with one operator, as {\"eq\": 1}");
                }
                paths.add(key);
                Map.Entry<?, ?> op = ops.entrySet().iterator().next();
                return condition(Filters.where(key), String.valueOf(op.getKey()), op.getValue());
            }
        }
    }

    private static Filter condition(Condition c, String op, @Nullable Object v) {
        boolean many = op.equals("in") || op.equals("has_any") || op.equals("has_all") || op.equals("between");
        if (many != v instanceof List || v instanceof Map) {
            throw bad(many ? op + " takes an array" : op + " takes one value (text, number, boolean or null)");
        }
        List<@Nullable Object> values = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map || o instanceof List) {
                    throw bad(op + " takes an array of values (text, numbers, booleans)");
                }
                values.add(o);
            }
        } else {
            values.add(v);
        }
        return Operators.apply("where", c, op, values);
    }

    private static ProblemException bad(String detail) {
        return new ProblemException(Problem.badRequest("where", detail));
    }
}
