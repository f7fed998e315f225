package org.crmkit.internal.schema;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.LeadMapping;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The rules of a {@link LeadMapping} against a schema: {@link #check} refuses a mapping naming what does not exist or
 * does not fit, {@link #resolve} gives the field pairs a conversion copies.
 */
public final class LeadMappings {
    /** The lead's own conversion fields: never copied by name. */
    public static final Set<String> LEAD_OWN = Set.of("status", "converted_at", "converted_contact",
            "converted_company", "converted_deal");

    private LeadMappings() {}

    /** Throws a {@link SchemaException} naming the type and field of the first entry that does not fit. */
    public static void check(SchemaSnapshot schema, LeadMapping mapping) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(mapping, "mapping");
        ObjectType lead = type(schema, "lead");
        Set<String> seen = new HashSet<>();
        for (LeadMapping.Entry e : mapping.entries()) {
            if (!LeadMapping.TARGETS.contains(e.target())) {
                throw new SchemaException(Problem.UNKNOWN_OBJECT_TYPE, NameRules.shown(e.target()), null,
                        "a lead converts into " + String.join(", ", LeadMapping.TARGETS) + " only");
            }
            ObjectType target = type(schema, e.target());
            Field to = field(target, e.field());
            if (!seen.add(e.target() + "." + e.field())) {
                throw new SchemaException(Problem.DUPLICATE, target.name(), to.name(),
                        "the lead mapping names it twice");
            }
            if (!writable(to)) {
                throw new SchemaException(Problem.INVALID_DEFINITION, target.name(), to.name(),
                        "a " + (to.deprecated() ? "deprecated field" : "formula") + " cannot be filled from a lead");
            }
            String fromName = e.from();
            if (fromName != null) {
                Field from = field(lead, fromName);
                if (!compatible(from, to)) {
                    throw new SchemaException(Problem.INVALID_DEFINITION, target.name(), to.name(), "a "
                            + describe(to) + " cannot take lead." + from.name() + " (" + describe(from) + ")");
                }
            }
        }
    }

    /** Whether the mapping's entries name {@code type}.{@code field} (as target or as lead field). */
    public static boolean names(LeadMapping mapping, String type, String field) {
        return mapping.entries().stream().anyMatch(e -> e.target().equals(type) && e.field().equals(field)
                || type.equals("lead") && field.equals(e.from()));
    }

    /**
     * The fields a conversion fills in {@code target}: target field to lead field, by name (when the mapping says
     * so) and by the explicit entries. Entries that no longer fit the schema are left out; {@link #check} reports
     * them.
     */
    public static Map<String, String> resolve(SchemaSnapshot schema, LeadMapping mapping, String target) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectType lead = schema.findObjectType("lead").orElse(null);
        ObjectType to = schema.findObjectType(target).orElse(null);
        if (lead == null || to == null) {
            return out;
        }
        if (mapping.byName()) {
            for (Field f : to.fields()) {
                Field from = lead.findField(f.name()).orElse(null);
                if (from != null && !LEAD_OWN.contains(from.name()) && from.type() != FieldType.FORMULA
                        && writable(f) && compatible(from, f)) {
                    out.put(f.name(), from.name());
                }
            }
        }
        for (LeadMapping.Entry e : mapping.entries()) {
            if (!e.target().equals(target)) {
                continue;
            }
            out.remove(e.field());
            String fromName = e.from();
            Field f = to.findField(e.field()).orElse(null);
            Field from = fromName == null ? null : lead.findField(fromName).orElse(null);
            if (f != null && from != null && writable(f) && compatible(from, f)) {
                out.put(f.name(), from.name());
            }
        }
        return out;
    }

    /**
     * Whether values of {@code from} can be written to {@code to}: the same type (references to the same type,
     * picklists whose values {@code to} has), text into text, long text, or from an email, phone, URL or picklist
     * into text or long text, an integer into a decimal.
     */
    public static boolean compatible(Field from, Field to) {
        FieldType source = from.type() == FieldType.FORMULA ? from.resultType() : from.type();
        if (source == null || to.type() == FieldType.FORMULA) {
            return false;
        }
        if (source == to.type()) {
            return switch (source) {
                case REFERENCE, RELATION -> Objects.equals(from.target(), to.target());
                case PICKLIST, MULTI_PICKLIST -> values(to).containsAll(values(from));
                default -> true;
            };
        }
        return switch (to.type()) {
            case TEXT -> Set.of(FieldType.EMAIL, FieldType.PHONE, FieldType.URL, FieldType.PICKLIST).contains(source);
            case LONG_TEXT -> Set.of(FieldType.TEXT, FieldType.EMAIL, FieldType.PHONE, FieldType.URL,
                    FieldType.PICKLIST).contains(source);
            case DECIMAL -> source == FieldType.INTEGER;
            default -> false;
        };
    }

    private static boolean writable(Field f) {
        return f.type() != FieldType.FORMULA && !f.isRollup() && !f.deprecated();
    }

    private static Set<String> values(Field f) {
        Set<String> out = new HashSet<>();
        for (PicklistOption o : f.options()) {
            out.add(o.value());
        }
        return out;
    }

    private static String describe(Field f) {
        String type = f.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        @Nullable
        String target = f.target();
        return target == null ? type + " field" : type + " to " + target;
    }

    private static ObjectType type(SchemaSnapshot schema, String name) {
        return schema.findObjectType(name).orElseThrow(() -> new SchemaException(Problem.UNKNOWN_OBJECT_TYPE,
                name, null, "no object type '" + name + "'"));
    }

    private static Field field(ObjectType type, String name) {
        return type.findField(name).orElseThrow(() -> new SchemaException(Problem.UNKNOWN_FIELD, type.name(),
                NameRules.shown(name), "no field '" + NameRules.shown(name) + "' (named by the lead mapping)"));
    }
}
