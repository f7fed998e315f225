package org.crmkit.internal.cel;

import com.google.protobuf.Timestamp;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.crmkit.error.SchemaException;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * Compiles and runs the CEL expressions of one object type: record rules (boolean, with {@code is_new},
 * {@code changed} and {@code prior}) and formulas (typed by the formula's result type). Compilation type-checks
 * against the fields, so a typo fails when the rule or formula is defined.
 */
public final class CelPrograms {
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(CelBudget.options(CelOptions.current())).build();

    /** A compiled expression and the fields it reads. */
    public static final class Program {
        private final CelRuntime.Program program;
        private final String expression;
        private final Set<String> reads;

        Program(CelRuntime.Program program, String expression, Set<String> reads) {
            this.program = program;
            this.expression = expression;
            this.reads = Set.copyOf(reads);
        }

        public String expression() {
            return expression;
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
            return program.trace(variables, new CelBudget.Meter());
        }
    }

    private CelPrograms() {}

    /** Compiles a record rule of {@code type}; throws {@link SchemaException} naming the rule and the error. */
    public static Program compileRule(ObjectType type, String ruleName, String expression) {
        CelCompilerBuilder builder = compilerFor(type, true).setResultType(SimpleType.BOOL);
        return compile(builder.build(), type, true, "rule " + ruleName, expression);
    }

    /** Compiles a formula field of {@code type}; formulas see the other non-formula fields. */
    public static Program compileFormula(ObjectType type, Field formula) {
        FieldType result = formula.resultType();
        if (result == null || celType(result) == null) {
            throw new SchemaException(SchemaException.Problem.INVALID_DEFINITION, type.name(), formula.name(),
                    "formula result type must be one of TEXT, INTEGER, DECIMAL, PERCENT, BOOLEAN, DATE, DATETIME");
        }
        String expression = formula.expression() == null ? "" : formula.expression();
        CelCompilerBuilder builder = compilerFor(type, false).setResultType(celType(result));
        return compile(builder.build(), type, false, "formula " + formula.name(), expression);
    }

    private static Program compile(CelCompiler compiler, ObjectType type, boolean ruleContext, String what,
            String expression) {
        String typeName = type.name();
        if (expression.isBlank() || expression.length() > 10_000) {
            throw new SchemaException(SchemaException.Problem.INVALID_EXPRESSION, typeName, null,
                    what + ": expression must be 1 to 10,000 characters");
        }
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            String tooCostly = CelBudget.problem(ast, sizes(type, ruleContext)::get);
            if (tooCostly != null) {
                throw new SchemaException(SchemaException.Problem.INVALID_EXPRESSION, typeName, null,
                        what + " is over the evaluation budget: " + tooCostly);
            }
            return new Program(RUNTIME.createProgram(ast), expression, reads(ast, type));
        } catch (CelValidationException e) {
            throw new SchemaException(SchemaException.Problem.INVALID_EXPRESSION, typeName, null,
                    what + " does not compile: " + e.getMessage());
        } catch (CelEvaluationException e) {
            throw new SchemaException(SchemaException.Problem.INVALID_EXPRESSION, typeName, null,
                    what + " cannot be planned: " + e.getMessage());
        }
    }

    /** The size bounds of the variables an expression of {@code type} sees, for the static budget check. */
    private static Map<String, CelBudget.Size> sizes(ObjectType type, boolean ruleContext) {
        Map<String, CelBudget.Size> sizes = new HashMap<>();
        CelBudget.Size any = CelBudget.Size.SCALAR;
        for (Field f : type.fields()) {
            if (f.type() == FieldType.FORMULA && !ruleContext) {
                continue;
            }
            CelBudget.Size s = CelBudget.Size.of(f);
            sizes.put(f.name(), s);
            any = any.join(s);
        }
        if (ruleContext) {
            sizes.put("is_new", CelBudget.Size.SCALAR);
            sizes.put("changed", CelBudget.Size.list(type.fields().size(), CelBudget.Size.text(40)));
            sizes.put("prior", CelBudget.Size.list(type.fields().size(), any));
        }
        return sizes;
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
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS);
        for (Field f : type.fields()) {
            if (f.type() == FieldType.FORMULA && !ruleContext) {
                continue;
            }
            CelType t = variableType(f.valueType());
            if (t != null) {
                builder.addVar(f.name(), t);
            }
        }
        if (ruleContext) {
            builder.addVar("is_new", SimpleType.BOOL);
            builder.addVar("changed", ListType.create(SimpleType.STRING));
            builder.addVar("prior", MapType.create(SimpleType.STRING, SimpleType.DYN));
        }
        return builder;
    }

    private static @Nullable CelType celType(FieldType type) {
        return switch (type) {
            case TEXT, LONG_TEXT -> SimpleType.STRING;
            case INTEGER -> SimpleType.INT;
            case DECIMAL, PERCENT -> SimpleType.DOUBLE;
            case BOOLEAN -> SimpleType.BOOL;
            case DATE, DATETIME -> SimpleType.TIMESTAMP;
            default -> null;
        };
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

    /** The CEL variables for the fields of a record ({@code values} by field name; absent means empty). */
    public static Map<String, Object> variables(ObjectType type, Map<String, Object> values, boolean ruleContext) {
        Map<String, Object> vars = new HashMap<>();
        for (Field f : type.fields()) {
            if (f.type() == FieldType.FORMULA && !ruleContext) {
                continue;
            }
            vars.put(f.name(), toCel(f.valueType(), values.get(f.name())));
        }
        return vars;
    }

    /** Adds the rule-only variables. */
    public static void addRuleContext(Map<String, Object> vars, ObjectType type, boolean isNew, Set<String> changed,
            Map<String, Object> prior) {
        vars.put("is_new", isNew);
        vars.put("changed", List.copyOf(changed));
        // on create every field of prior is empty (null), so rules such as prior.stage != 'x' need no has()
        vars.put("prior", new LinkedHashMap<>(variables(type, isNew ? Map.of() : prior, true)));
    }

    private static Object toCel(FieldType type, @Nullable Object value) {
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
            case LocalDate d -> timestamp(d.atStartOfDay(ZoneOffset.UTC).toInstant());
            case Instant i -> timestamp(i);
            case Address a -> a.parts();
            case List<?> l -> l.stream().map(Object::toString).toList();
            default -> value;
        };
    }

    private static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    /** Converts a formula's CEL result to the field's value type; null when it has no usable value. */
    public static @Nullable Object fromCel(Field formula, @Nullable Object result) {
        if (result == null || result instanceof dev.cel.common.values.NullValue) {
            return null;
        }
        FieldType t = formula.resultType();
        return switch (t) {
            case INTEGER -> result instanceof Long l ? l : null;
            case DECIMAL, PERCENT -> result instanceof Double d && Double.isFinite(d)
                    ? BigDecimal.valueOf(d).setScale(formula.scale(), RoundingMode.HALF_EVEN) : null;
            case BOOLEAN -> result instanceof Boolean b ? b : null;
            case TEXT, LONG_TEXT -> result instanceof String s ? s : null;
            case DATETIME -> result instanceof Timestamp ts ? Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos())
                    : result instanceof Instant i ? i : null;
            case DATE -> result instanceof Timestamp ts
                    ? LocalDate.ofInstant(Instant.ofEpochSecond(ts.getSeconds()), ZoneOffset.UTC)
                    : result instanceof Instant i ? LocalDate.ofInstant(i, ZoneOffset.UTC) : null;
            case null, default -> null;
        };
    }
}
