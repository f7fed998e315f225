package org.crmkit.query;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.jspecify.annotations.Nullable;

/**
 * The size limits of a {@link Filter} ({@link Filter#MAX_DEPTH}, {@link Filter#MAX_CONDITIONS},
 * {@link Filter#MAX_VALUES}), checked when an {@code and}, {@code or} or {@code not} is built. Operands were checked
 * when they were built, so walking them is bounded; the walk uses an explicit stack, never recursion.
 */
final class FilterLimits {
    private FilterLimits() {}

    /** The measures of a filter: nesting depth of and/or/not, leaf conditions, compared values. */
    record Size(int depth, long conditions, long values) {}

    /** Checks a new and/or/not over {@code operands}; throws {@link ValidationException} on field {@code filter}. */
    static void checkCompound(List<Filter> operands) {
        int depth = 0;
        long conditions = 0;
        long values = 0;
        for (Filter operand : operands) {
            Size s = measure(operand);
            depth = Math.max(depth, s.depth());
            conditions += s.conditions();
            values += s.values();
            check(depth + 1, conditions, values);
        }
    }

    /**
     * Measures a filter without recursion. Stops early (with measures past the limits) once a limit is passed, so a
     * filter built around the constructors' checks cannot make it walk far.
     */
    static Size measure(Filter filter) {
        record Item(Filter filter, int depth) {}
        Deque<Item> stack = new ArrayDeque<>();
        stack.push(new Item(filter, 0));
        int depth = 0;
        long conditions = 0;
        long values = 0;
        while (!stack.isEmpty()) {
            Item item = stack.pop();
            List<Filter> children = switch (item.filter()) {
                case Filter.And a -> a.operands();
                case Filter.Or o -> o.operands();
                case Filter.Not n -> List.of(n.operand());
                default -> null;
            };
            if (children == null) {
                conditions++;
                values += switch (item.filter()) {
                    case Filter.In in -> in.values().size();
                    case Filter.SetMatch m -> m.values().size();
                    case Filter.Between b -> 2;
                    default -> 1;
                };
            } else {
                depth = Math.max(depth, item.depth() + 1);
                for (Filter child : children) {
                    stack.push(new Item(child, item.depth() + 1));
                }
            }
            if (depth > Filter.MAX_DEPTH || conditions > Filter.MAX_CONDITIONS || values > Filter.MAX_VALUES) {
                break;
            }
        }
        return new Size(depth, conditions, values);
    }

    /** The problem with a filter of these measures, or null when it is within the limits. */
    static @Nullable String problem(int depth, long conditions, long values) {
        if (depth > Filter.MAX_DEPTH) {
            return "filters nest and/or/not at most " + Filter.MAX_DEPTH + " deep";
        }
        if (conditions > Filter.MAX_CONDITIONS) {
            return "filters hold at most " + Filter.MAX_CONDITIONS + " conditions";
        }
        if (values > Filter.MAX_VALUES) {
            return "filters hold at most " + Filter.MAX_VALUES + " values in all";
        }
        return null;
    }

    private static void check(int depth, long conditions, long values) {
        String problem = problem(depth, conditions, values);
        if (problem != null) {
            throw new ValidationException("filter", new FieldError("filter", FieldErrorCode.OUT_OF_RANGE, problem));
        }
    }
}
