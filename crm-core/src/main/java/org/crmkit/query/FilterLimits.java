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
 * {@link Filter#MAX_VALUES}, {@link Filter#MAX_TEXT}), checked when an {@code and}, {@code or} or {@code not} is
 * built, and the values of each condition (no NUL, text within the limit) when it is built. Operands were checked
 * when they were built, so walking them is bounded; the walk uses an explicit stack, never recursion.
 */
final class FilterLimits {
    private FilterLimits() {}

    /** The measures of a filter: nesting depth of and/or/not, leaf conditions, compared values, their text. */
    record Size(int depth, long conditions, long values, long text) {}

    /** Checks a new and/or/not over {@code operands}; throws {@link ValidationException} on field {@code filter}. */
    static void checkCompound(List<Filter> operands) {
        int depth = 0;
        long conditions = 0;
        long values = 0;
        long text = 0;
        for (Filter operand : operands) {
            Size s = measure(operand);
            depth = Math.max(depth, s.depth());
            conditions += s.conditions();
            values += s.values();
            text += s.text();
            check(depth + 1, conditions, values, text);
        }
    }

    /**
     * Checks the values of a new condition: no text value holds NUL (U+0000, which PostgreSQL cannot take, so no
     * stored text holds it either), and their text is within {@link Filter#MAX_TEXT}.
     */
    static void checkLeaf(List<? extends @Nullable Object> compared) {
        long text = 0;
        for (Object v : compared) {
            if (v instanceof CharSequence s) {
                if (s.toString().indexOf('\0') >= 0) {
                    throw new ValidationException("filter", new FieldError("filter", FieldErrorCode.INVALID_CHARACTER,
                            "filter values cannot hold the character U+0000 (NUL)"));
                }
                text += s.length();
            }
        }
        check(0, 1, 0, text);
    }

    /** The characters of the text values a leaf condition compares with. */
    private static long text(Filter leaf) {
        List<? extends @Nullable Object> compared = switch (leaf) {
            case Filter.Compare c -> List.of(c.value());
            case Filter.In in -> in.values();
            case Filter.SetMatch m -> m.values();
            case Filter.TextMatch t -> List.of(t.text());
            case Filter.Between b -> java.util.Arrays.asList(b.low(), b.high());
            default -> List.of();
        };
        long text = 0;
        for (Object v : compared) {
            text += v instanceof CharSequence s ? s.length() : 0;
        }
        return text;
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
        long text = 0;
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
                text += text(item.filter());
            } else {
                depth = Math.max(depth, item.depth() + 1);
                for (Filter child : children) {
                    stack.push(new Item(child, item.depth() + 1));
                }
            }
            if (problem(depth, conditions, values, text) != null) {
                break;
            }
        }
        return new Size(depth, conditions, values, text);
    }

    /** The problem with a filter of these measures, or null when it is within the limits. */
    static @Nullable String problem(int depth, long conditions, long values, long text) {
        if (depth > Filter.MAX_DEPTH) {
            return "filters nest and/or/not at most " + Filter.MAX_DEPTH + " deep";
        }
        if (conditions > Filter.MAX_CONDITIONS) {
            return "filters hold at most " + Filter.MAX_CONDITIONS + " conditions";
        }
        if (values > Filter.MAX_VALUES) {
            return "filters hold at most " + Filter.MAX_VALUES + " values in all";
        }
        if (text > Filter.MAX_TEXT) {
            return "the text values of a filter hold at most " + Filter.MAX_TEXT + " characters in all";
        }
        return null;
    }

    private static void check(int depth, long conditions, long values, long text) {
        String problem = problem(depth, conditions, values, text);
        if (problem != null) {
            throw new ValidationException("filter", new FieldError("filter", FieldErrorCode.OUT_OF_RANGE, problem));
        }
    }
}
