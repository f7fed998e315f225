package org.crmkit.internal.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.runtime.CelEvaluationException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.crmkit.error.SchemaException;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * Compiles and runs the CEL expressions of one object type: record rules (boolean, with {@code is_new},
 * {@code changed} and {@code prior}) and formulas (typed by the formula's result type). Compilation type-checks
 * against the fields, so a typo fails when the rule or formula is defined. Types, values, limits and the runtime are
 * the shared ones of {@link CelEnvironment}, which workflow conditions use too.
 */
public final class CelPrograms {
    /** A compiled expression and the fields it reads. */
    public static final class Program {
        private final CelEnvironment.Compiled compiled;
        private final Set<String> reads;

        Program(CelEnvironment.Compiled compiled, Set<String> reads) {
            this.compiled = compiled;
            this.reads = Set.copyOf(reads);
        }

        public String expression() {
            return compiled.expression();
        }

        /**
         * The fields of the object type the expression reads, directly or through {@code prior} (every field when
         * it uses {@code prior} other than by a constant name); taken from the checked AST.
         */
        public Set<String> reads() {
            return reads;
        }

        /**
         * Evaluates against prepared variables within the {@link CelBudget}; throws {@link CelEvaluationException} on
         * run-time errors, {@link CelBudget#exceeded} telling those that ran out of budget.
         */
        public Object eval(Map<String, Object> variables) throws CelEvaluationException {
            return compiled.eval(variables);
        }
    }

    private CelPrograms() {}

    /** Compiles a record rule of {@code type}; throws {@link SchemaException} naming the rule and the error. */
    public static Program compileRule(ObjectType type, String ruleName, String expression) {
        CelCompilerBuilder builder = compilerFor(type, true).setResultType(SimpleType.BOOL);
        return compile(builder, type, true, "rule " + ruleName, expression);
    }

    /** Compiles a formula field of {@code type}; formulas see the other non-formula fields. */
    public static Program compileFormula(ObjectType type, Field formula) {
        FieldType result = formula.resultType();
        CelType celType = result == null ? null : CelTypes.formulaResult(result);
        if (celType == null) {
            throw new SchemaException(SchemaException.Problem.INVALID_DEFINITION, type.name(), formula.name(),
                    "formula result type must be one of TEXT, INTEGER, DECIMAL, PERCENT, BOOLEAN, DATE, DATETIME");
        }
        String expression = formula.expression() == null ? "" : formula.expression();
        CelCompilerBuilder builder = compilerFor(type, false).setResultType(celType);
        return compile(builder, type, false, "formula " + formula.name(), expression);
    }

    private static Program compile(CelCompilerBuilder builder, ObjectType type, boolean ruleContext, String what,
            String expression) {
        try {
            CelEnvironment.Compiled c = CelEnvironment.compile(builder.build(), expression,
                    sizes(type, ruleContext)::get);
            return new Program(c, reads(c.ast(), type));
        } catch (CelEnvironment.CompileException e) {
            throw new SchemaException(SchemaException.Problem.INVALID_EXPRESSION, type.name(), null,
                    what + (e.length() ? ": " : " ") + e.getMessage());
        }
    }

    /** The size bounds of the variables an expression of {@code type} sees, for the static budget check. */
    private static Map<String, CelBudget.Size> sizes(ObjectType type, boolean ruleContext) {
        Map<String, CelBudget.Size> sizes = CelEnvironment.fieldSizes(type, fieldNames(type, ruleContext));
        if (ruleContext) {
            CelBudget.Size prior = CelEnvironment.mapOf(type.fields().size(), List.copyOf(sizes.values()));
            sizes.put("is_new", CelBudget.Size.SCALAR);
            sizes.put("changed", CelBudget.Size.list(type.fields().size(), CelBudget.Size.text(40)));
            sizes.put("prior", prior);
        }
        return sizes;
    }

    private static Set<String> fieldNames(ObjectType type, boolean ruleContext) {
        Set<String> names = new HashSet<>();
        for (Field f : type.fields()) {
            if (f.type() != FieldType.FORMULA || ruleContext) {
                names.add(f.name());
            }
        }
        return names;
    }

    /**
     * The fields of {@code type} a checked expression reads: identifiers naming fields, and {@code prior.x}; any
     * other use of {@code prior} counts as reading every field.
     */
    private static Set<String> reads(CelAbstractSyntaxTree ast, ObjectType type) {
        Set<String> names = new HashSet<>();
        for (Field f : type.fields()) {
            names.add(f.name());
        }
        Set<String> out = new TreeSet<>();
        boolean[] allOfPrior = {false};
        CelNavigableAst.fromAst(ast).getRoot().allNodes().forEach(node -> {
            CelExpr e = node.expr();
            if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
                String name = e.ident().name();
                if (names.contains(name)) {
                    out.add(name);
                } else if (name.equals("prior")) {
                    boolean selected = node.parent().map(p -> p.expr().getKind() == CelExpr.ExprKind.Kind.SELECT)
                            .orElse(false);
                    if (!selected) {
                        allOfPrior[0] = true;
                    }
                }
            } else if (e.getKind() == CelExpr.ExprKind.Kind.SELECT
                    && e.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
                    && e.select().operand().ident().name().equals("prior")) {
                out.add(e.select().field());
            }
        });
        if (allOfPrior[0]) {
            out.addAll(names);
        }
        out.retainAll(names);
        return out;
    }

    private static CelCompilerBuilder compilerFor(ObjectType type, boolean ruleContext) {
        CelCompilerBuilder builder = CelEnvironment.compiler();
        CelEnvironment.declareFields(builder, type, ruleContext);
        if (ruleContext) {
            builder.addVar("is_new", SimpleType.BOOL);
            builder.addVar("changed", ListType.create(SimpleType.STRING));
            builder.addVar("prior", MapType.create(SimpleType.STRING, SimpleType.DYN));
        }
        return builder;
    }

    /** The CEL variables for the fields of a record ({@code values} by field name; absent means empty). */
    public static Map<String, Object> variables(ObjectType type, Map<String, Object> values, boolean ruleContext) {
        return CelValues.fields(type, values, ruleContext);
    }

    /** Adds the rule-only variables. */
    public static void addRuleContext(Map<String, Object> vars, ObjectType type, boolean isNew, Set<String> changed,
            Map<String, Object> prior) {
        vars.put("is_new", isNew);
        vars.put("changed", List.copyOf(changed));
        // on create every field of prior is empty (null), so rules such as prior.stage != 'x' need no has()
        vars.put("prior", new LinkedHashMap<>(CelValues.fields(type, isNew ? Map.of() : prior, true)));
    }

    /** Converts a formula's CEL result to the field's value type; null when it has no usable value. */
    public static @Nullable Object fromCel(Field formula, @Nullable Object result) {
        return CelValues.formulaValue(formula, result);
    }
}
