package org.crmkit.internal.lead;

import java.util.Objects;
import org.crmkit.error.SchemaException;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.schema.Field;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;

/**
 * Checks that a schema holds the lead's standard conversion links ({@code converted_contact}, {@code _company},
 * {@code _deal}) as {@link StandardSchema#upgrades()} define them. A stored schema whose user had added a field of one
 * of those names before keeps that field when it is upgraded; converting its leads is then refused with a
 * {@link SchemaException} naming the field, instead of writing a link into a field of another kind.
 */
final class ConversionLinks {
    private ConversionLinks() {}

    static void check(SchemaSnapshot schema) {
        for (SchemaChange.AddField standard : StandardSchema.upgrades()) {
            if (!standard.objectType().equals("lead")) {
                continue;
            }
            Field wanted = standard.field();
            Field held = schema.findObjectType("lead").flatMap(t -> t.findField(wanted.name())).orElse(null);
            if (held == null || held.type() != wanted.type() || !Objects.equals(held.target(), wanted.target())) {
                throw new SchemaException(SchemaException.Problem.INVALID_DEFINITION, "lead", wanted.name(),
                        "a lead conversion links the lead through lead." + wanted.name() + ", a reference to "
                                + wanted.target() + "; this schema's field of that name "
                                + (held == null ? "is missing" : "is a " + describe(held))
                                + ": rename or delete it, then reopen the Crm to get the standard field");
            }
        }
    }

    private static String describe(Field f) {
        return f.type().name().toLowerCase(java.util.Locale.ROOT) + (f.target() == null ? "" : " to " + f.target());
    }
}
