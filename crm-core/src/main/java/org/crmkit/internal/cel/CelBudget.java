package org.crmkit.internal.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelErrorCode;
import dev.cel.common.CelOptions;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What one evaluation of a CEL expression may cost, checked twice.
 *
 * <p>When the expression is defined, {@link #problem} bounds it statically over the checked AST: an upper bound of
 * the evaluation steps (expression nodes evaluated, comprehension bodies counted once per element of their range)
 * and of the size of every value built (characters of a string, entries of a list or map), from bounds of the
 * variables' sizes. CEL-Java (dev.cel 0.14) has no cost estimator, hence this one; it covers the standard library
 * and the standard macros (whose accumulators grow by at most one element per iteration; a faster-growing one is
 * taken as unbounded). An expression whose bound exceeds {@link #MAX_STEPS} or {@link #MAX_SIZE} is refused.
 *
 * <p>At run time the evaluation is metered: CEL's own comprehension limit ({@link #MAX_ITERATIONS} iterations in
 * all, through {@link #options}) and a {@link Meter} that counts evaluated nodes and refuses any value larger than
 * {@link #MAX_SIZE}; either ends the evaluation with an error that {@link #exceeded} recognises. The run-time
 * budget is the guard for inputs the static bound could only assume (relation lists longer than
 * {@link #ASSUMED_RELATION_SIZE}).
 *
 * <p>crm-workflow keeps an identical copy (it may not use crm-core internals); keep both in step.
 */
public final class CelBudget {
    /** Comprehension iterations one evaluation may run, in all (CEL's {@code comprehensionMaxIterations}). */
    public static final int MAX_ITERATIONS = 100_000;
    /** Expression nodes one evaluation may evaluate. */
    public static final long MAX_STEPS = 1_000_000;
    /** Largest string (characters) or list or map (entries) an evaluation may build. */
    public static final long MAX_SIZE = 1_000_000;
    /** Entries assumed for a relation list by the static bound (the run-time budget guards longer ones). */
    public static final long ASSUMED_RELATION_SIZE = 10_000;

    private static final long CAP = Long.MAX_VALUE / 4;

    private CelBudget() {}

    /** {@code base} with the comprehension iteration limit set. */
    public static CelOptions options(CelOptions.Builder base) {
        return base.comprehensionMaxIterations(MAX_ITERATIONS).build();
    }

    /**
     * An upper bound of a value's size: characters of a string or entries of a list or map (1 for other values), and
     * the bound of its elements (for lists) or values (for maps); a null element bound means unknown.
     */
    public record Size(long length, @Nullable Size element) {
        /** A number, boolean, timestamp or null. */
        public static final Size SCALAR = new Size(1, null);
        /** Nothing known: as large as the run-time budget allows. */
        public static final Size UNKNOWN = new Size(MAX_SIZE, null);

        /** A string of at most {@code characters} characters. */
        public static Size text(long characters) {
            return new Size(characters, null);
        }

        /** A list (or map) of at most {@code entries} entries, each of at most {@code element}. */
        public static Size list(long entries, Size element) {
            return new Size(entries, element);
        }

        Size elementOrUnknown() {
            return element == null ? UNKNOWN : element;
        }

        Size join(Size other) {
            Size e = element == null || other.element == null ? null : element.join(other.element);
            return new Size(Math.max(length, other.length), e);
        }
    }

    /** The bound of one expression: evaluation steps and the size of its value. */
    private record Estimate(long steps, Size size) {}

    /**
     * Why the checked expression is over budget, or null when it is within it. {@code variables} gives the size bound
     * of each declared variable (null: unknown).
     */
    public static @Nullable String problem(CelAbstractSyntaxTree ast, Function<String, @Nullable Size> variables) {
        Estimator e = new Estimator(ast, variables);
        Estimate total = e.estimate(ast.getExpr(), Map.of());
        if (e.largest > MAX_SIZE) {
            return "it may build a value of " + shown(e.largest) + " characters or entries (the limit is "
                    + MAX_SIZE + ")";
        }
        if (total.steps() > MAX_STEPS) {
            return "it may take " + shown(total.steps()) + " evaluation steps (the limit is " + MAX_STEPS + ")";
        }
        return null;
    }

    private static String shown(long n) {
        return n >= CAP ? "unboundedly many" : "up to " + n;
    }

    private static long add(long a, long b) {
        return Math.min(CAP, a + b);
    }

    private static long times(long a, long b) {
        return a == 0 || b == 0 ? 0 : a > CAP / b ? CAP : Math.min(CAP, a * b);
    }

    /** The abstract evaluation behind {@link #problem}; remembers the largest value size met. */
    private static final class Estimator {
        private final CelAbstractSyntaxTree ast;
        private final Function<String, @Nullable Size> variables;
        long largest;

        Estimator(CelAbstractSyntaxTree ast, Function<String, @Nullable Size> variables) {
            this.ast = ast;
            this.variables = variables;
        }

        private Estimate seen(long steps, Size size) {
            largest = Math.max(largest, size.length());
            return new Estimate(Math.min(CAP, steps), size);
        }

        Estimate estimate(CelExpr e, Map<String, Size> scope) {
            return switch (e.getKind()) {
                case CONSTANT -> seen(1, constant(e.constant()));
                case IDENT -> {
                    String name = e.ident().name();
                    Size s = scope.containsKey(name) ? scope.get(name) : variables.apply(name);
                    yield seen(1, s == null ? Size.UNKNOWN : s);
                }
                case SELECT -> {
                    Estimate operand = estimate(e.select().operand(), scope);
                    yield seen(add(operand.steps(), 1), e.select().testOnly() ? Size.SCALAR
                            : operand.size().elementOrUnknown());
                }
                case LIST -> {
                    long steps = 1;
                    Size element = null;
                    for (CelExpr x : e.list().elements()) {
                        Estimate item = estimate(x, scope);
                        steps = add(steps, item.steps());
                        element = element == null ? item.size() : element.join(item.size());
                    }
                    yield seen(steps, Size.list(e.list().elements().size(), element == null ? Size.SCALAR : element));
                }
                case MAP -> {
                    long steps = 1;
                    Size value = null;
                    for (var entry : e.map().entries()) {
                        Estimate k = estimate(entry.key(), scope);
                        Estimate v = estimate(entry.value(), scope);
                        steps = add(steps, add(k.steps(), v.steps()));
                        value = value == null ? v.size() : value.join(v.size());
                    }
                    yield seen(steps, Size.list(e.map().entries().size(), value == null ? Size.SCALAR : value));
                }
                case STRUCT -> {
                    long steps = 1;
                    for (var field : e.struct().entries()) {
                        steps = add(steps, estimate(field.value(), scope).steps());
                    }
                    yield seen(steps, Size.UNKNOWN);
                }
                case CALL -> call(e, scope);
                case COMPREHENSION -> comprehension(e, scope);
                default -> seen(1, Size.UNKNOWN);
            };
        }

        private static Size constant(CelConstant c) {
            return switch (c.getKind()) {
                case STRING_VALUE -> Size.text(c.stringValue().length());
                case BYTES_VALUE -> Size.text(c.bytesValue().size());
                default -> Size.SCALAR;
            };
        }

        private Estimate call(CelExpr e, Map<String, Size> scope) {
            List<Estimate> args = new ArrayList<>();
            e.call().target().ifPresent(t -> args.add(estimate(t, scope)));
            for (CelExpr a : e.call().args()) {
                args.add(estimate(a, scope));
            }
            String f = e.call().function();
            long steps = 1;
            for (Estimate a : args) {
                steps = add(steps, a.steps());
            }
            if (f.equals("_?_:_") && args.size() == 3) {
                return seen(add(1, add(args.get(0).steps(), Math.max(args.get(1).steps(), args.get(2).steps()))),
                        args.get(1).size().join(args.get(2).size()));
            }
            if (!sized(ast.getType(e.id()).orElse(SimpleType.DYN))) {
                return seen(steps, Size.SCALAR);
            }
            if (f.equals("_+_") && args.size() == 2) {
                Size a = args.get(0).size();
                Size b = args.get(1).size();
                Size element = a.element() == null || b.element() == null ? null : a.element().join(b.element());
                return seen(steps, new Size(add(a.length(), b.length()), element));
            }
            if (f.equals("_[_]") && args.size() == 2) {
                return seen(steps, args.get(0).size().elementOrUnknown());
            }
            // the standard library's other functions yielding strings, lists or maps (conversions, dyn) build nothing
            // larger than their largest argument, or a short text from a number
            Size out = Size.text(64);
            for (Estimate a : args) {
                out = out.join(a.size());
            }
            return seen(steps, out);
        }

        private static boolean sized(CelType type) {
            CelType t = type instanceof NullableType n ? n.targetType() : type;
            return !(t == SimpleType.INT || t == SimpleType.UINT || t == SimpleType.DOUBLE || t == SimpleType.BOOL
                    || t == SimpleType.TIMESTAMP || t == SimpleType.DURATION || t == SimpleType.NULL_TYPE);
        }

        private Estimate comprehension(CelExpr e, Map<String, Size> scope) {
            var c = e.comprehension();
            Estimate range = estimate(c.iterRange(), scope);
            long n = range.size().length();
            boolean map = ast.getType(c.iterRange().id()).orElse(SimpleType.DYN) instanceof MapType;
            Size item = map ? Size.UNKNOWN : range.size().elementOrUnknown();
            Estimate init = estimate(c.accuInit(), scope);
            Map<String, Size> inner = new HashMap<>(scope);
            inner.put(c.iterVar(), item);
            if (!c.iterVar2().isEmpty()) {
                inner.put(c.iterVar2(), range.size().elementOrUnknown());
            }
            inner.put(c.accuVar(), init.size());
            Size first = estimate(c.loopStep(), inner).size();
            long growth = Math.max(0, first.length() - init.size().length());
            Size element = init.size().element() == null || first.element() == null ? first.element()
                    : init.size().element().join(first.element());
            inner.put(c.accuVar(), new Size(add(init.size().length(), growth), element));
            Size second = estimate(c.loopStep(), inner).size();
            boolean linear = second.length() - add(init.size().length(), growth) <= growth;
            Size accu = new Size(linear ? add(init.size().length(), times(n, growth)) : CAP, element);
            inner.put(c.accuVar(), accu);
            largest = Math.max(largest, accu.length());
            long perIteration = add(estimate(c.loopCondition(), inner).steps(), estimate(c.loopStep(), inner).steps());
            Map<String, Size> after = new HashMap<>(scope);
            after.put(c.accuVar(), accu);
            Estimate result = estimate(c.result(), after);
            long steps = add(add(range.steps(), init.steps()), add(times(n, perIteration), result.steps()));
            return seen(steps, result.size());
        }
    }

    /** The error that ends an evaluation over budget (carried as the cause of CEL's evaluation exception). */
    public static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Counts evaluated nodes and checks the size of each value as an evaluation runs ({@code Program.trace});
     * throws {@link Exceeded} past the budget. One meter per evaluation.
     */
    public static final class Meter implements CelEvaluationListener {
        private long steps;

        @Override
        public void callback(CelExpr expr, Object result) {
            if (++steps > MAX_STEPS) {
                throw new Exceeded("more than " + MAX_STEPS + " evaluation steps");
            }
            long size = result instanceof String s ? s.length()
                    : result instanceof Collection<?> c ? c.size()
                    : result instanceof Map<?, ?> m ? m.size()
                    : result instanceof dev.cel.common.values.CelByteString b ? b.size() : 0;
            if (size > MAX_SIZE) {
                throw new Exceeded("a value of more than " + MAX_SIZE + " characters or entries");
            }
        }
    }

    /** What ran out when {@code e} ended an evaluation over budget, or null when it is another error. */
    public static @Nullable String exceeded(CelEvaluationException e) {
        if (e.getErrorCode() == CelErrorCode.ITERATION_BUDGET_EXCEEDED) {
            return "more than " + MAX_ITERATIONS + " comprehension iterations";
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof Exceeded x) {
                return x.getMessage();
            }
            if (t instanceof dev.cel.common.exceptions.CelIterationLimitExceededException) {
                return "more than " + MAX_ITERATIONS + " comprehension iterations";
            }
        }
        return null;
    }
}
