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
import org.crmkit.record.Address;
import org.crmkit.schema.Field;
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
 * <p>The one budget of every CEL expression in CRMKit: crm-core's rules and formulas and crm-workflow's conditions
 * (the one package of crm-core's internals another module may use; its ArchUnit test names it).
 */
public final class CelBudget {
    /** Comprehension iterations one evaluation may run, in all (CEL's {@code comprehensionMaxIterations}). */
    public static final int MAX_ITERATIONS = 100_000;
    /** Expression nodes one evaluation may evaluate. */
    public static final long MAX_STEPS = 1_000_000;
    /** Largest string (characters) or list or map (entries) an evaluation may build. */
    public static final long MAX_SIZE = 1_000_000;
    /** Comprehensions nested in one another an expression may hold. */
    public static final int MAX_NESTING = 6;
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

        /** The bound of a field's CEL value, from its definition (a formula's is unknown). */
        public static Size of(Field f) {
            return switch (f.type()) {
                case FORMULA -> UNKNOWN;
                case TEXT, LONG_TEXT -> text(f.effectiveMaxLength());
                case EMAIL -> text(254);
                case URL -> text(2048);
                case PHONE -> text(64);
                case PICKLIST -> text(100);
                case REFERENCE -> text(36);
                case MULTI_PICKLIST -> list(f.options().size(), text(100));
                case RELATION -> list(ASSUMED_RELATION_SIZE, text(36));
                case ADDRESS -> list(Address.PARTS.size(), text(Field.DEFAULT_TEXT_LENGTH));
                default -> SCALAR;
            };
        }

        Size elementOrUnknown() {
            return element == null ? UNKNOWN : element;
        }

        public Size join(Size other) {
            Size e = element == null || other.element == null ? null : element.join(other.element);
            return new Size(Math.max(length, other.length), e);
        }
    }

    /** Bounds of evaluation steps and comprehension iterations, saturating. */
    private record Cost(long steps, long iterations) {
        static final Cost ONE = new Cost(1, 0);

        Cost plus(Cost o) {
            return new Cost(add(steps, o.steps), add(iterations, o.iterations));
        }

        Cost max(Cost o) {
            return new Cost(Math.max(steps, o.steps), Math.max(iterations, o.iterations));
        }

        Cost times(long n) {
            return new Cost(CelBudget.times(steps, n), CelBudget.times(iterations, n));
        }
    }

    /** The bound of one expression: its cost and the size of its value. */
    private record Estimate(Cost cost, Size size) {}

    /**
     * Why the checked expression is over budget, or null when it is within it. {@code variables} gives the size bound
     * of each declared variable (null: unknown).
     */
    public static @Nullable String problem(CelAbstractSyntaxTree ast, Function<String, @Nullable Size> variables) {
        Estimator e = new Estimator(ast, variables);
        if (nesting(ast.getExpr()) > MAX_NESTING) {
            return "it nests comprehensions more than " + MAX_NESTING + " deep";
        }
        Cost total = e.estimate(ast.getExpr(), Map.of()).cost();
        if (e.largest > MAX_SIZE) {
            return "it may build a value of " + shown(e.largest) + " characters or entries (the limit is "
                    + MAX_SIZE + ")";
        }
        if (total.iterations() > MAX_ITERATIONS) {
            return "it may run " + shown(total.iterations()) + " comprehension iterations (the limit is "
                    + MAX_ITERATIONS + ")";
        }
        if (total.steps() > MAX_STEPS) {
            return "it may take " + shown(total.steps()) + " evaluation steps (the limit is " + MAX_STEPS + ")";
        }
        return null;
    }

    /**
     * How deep comprehensions nest in {@code e}: through their bodies (a range, an initial value or a result holding
     * another comprehension, as in chained macros, is evaluated once and does not nest).
     */
    private static int nesting(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
            var c = e.comprehension();
            int outside = Math.max(nesting(c.iterRange()), Math.max(nesting(c.accuInit()), nesting(c.result())));
            return Math.max(outside, 1 + Math.max(nesting(c.loopCondition()), nesting(c.loopStep())));
        }
        int inner = 0;
        for (CelExpr child : children(e)) {
            inner = Math.max(inner, nesting(child));
        }
        return inner;
    }

    private static List<CelExpr> children(CelExpr e) {
        List<CelExpr> out = new ArrayList<>();
        switch (e.getKind()) {
            case SELECT -> out.add(e.select().operand());
            case CALL -> {
                e.call().target().ifPresent(out::add);
                out.addAll(e.call().args());
            }
            case LIST -> out.addAll(e.list().elements());
            case MAP -> e.map().entries().forEach(x -> {
                out.add(x.key());
                out.add(x.value());
            });
            case STRUCT -> e.struct().entries().forEach(x -> out.add(x.value()));
            default -> {}
        }
        return out;
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

        private Estimate seen(Cost cost, Size size) {
            largest = Math.max(largest, size.length());
            return new Estimate(cost, size);
        }

        Estimate estimate(CelExpr e, Map<String, Size> scope) {
            return switch (e.getKind()) {
                case CONSTANT -> seen(Cost.ONE, constant(e.constant()));
                case IDENT -> {
                    String name = e.ident().name();
                    Size s = scope.containsKey(name) ? scope.get(name) : variables.apply(name);
                    yield seen(Cost.ONE, s == null ? Size.UNKNOWN : s);
                }
                case SELECT -> {
                    Estimate operand = estimate(e.select().operand(), scope);
                    yield seen(operand.cost().plus(Cost.ONE), e.select().testOnly() ? Size.SCALAR
                            : operand.size().elementOrUnknown());
                }
                case LIST -> {
                    Cost cost = Cost.ONE;
                    Size element = null;
                    for (CelExpr x : e.list().elements()) {
                        Estimate item = estimate(x, scope);
                        cost = cost.plus(item.cost());
                        element = element == null ? item.size() : element.join(item.size());
                    }
                    yield seen(cost, Size.list(e.list().elements().size(), element == null ? Size.SCALAR : element));
                }
                case MAP -> {
                    Cost cost = Cost.ONE;
                    Size value = null;
                    for (var entry : e.map().entries()) {
                        Estimate v = estimate(entry.value(), scope);
                        cost = cost.plus(estimate(entry.key(), scope).cost()).plus(v.cost());
                        value = value == null ? v.size() : value.join(v.size());
                    }
                    yield seen(cost, Size.list(e.map().entries().size(), value == null ? Size.SCALAR : value));
                }
                case STRUCT -> {
                    Cost cost = Cost.ONE;
                    for (var field : e.struct().entries()) {
                        cost = cost.plus(estimate(field.value(), scope).cost());
                    }
                    yield seen(cost, Size.UNKNOWN);
                }
                case CALL -> call(e, scope);
                case COMPREHENSION -> comprehension(e, scope);
                default -> seen(Cost.ONE, Size.UNKNOWN);
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
            Cost cost = Cost.ONE;
            for (Estimate a : args) {
                cost = cost.plus(a.cost());
            }
            if (f.equals("_?_:_") && args.size() == 3) {
                return seen(Cost.ONE.plus(args.get(0).cost()).plus(args.get(1).cost().max(args.get(2).cost())),
                        args.get(1).size().join(args.get(2).size()));
            }
            if (!sized(ast.getType(e.id()).orElse(SimpleType.DYN))) {
                return seen(cost, Size.SCALAR);
            }
            if (f.equals("_+_") && args.size() == 2) {
                Size a = args.get(0).size();
                Size b = args.get(1).size();
                Size element = a.element() == null || b.element() == null ? null : a.element().join(b.element());
                return seen(cost, new Size(add(a.length(), b.length()), element));
            }
            if (f.equals("_[_]") && args.size() == 2) {
                return seen(cost, args.get(0).size().elementOrUnknown());
            }
            // the standard library's other functions yielding strings, lists or maps (conversions, dyn) build nothing
            // larger than their largest argument, or a short text from a number
            Size out = Size.text(64);
            for (Estimate a : args) {
                out = out.join(a.size());
            }
            return seen(cost, out);
        }

        private static boolean sized(CelType type) {
            CelType t = type instanceof NullableType n ? n.targetType() : type;
            return !(t == SimpleType.INT || t == SimpleType.UINT || t == SimpleType.DOUBLE || t == SimpleType.BOOL
                    || t == SimpleType.TIMESTAMP || t == SimpleType.DURATION || t == SimpleType.NULL_TYPE);
        }

        /**
         * A comprehension: its body counted once per element of the range (at the accumulator's final size), the
         * accumulator growing by what one step adds, per iteration (unbounded when a step adds more than the one
         * before, as {@code accu + accu} would).
         */
        private Estimate comprehension(CelExpr e, Map<String, Size> scope) {
            var c = e.comprehension();
            Estimate range = estimate(c.iterRange(), scope);
            long n = range.size().length();
            boolean map = ast.getType(c.iterRange().id()).orElse(SimpleType.DYN) instanceof MapType;
            Estimate init = estimate(c.accuInit(), scope);
            Map<String, Size> inner = new HashMap<>(scope);
            inner.put(c.iterVar(), map ? Size.UNKNOWN : range.size().elementOrUnknown());
            if (!c.iterVar2().isEmpty()) {
                inner.put(c.iterVar2(), range.size().elementOrUnknown());
            }
            Size start = init.size();
            inner.put(c.accuVar(), start);
            Size first = estimate(c.loopStep(), inner).size();
            long growth = Math.max(0, first.length() - start.length());
            Size element = start.element() == null || first.element() == null ? first.element()
                    : start.element().join(first.element());
            inner.put(c.accuVar(), new Size(add(start.length(), growth), element));
            Size second = estimate(c.loopStep(), inner).size();
            boolean linear = second.length() - add(start.length(), growth) <= growth;
            Size accu = new Size(linear ? add(start.length(), times(n, growth)) : CAP, element);
            inner.put(c.accuVar(), accu);
            largest = Math.max(largest, accu.length());
            Cost perIteration = new Cost(0, 1).plus(estimate(c.loopCondition(), inner).cost())
                    .plus(estimate(c.loopStep(), inner).cost());
            Map<String, Size> after = new HashMap<>(scope);
            after.put(c.accuVar(), accu);
            Estimate result = estimate(c.result(), after);
            return seen(range.cost().plus(init.cost()).plus(perIteration.times(n)).plus(result.cost()), result.size());
        }
    }

    /** The error that ends an evaluation over budget (carried as the cause of CEL's evaluation exception). */
    public static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

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
