package org.crmkit.workflow.internal;

import com.google.protobuf.Timestamp;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.internal.cel.CelBudget;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * The CEL of rules: conditions (boolean) and value expressions, type-checked against an object type's fields and the
 * rule variables ({@code id}, {@code owner}, {@code team}, {@code prior}, {@code changed}, {@code is_new},
 * {@code event}, {@code now}; a field of the same name hides a variable). Programs run on CEL's planner runtime within
 * the {@link CelBudget}: an expression that may cost more is refused when compiled (before the {@link FastCel} path
 * is considered), and an evaluation that runs over it ends with an error saying so.
 */
final class RuleCel {
    private static final CelRuntime RUNTIME = CelRuntimeFactory.plannerRuntimeBuilder()
            .setOptions(CelBudget.options(CelOptions.current().enableHeterogeneousNumericComparisons(true))).build();

    /**
     * A compiled expression, its checked result type and, for conditions of the shape {@link FastCel} covers, its
     * closure tree (null: CEL runs it).
     */
    record Program(CelRuntime.Program program, CelType resultType, String expression, FastCel.@Nullable Node fast) {
        /** Whether a condition holds; an evaluation error is an {@link IllegalStateException} naming the expression. */
        boolean test(Map<String, Object> variables) {
            if (fast != null && variables instanceof CelVariables slots) {
                Object r = fast.eval(slots);
                if (r == FastCel.ERROR) {
                    throw new IllegalStateException("no value for " + expression + " (a value is empty or of another"
                            + " kind)");
                }
                return Boolean.TRUE.equals(r);
            }
            try {
                return Boolean.TRUE.equals(eval(variables));
            } catch (CelEvaluationException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        /**
         * Evaluates against variables looked up in place ({@code eval(Map)} would copy the whole map into an
         * activation on every call, which costs more than most conditions), metered by the {@link CelBudget}; an
         * evaluation over budget is an {@link IllegalStateException} saying so.
         */
        Object eval(Map<String, Object> variables) throws CelEvaluationException {
            try {
                return program.trace((dev.cel.runtime.CelVariableResolver) name -> java.util.Optional.ofNullable(
                        variables.get(name)), new CelBudget.Meter());
            } catch (CelEvaluationException e) {
                String exceeded = CelBudget.exceeded(e);
                if (exceeded != null) {
                    throw new IllegalStateException("ran over its evaluation budget (" + exceeded + ")", e);
                }
                throw e;
            }
        }
    }

    /** A compile error, for the rule checker to report under the right path. */
    static final class CompileError extends Exception {
        private static final long serialVersionUID = 1L;

        CompileError(String message) {
            super(message, null, false, false);
        }
    }

    private RuleCel() {}

    private static final Map<String, CelType> CONTEXT = Map.of(
            "id", NullableType.create(SimpleType.STRING),
            "owner", NullableType.create(SimpleType.STRING),
            "team", NullableType.create(SimpleType.STRING),
            "prior", MapType.create(SimpleType.STRING, SimpleType.DYN),
            "changed", ListType.create(SimpleType.STRING),
            "is_new", SimpleType.BOOL,
            "event", SimpleType.STRING,
            "now", SimpleType.TIMESTAMP);

    static Program compile(@Nullable ObjectType type, String expression, @Nullable CelType result) throws CompileError {
        if (expression.isBlank() || expression.length() > 10_000) {
            throw new CompileError("expression must be 1 to 10,000 characters");
        }
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS);
        Set<String> fields = new java.util.HashSet<>();
        if (type != null) {
            for (Field f : type.fields()) {
                CelType t = variableType(f.valueType());
                if (t != null) {
                    b.addVar(f.name(), t);
                    fields.add(f.name());
                }
            }
        }
        CONTEXT.forEach((name, t) -> {
            if (!fields.contains(name)) {
                b.addVar(name, t);
            }
        });
        if (result != null) {
            b.setResultType(result);
        }
        CelCompiler compiler = b.build();
        try {
            var ast = compiler.compile(expression).getAst();
            String tooCostly = CelBudget.problem(ast, sizes(type, fields)::get);
            if (tooCostly != null) {
                throw new CompileError("is over the evaluation budget: " + tooCostly);
            }
            FastCel.Node fast = result == SimpleType.BOOL ? FastCel.compile(ast, type) : null;
            return new Program(RUNTIME.createProgram(ast), ast.getResultType(), expression, fast);
        } catch (CelValidationException e) {
            throw new CompileError("does not compile: " + e.getMessage());
        } catch (CelEvaluationException e) {
            throw new CompileError("cannot be planned: " + e.getMessage());
        }
    }

