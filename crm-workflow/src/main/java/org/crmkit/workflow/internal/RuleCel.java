package org.crmkit.workflow.internal;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.internal.cel.CelBudget;
import org.crmkit.internal.cel.CelEnvironment;
import org.crmkit.internal.cel.CelValues;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * The CEL of rules: conditions (boolean) and value expressions, type-checked against an object type's fields and the
 * rule variables ({@code id}, {@code owner}, {@code team}, {@code prior}, {@code changed}, {@code is_new},
 * {@code event}, {@code now}; a field of the same name hides a variable). Types, values, limits and the runtime are
 * crm-core's shared CEL layer ({@link CelEnvironment}, which formulas and record rules use too): an expression that may
 * cost more than the {@link CelBudget} is refused when compiled (before the {@link FastCel} path is considered), and
 * an evaluation that runs over it ends with an error saying so.
 */
final class RuleCel {
    /**
     * A compiled expression and, for conditions of the shape {@link FastCel} covers, its closure tree (null: CEL runs
     * it).
     */
    record Program(CelEnvironment.Compiled compiled, FastCel.@Nullable Node fast) {
        /** The CEL program. */
        CelRuntime.Program program() {
            return compiled.program();
        }

        /** The checked result type. */
        CelType resultType() {
            return compiled.resultType();
        }

        String expression() {
            return compiled.expression();
        }

        /** Whether a condition holds; an evaluation error is an {@link IllegalStateException} naming the expression. */
        boolean test(Map<String, Object> variables) {
            FastCel.Node f = fast;
            if (f != null && variables instanceof CelVariables slots) {
                Object r = f.eval(slots);
                if (r == FastCel.ERROR) {
                    throw new IllegalStateException("no value for " + expression() + " (a value is empty or of "
                            + "another kind)");
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
         * Evaluates against variables looked up in place, metered by the {@link CelBudget}; an evaluation over budget
         * is an {@link IllegalStateException} saying so.
         */
        Object eval(Map<String, Object> variables) throws CelEvaluationException {
            try {
                return compiled.eval(variables);
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
        CelCompilerBuilder b = CelEnvironment.compiler();
        // formula fields are declared as in record rules, but have no value here (CelVariables)
        Set<String> fields = CelEnvironment.declareFields(b, type, true);
        CONTEXT.forEach((name, t) -> {
            if (!fields.contains(name)) {
                b.addVar(name, t);
            }
        });
        if (result != null) {
            b.setResultType(result);
        }
        try {
            CelEnvironment.Compiled c = CelEnvironment.compile(b.build(), expression, sizes(type, fields)::get);
            FastCel.Node fast = result == SimpleType.BOOL ? FastCel.compile(c.ast(), type) : null;
            return new Program(c, fast);
        } catch (CelEnvironment.CompileException e) {
            throw new CompileError(String.valueOf(e.getMessage()));
        }
    }

    /** The size bounds of the variables, for the static budget check (a field hides a variable of its name). */
    private static Map<String, CelBudget.Size> sizes(@Nullable ObjectType type, Set<String> fields) {
        Map<String, CelBudget.Size> sizes = CelEnvironment.fieldSizes(type, fields);
        int count = sizes.size();
        Map<String, CelBudget.Size> context = Map.of(
                "id", CelBudget.Size.text(36),
                "owner", CelBudget.Size.text(255),
                "team", CelBudget.Size.text(255),
                "prior", CelEnvironment.mapOf(count, List.copyOf(sizes.values())),
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

    /** The variables for a record ({@code after}, may be null) and what came before ({@code before}, may be null). */
    static CelVariables variables(@Nullable ObjectType type, @Nullable Record after, @Nullable Record before,
            Set<String> changed, String event, Instant now) {
        return new CelVariables(type, after, CelVariables.context(
                CelValues.orNull(after == null ? null : after.id().toString()),
                CelValues.orNull(after == null ? null : after.owner()),
                CelValues.orNull(after == null ? null : after.team()), new Prior(type, before), List.copyOf(changed),
                before == null && after != null, event, now));
    }

    /** {@code prior}: the fields before the change, converted when a condition first reads them (most never do). */
    private static final class Prior extends AbstractMap<String, Object> {
        private final @Nullable ObjectType type;
        private final @Nullable Record before;
        private @Nullable Map<String, Object> values;

        Prior(@Nullable ObjectType type, @Nullable Record before) {
            this.type = type;
            this.before = before;
        }

        private Map<String, Object> converted() {
            Map<String, Object> v = values;
            if (v == null) {
                v = type == null ? Map.of() : CelValues.fields(type, before == null ? Map.of() : before.values(),
                        false);
                values = v;
            }
            return v;
        }

        @Override
        public @Nullable Object get(Object key) {
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

    /** {@link CelValues#fieldValue}, for the executor. */
    static @Nullable Object toField(@Nullable Field field, @Nullable Object result) {
        return CelValues.fieldValue(field, result);
    }

    /** {@link CelValues#text}, for the executor. */
    static String text(@Nullable Object value) {
        return CelValues.text(value);
    }
}
