package org.crmkit.internal.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * The one CEL environment of CRMKit: the compiler (standard library and macros), the runtime and its options, the
 * limits an expression is compiled within, for formulas and record rules (crm-core) and workflow conditions and value
 * expressions (crm-workflow) alike; each adds its own context variables to the fields declared here.
 *
 * <p>The runtime is CEL-Java's planner runtime (the one CEL-Java develops; the older interpreter is its legacy), with
 * native values ({@code timestamp} is {@link java.time.Instant}, {@code duration} {@link java.time.Duration}, the
 * default of CEL-Java 0.14, whose option to turn it off is deprecated; see {@link CelValues}), heterogeneous numeric comparisons at run time, and the {@link CelBudget}'s iteration limit. An
 * expression is 1 to {@link #MAX_LENGTH} characters, type-checked, bounded by {@link CelBudget#problem} and planned
 * when compiled; an evaluation is metered by {@link CelBudget.Meter}. The environment is immutable and thread-safe.
 */
public final class CelEnvironment {
    /** The longest expression, in characters. */
    public static final int MAX_LENGTH = 10_000;

    private static final CelOptions OPTIONS = CelBudget.options(CelOptions.current()
            .enableHeterogeneousNumericComparisons(true));
    private static final CelRuntime RUNTIME = CelRuntimeFactory.plannerRuntimeBuilder().setOptions(OPTIONS).build();

    private CelEnvironment() {}

    /** Why an expression cannot be compiled; the message reads after the expression's name ("does not compile..."). */
    public static final class CompileException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean length;

        CompileException(String message, boolean length) {
            super(message, null, false, false);
            this.length = length;
        }

        /** Whether the expression is empty or longer than {@link #MAX_LENGTH} (rather than wrong or too costly). */
        public boolean length() {
            return length;
        }
    }

    /** A compiled expression: its checked AST and its program on the shared runtime. */
    public record Compiled(String expression, CelAbstractSyntaxTree ast, CelRuntime.Program program) {
        /** The checked result type. */
        public CelType resultType() {
            return ast.getResultType();
        }

        /**
         * Evaluates with variables looked up in place (copying them into an activation would cost more than most
         * expressions), metered by the {@link CelBudget}; throws {@link CelEvaluationException} on run-time errors,
         * {@link CelBudget#exceeded} telling those that ran out of budget.
         */
        public Object eval(Map<String, ?> variables) throws CelEvaluationException {
            CelVariableResolver resolver = name -> Optional.ofNullable(variables.get(name));
            return program.trace(resolver, new CelBudget.Meter());
        }
    }

    /** A compiler builder with the standard library and macros, and nothing declared. */
    public static CelCompilerBuilder compiler() {
        return CelCompilerFactory.standardCelCompilerBuilder().setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    }

    /**
     * Declares the fields of {@code type} (formula fields only when {@code formulas} is true) as variables of their
     * {@link CelTypes#variable} types; returns the names declared.
     */
    public static Set<String> declareFields(CelCompilerBuilder builder, @Nullable ObjectType type, boolean formulas) {
        Set<String> names = new LinkedHashSet<>();
        if (type == null) {
            return names;
        }
        for (Field f : type.fields()) {
            CelType t = f.type() == FieldType.FORMULA && !formulas ? null : CelTypes.variable(f.valueType());
            if (t != null) {
                builder.addVar(f.name(), t);
                names.add(f.name());
            }
        }
        return names;
    }

    /** The size bounds of the fields of {@code type} named in {@code declared}, for {@link CelBudget#problem}. */
    public static Map<String, CelBudget.Size> fieldSizes(@Nullable ObjectType type, Set<String> declared) {
        Map<String, CelBudget.Size> sizes = new LinkedHashMap<>();
        if (type != null) {
            for (Field f : type.fields()) {
                if (declared.contains(f.name())) {
                    sizes.put(f.name(), CelBudget.Size.of(f));
                }
            }
        }
        return sizes;
    }

    /** The size bound of a map holding {@code entries} entries, each as large as the largest of {@code sizes}. */
    public static CelBudget.Size mapOf(int entries, Iterable<CelBudget.Size> sizes) {
        CelBudget.Size any = CelBudget.Size.SCALAR;
        for (CelBudget.Size s : sizes) {
            any = any.join(s);
        }
        return CelBudget.Size.list(entries, any);
    }

    /**
     * Compiles {@code expression}: within {@link #MAX_LENGTH}, type-checked by {@code compiler}, within the
     * {@link CelBudget} for the variable sizes {@code sizes} gives (null: unknown), and planned on the shared runtime.
     */
    public static Compiled compile(CelCompiler compiler, String expression,
            Function<String, CelBudget.@Nullable Size> sizes) throws CompileException {
        if (expression.isBlank() || expression.length() > MAX_LENGTH) {
            throw new CompileException("expression must be 1 to 10,000 characters", true);
        }
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            String tooCostly = CelBudget.problem(ast, sizes);
            if (tooCostly != null) {
                throw new CompileException("is over the evaluation budget: " + tooCostly, false);
            }
            return new Compiled(expression, ast, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new CompileException("does not compile: " + e.getMessage(), false);
        } catch (CelEvaluationException e) {
            throw new CompileException("cannot be planned: " + e.getMessage(), false);
        }
    }
}