    /** The size bounds of the variables, for the static budget check (a field hides a variable of its name). */
    private static Map<String, CelBudget.Size> sizes(@Nullable ObjectType type, Set<String> fields) {
        Map<String, CelBudget.Size> sizes = new HashMap<>();
        CelBudget.Size any = CelBudget.Size.SCALAR;
        int count = 0;
        for (Field f : type == null ? List.<Field>of() : type.fields()) {
            if (fields.contains(f.name())) {
                CelBudget.Size s = CelBudget.Size.of(f);
                sizes.put(f.name(), s);
                any = any.join(s);
                count++;
            }
        }
        Map<String, CelBudget.Size> context = Map.of(
                "id", CelBudget.Size.text(36),
                "owner", CelBudget.Size.text(255),
                "team", CelBudget.Size.text(255),
                "prior", CelBudget.Size.list(count, any),
                "changed", CelBudget.Size.list(count + 2, CelBudget.Size.text(40)),
                "is_new", CelBudget.Size.SCALAR,
                "event", CelBudget.Size.text(16),
                "now", CelBudget.Size.SCALAR);
        context.forEach(sizes::putIfAbsent);
        return sizes;
    }

    static Program condition(@Nullable ObjectType type, String expression) throws CompileError {
        return compile(type, expression, SimpleType.BOOL);
    }

    private static @Nullable CelType variableType(FieldType type) {
        return switch (type) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL, PICKLIST, REFERENCE -> NullableType.create(SimpleType.STRING);
            case INTEGER -> NullableType.create(SimpleType.INT);
            case DECIMAL, PERCENT, CURRENCY -> NullableType.create(SimpleType.DOUBLE);
            case BOOLEAN -> NullableType.create(SimpleType.BOOL);
            case DATE, DATETIME -> NullableType.create(SimpleType.TIMESTAMP);
            case MULTI_PICKLIST, RELATION -> ListType.create(SimpleType.STRING);
            case ADDRESS -> MapType.create(SimpleType.STRING, SimpleType.STRING);
            case FORMULA -> null;
        };
    }

    /** The variables for a record ({@code after}, may be null) and what came before ({@code before}, may be null). */
    static CelVariables variables(@Nullable ObjectType type, @Nullable Record after, @Nullable Record before,
            Set<String> changed, String event, Instant now) {
        return new CelVariables(type, after, CelVariables.context(
                orNull(after == null ? null : after.id().toString()), orNull(after == null ? null : after.owner()),
                orNull(after == null ? null : after.team()), new Prior(type, before), List.copyOf(changed),
                before == null && after != null, event, timestamp(now)));
    }

    private static Object orNull(@Nullable Object value) {
        return value == null ? dev.cel.common.values.NullValue.NULL_VALUE : value;
    }

    /** {@code prior}: the fields before the change, converted when a condition first reads them (most never do). */
    private static final class Prior extends java.util.AbstractMap<String, Object> {
        private final @Nullable ObjectType type;
        private final @Nullable Record before;
        private @Nullable Map<String, Object> values;

        Prior(@Nullable ObjectType type, @Nullable Record before) {
            this.type = type;
            this.before = before;
        }

