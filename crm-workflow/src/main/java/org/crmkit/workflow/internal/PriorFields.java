package org.crmkit.workflow.internal;

import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.compiler.CelCompiler;
import java.util.LinkedHashSet;
import java.util.Set;
import org.crmkit.internal.cel.CelEnvironment;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * The fields an expression names through {@code prior} ({@code prior.x}, {@code prior['x']}) that the rule does not
 * see. {@code prior} is a map to CEL, so the type checker lets any key through; a rule sees only the fields of its
 * (possibly restricted) type, and this makes a name outside them an error when the rule is saved, as a field variable
 * would be, rather than a condition that never holds.
 */
final class PriorFields {
    private static final CelCompiler PARSER = CelEnvironment.compiler().build();

    private PriorFields() {}

    /** The names {@code expression} reads from {@code prior} that are no field of {@code type}. */
    static Set<String> unknown(@Nullable ObjectType type, String expression) {
        if (type != null && type.findField("prior").isPresent()) {
            return Set.of(); // a field named prior hides the variable
        }
        Set<String> out = new LinkedHashSet<>();
        try {
            walk(PARSER.parse(expression).getAst().getExpr(), type, out);
        } catch (CelValidationException e) {
            // the compiler reports it
        }
        return out;
    }

    private static void walk(CelExpr e, @Nullable ObjectType type, Set<String> out) {
        switch (e.getKind()) {
            case SELECT -> {
                if (isPrior(e.select().operand())) {
                    check(e.select().field(), type, out);
                }
                walk(e.select().operand(), type, out);
            }
            case CALL -> {
                var args = e.call().args();
                if (e.call().function().equals("_[_]") && args.size() == 2 && isPrior(args.get(0))
                        && args.get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && args.get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                    check(args.get(1).constant().stringValue(), type, out);
                }
                e.call().target().ifPresent(t -> walk(t, type, out));
                args.forEach(a -> walk(a, type, out));
            }
            case LIST -> e.list().elements().forEach(x -> walk(x, type, out));
            case MAP -> e.map().entries().forEach(x -> {
                walk(x.key(), type, out);
                walk(x.value(), type, out);
            });
            case STRUCT -> e.struct().entries().forEach(x -> walk(x.value(), type, out));
            case COMPREHENSION -> {
                var c = e.comprehension();
                for (CelExpr x : new CelExpr[] {c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(),
                        c.result()}) {
                    walk(x, type, out);
                }
            }
            default -> {}
        }
    }

    private static boolean isPrior(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals("prior");
    }

    private static void check(String name, @Nullable ObjectType type, Set<String> out) {
        boolean seen = type != null && type.findField(name).filter(f -> f.type() != FieldType.FORMULA).isPresent();
        if (!seen) {
            out.add(name);
        }
    }
}
