package org.crmkit.workflow.internal;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * A fast path for the common shape of rule conditions: a type-checked CEL expression made only of constants, field
 * variables, {@code prior.x}, {@code &&}, {@code ||}, {@code !}, {@code ?:}, comparisons of two values of one type
 * (int, double, string, bool, timestamp, or null), {@code startsWith}/{@code endsWith}/{@code contains},
 * {@code size}, {@code in} a list, and {@code timestamp('...')} of a constant is turned into a tree of Java closures
 * that read the variables in place. It follows CEL's semantics, errors included: an operation on a value of the wrong
 * kind (a comparison with null, say) is an error, which {@code &&} and {@code ||} absorb when the other side decides
 * (CEL's commutative logic). Anything else is not compiled ({@link #compile} returns null) and runs on CEL itself. A
 * property test checks both agree.
 */
final class FastCel {
    /** The result of an expression that is a CEL error. */
    static final Object ERROR = new Object() {
        @Override
        public String toString() {
            return "error";
        }
    };

    /** A compiled node. */
    @FunctionalInterface
    interface Node {
        Object eval(CelVariables vars);
    }

    private static final Set<String> ORDERED = Set.of("_<_", "_<=_", "_>_", "_>=_");

    private final CelAbstractSyntaxTree ast;
    private final @Nullable ObjectType type;

    private FastCel(CelAbstractSyntaxTree ast, @Nullable ObjectType type) {
        this.ast = ast;
        this.type = type;
    }

    /**
     * The closure tree of an expression checked against the variables of {@code type}, or null when it uses something
     * the fast path does not cover.
     */
    static @Nullable Node compile(CelAbstractSyntaxTree ast, @Nullable ObjectType type) {
        try {
            return new FastCel(ast, type).node(ast.getExpr());
        } catch (Unsupported e) {
            return null;
        }
    }

    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    private @Nullable CelType type(CelExpr e) {
        CelType t = ast.getType(e.id()).orElse(null);
        return t instanceof NullableType n ? n.targetType() : t;
    }

    private Node node(CelExpr e) throws Unsupported {
        switch (e.getKind()) {
            case CONSTANT -> {
                Object c = constant(e.constant());
                return vars -> c;
            }
            case IDENT -> {
                String name = e.ident().name();
                ObjectType layout = type;
                int slot = CelVariables.slot(layout, name);
                if (slot < 0) {
                    throw new Unsupported();
                }
                return vars -> {
                    Object v = vars.type == layout ? vars.slot(slot) : vars.get(name);
                    return v == null ? ERROR : v;
                };
            }
            case SELECT -> {
                if (e.select().testOnly()) {
                    throw new Unsupported();
                }
                Node operand = node(e.select().operand());
                String field = e.select().field();
                return vars -> {
                    Object m = operand.eval(vars);
                    if (!(m instanceof Map<?, ?> map)) {
                        return ERROR;
                    }
                    Object v = map.get(field);
                    return v == null ? ERROR : v;
                };
            }
            case LIST -> {
                List<Node> items = new ArrayList<>();
                for (CelExpr x : e.list().elements()) {
                    items.add(node(x));
                }
                return vars -> {
                    List<Object> out = new ArrayList<>(items.size());
                    for (Node n : items) {
                        Object v = n.eval(vars);
                        if (v == ERROR) {
                            return ERROR;
                        }
                        out.add(v);
                    }
                    return out;
                };
            }
            case CALL -> {
                return call(e);
            }
            default -> throw new Unsupported();
        }
    }

    private static Object constant(CelConstant c) throws Unsupported {
        return switch (c.getKind()) {
            case NULL_VALUE -> NullValue.NULL_VALUE;
            case BOOLEAN_VALUE -> c.booleanValue();
            case INT64_VALUE -> c.int64Value();
            case DOUBLE_VALUE -> c.doubleValue();
            case STRING_VALUE -> c.stringValue();
            default -> throw new Unsupported();
        };
    }

    private Node call(CelExpr e) throws Unsupported {
        String f = e.call().function();
        List<CelExpr> args = e.call().args();
        CelExpr target = e.call().target().orElse(null);
        switch (f) {
            case "_&&_", "_||_" -> {
                Node a = node(args.get(0));
                Node b = node(args.get(1));
                boolean and = f.equals("_&&_");
                return vars -> logic(and, a.eval(vars), b, vars);
            }
            case "!_" -> {
                Node a = node(args.get(0));
                return vars -> a.eval(vars) instanceof Boolean v ? !v : ERROR;
            }
            case "_?_:_" -> {
                Node c = node(args.get(0));
                Node a = node(args.get(1));
                Node b = node(args.get(2));
                return vars -> {
                    Object v = c.eval(vars);
                    return v instanceof Boolean t ? (t ? a.eval(vars) : b.eval(vars)) : ERROR;
                };
            }
            case "_==_", "_!=_" -> {
                requireComparable(args.get(0), args.get(1), true);
                Node a = node(args.get(0));
                Node b = node(args.get(1));
                boolean eq = f.equals("_==_");
                return vars -> {
                    Object x = a.eval(vars);
                    Object y = x == ERROR ? ERROR : b.eval(vars);
                    if (y == ERROR) {
                        return ERROR;
                    }
                    return equal(x, y) == eq;
                };
            }
            case "timestamp" -> {
                if (args.size() != 1 || args.get(0).getKind() != CelExpr.ExprKind.Kind.CONSTANT
                        || args.get(0).constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                    throw new Unsupported();
                }
                try {
                    Instant i = Instant.parse(args.get(0).constant().stringValue());
                    return vars -> i;
                } catch (DateTimeParseException ex) {
                    throw new Unsupported();
                }
            }
            case "startsWith", "endsWith", "contains" -> {
                if (target == null || args.size() != 1 || type(target) != SimpleType.STRING) {
                    throw new Unsupported();
                }
                Node t = node(target);
                Node a = node(args.get(0));
                return vars -> {
                    Object s = t.eval(vars);
                    Object p = s instanceof String ? a.eval(vars) : ERROR;
                    if (!(s instanceof String str) || !(p instanceof String part)) {
                        return ERROR;
                    }
                    return switch (f) {
                        case "startsWith" -> str.startsWith(part);
                        case "endsWith" -> str.endsWith(part);
                        default -> str.contains(part);
                    };
                };
            }
            case "size" -> {
                CelExpr of = target != null ? target : args.size() == 1 ? args.get(0) : null;
                if (of == null || (target != null && !args.isEmpty())) {
                    throw new Unsupported();
                }
                Node a = node(of);
                return vars -> {
                    Object v = a.eval(vars);
                    if (v instanceof String s) {
                        return (long) s.codePointCount(0, s.length());
                    }
                    if (v instanceof Map<?, ?> m) {
                        return (long) m.size(); // an address: CEL counts a map's entries
                    }
                    return v instanceof List<?> l ? (Object) (long) l.size() : ERROR;
                };
            }
            case "@in" -> {
                Node item = node(args.get(0));
                Node list = node(args.get(1));
                if (!(ast.getType(args.get(1).id()).orElse(null) instanceof dev.cel.common.types.ListType)) {
                    throw new Unsupported();
                }
                return vars -> {
                    Object x = item.eval(vars);
                    Object l = x == ERROR ? ERROR : list.eval(vars);
                    if (!(l instanceof List<?> values)) {
                        return ERROR;
                    }
                    for (Object v : values) {
                        if (equal(x, v)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            default -> {
                if (!ORDERED.contains(f)) {
                    throw new Unsupported();
                }
                requireComparable(args.get(0), args.get(1), false);
                Node a = node(args.get(0));
                Node b = node(args.get(1));
                return vars -> {
                    Object x = a.eval(vars);
                    Object y = x == ERROR ? ERROR : b.eval(vars);
                    int c = compare(x, y);
                    if (c == Integer.MIN_VALUE) {
                        return ERROR;
                    }
                    if (c == Integer.MAX_VALUE) {
                        return false; // NaN: every ordering is false
                    }
                    return switch (f) {
                        case "_<_" -> c < 0;
                        case "_<=_" -> c <= 0;
                        case "_>_" -> c > 0;
                        default -> c >= 0;
                    };
                };
            }
        }
    }

    /** Both sides of one simple type (or null, for equality); anything else runs on CEL. */
    private void requireComparable(CelExpr a, CelExpr b, boolean equality) throws Unsupported {
        CelType x = type(a);
        CelType y = type(b);
        Set<CelType> simple = Set.of(SimpleType.INT, SimpleType.DOUBLE, SimpleType.STRING, SimpleType.TIMESTAMP,
                SimpleType.BOOL);
        if (equality && (x == SimpleType.NULL_TYPE || y == SimpleType.NULL_TYPE)) {
            if (x == SimpleType.NULL_TYPE ? simple.contains(y) || y == SimpleType.NULL_TYPE : simple.contains(x)) {
                return;
            }
        }
        if (x == null || !x.equals(y) || !simple.contains(x) || (!equality && x == SimpleType.BOOL)) {
            throw new Unsupported();
        }
    }

    private static Object logic(boolean and, Object a, Node right, CelVariables vars) {
        if (a instanceof Boolean v && v != and) {
            return v; // false && _ is false, true || _ is true
        }
        Object b = right.eval(vars);
        if (b instanceof Boolean w && w != and) {
            return w;
        }
        if (a instanceof Boolean && b instanceof Boolean) {
            return and;
        }
        return ERROR;
    }

    static boolean equal(Object x, Object y) {
        if (x instanceof Double a && y instanceof Double b) {
            return a.doubleValue() == b.doubleValue();
        }
        if (x instanceof NullValue || y instanceof NullValue) {
            return x instanceof NullValue && y instanceof NullValue;
        }
        return x.getClass() == y.getClass() && x.equals(y);
    }

    /**
     * Negative, zero or positive; {@code Integer.MIN_VALUE} for an error (null, another kind), {@code Integer.MAX_VALUE}
     * when a double is NaN.
     */
    @SuppressWarnings("unchecked")
    static int compare(Object x, Object y) {
        if (x instanceof Double a && y instanceof Double b) {
            double p = a;
            double q = b;
            return Double.isNaN(p) || Double.isNaN(q) ? Integer.MAX_VALUE : p < q ? -1 : p > q ? 1 : 0;
        }
        if ((x instanceof Long || x instanceof String || x instanceof Instant) && x.getClass() == y.getClass()) {
            return Integer.signum(((Comparable<Object>) x).compareTo(y));
        }
        return Integer.MIN_VALUE;
    }
}