        private Map<String, Object> converted() {
            if (values == null) {
                Map<String, Object> v = new HashMap<>();
                if (type != null) {
                    for (Field f : type.fields()) {
                        if (f.type() != FieldType.FORMULA) {
                            v.put(f.name(),
                                    toCel(f.valueType(), before == null ? null : before.values().get(f.name())));
                        }
                    }
                }
                values = v;
            }
            return values;
        }

        @Override
        public Object get(Object key) {
            return converted().get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return converted().containsKey(key);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return converted().entrySet();
        }
    }

    static Object toCel(FieldType type, @Nullable Object value) {
        if (value == null) {
            return switch (type) {
                case MULTI_PICKLIST, RELATION -> List.of();
                case ADDRESS -> Map.of();
                default -> dev.cel.common.values.NullValue.NULL_VALUE;
            };
        }
        return switch (value) {
            case Money m -> m.amount().doubleValue();
            case BigDecimal d -> d.doubleValue();
            case UUID u -> u.toString();
            case LocalDate d -> timestamp(Instant.ofEpochSecond(d.toEpochDay() * 86_400));
            case Instant i -> timestamp(i);
            case Address a -> a.parts();
            case List<?> l -> l.stream().map(Object::toString).toList();
            default -> value;
        };
    }

    /** A CEL timestamp: the planner runtime works on {@link Instant}s natively (a protobuf Timestamp is converted on
     * every use). */
    static Object timestamp(Instant i) {
        return i;
    }

    /**
     * A CEL result as a value to write to a field of {@code type}: timestamps become dates (UTC) or instants, doubles
     * decimals at the field's scale, null values null; other values as they are (the write converts and checks them).
     */
    static @Nullable Object toField(@Nullable Field field, @Nullable Object result) {
        if (result == null || result instanceof dev.cel.common.values.NullValue) {
            return null;
        }
        if (result instanceof Timestamp || result instanceof Instant) {
            Instant i = result instanceof Instant in ? in : Instant.ofEpochSecond(((Timestamp) result).getSeconds(),
                    ((Timestamp) result).getNanos());
            return field != null && field.type() == FieldType.DATE ? LocalDate.ofInstant(i, ZoneOffset.UTC) : i;
        }
        if (result instanceof Double d && field != null && Double.isFinite(d)) {
            int scale = switch (field.type()) {
                case DECIMAL, PERCENT, CURRENCY -> field.scale();
                default -> -1;
            };
            return scale < 0 ? d : BigDecimal.valueOf(d).setScale(scale, RoundingMode.HALF_EVEN);
        }
        if (result instanceof com.google.protobuf.Duration || result instanceof java.time.Duration) {
            return result.toString();
        }
        return result;
    }

    /** Whether a checked result type can go to a field (dyn and null always can; the write checks the value). */
    static boolean fits(CelType result, Field field) {
        CelType t = result instanceof NullableType n ? n.targetType() : result;
        if (t == SimpleType.DYN || t == SimpleType.NULL_TYPE) {
            return true;
        }
        return switch (field.type()) {
            case TEXT, LONG_TEXT, EMAIL, PHONE, URL, PICKLIST, REFERENCE -> t == SimpleType.STRING;
            case INTEGER -> t == SimpleType.INT;
            case DECIMAL, PERCENT, CURRENCY -> t == SimpleType.DOUBLE || t == SimpleType.INT;
            case BOOLEAN -> t == SimpleType.BOOL;
            case DATE, DATETIME -> t == SimpleType.TIMESTAMP || t == SimpleType.STRING;
            case MULTI_PICKLIST, RELATION -> t instanceof ListType;
            case ADDRESS -> t instanceof MapType;
            case FORMULA -> false;
        };
    }

    /** Text of a value for messages and from/to matching: CEL and record values alike. */
    static String text(@Nullable Object value) {
        if (value == null || value instanceof dev.cel.common.values.NullValue) {
            return "";
        }
        if (value instanceof Timestamp ts) {
            return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()).toString();
        }
        if (value instanceof Money m) {
            return m.amount().toPlainString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }
}
