package org.crmkit.rest.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.FieldView;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.TypeView;
import org.crmkit.security.Permission;

/**
 * The JSON Schemas (OpenAPI 3.1 dialect) of one type's records as a caller sees them, built from the caller's
 * {@link TypeView}: {@code <type>.Record} (a response), {@code <type>.Create} and {@code <type>.Update} (request
 * bodies, the fields the caller may write). A hidden field is not in the view, so not in any schema.
 */
final class OpenApiSchemas {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenApiSchemas() {}

    static String ref(String component) {
        return "#/components/schemas/" + component;
    }

    static ObjectNode refTo(String component) {
        return NODES.objectNode().put("$ref", ref(component));
    }

    /** Adds the schemas of {@code type} to {@code schemas}. */
    static void addType(ObjectNode schemas, TypeView type) {
        schemas.set(type.name() + ".Record", record(type));
        if (type.may(Permission.CREATE)) {
            schemas.set(type.name() + ".Create", write(type, true));
        }
        if (type.may(Permission.UPDATE)) {
            schemas.set(type.name() + ".Update", write(type, false));
        }
    }

    private static ObjectNode record(TypeView type) {
        ObjectNode fields = object("The field values the caller may read; a field without a value is left out");
        ObjectNode props = fields.putObject("properties");
        for (FieldView f : type.fields()) {
            props.set(f.name(), value(f, false));
        }
        fields.put("additionalProperties", false);
        ObjectNode s = object(type.label() + " record");
        ObjectNode p = s.putObject("properties");
        p.set("id", string("uuid"));
        p.set("type", NODES.objectNode().put("const", type.name()));
        p.set("version", NODES.objectNode().put("type", "integer").put("format", "int64")
                .put("description", "Increases with each write; the ETag"));
        p.set("owner", NODES.objectNode().put("type", "string"));
        p.set("team", nullable(NODES.objectNode().put("type", "string")));
        p.set("created_at", string("date-time"));
        p.set("created_by", NODES.objectNode().put("type", "string"));
        p.set("updated_at", string("date-time"));
        p.set("updated_by", NODES.objectNode().put("type", "string"));
        p.set("deleted_at", nullable(string("date-time")));
        p.set("fields", fields);
        ArrayNode required = s.putArray("required");
        for (String r : new String[] {"id", "type", "version", "owner", "created_at", "created_by", "updated_at",
                "updated_by", "fields"}) {
            required.add(r);
        }
        return s;
    }

    /** A create body (required fields without a default are required) or an update body (null clears). */
    private static ObjectNode write(TypeView type, boolean create) {
        ObjectNode s = object(create ? "Field values of a new " + type.label() + " record"
                : "The field values to change; null clears one");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (FieldView f : type.fields()) {
            if (!f.writable()) {
                continue;
            }
            props.set(f.name(), create ? value(f, true) : nullable(value(f, true)));
            if (create && f.required() && f.defaultValue() == null) {
                required.add(f.name());
            }
        }
        if (type.may(Permission.TRANSFER)) {
            props.set("owner", NODES.objectNode().put("type", "string").put("description", "the owner's user id"));
            props.set("team", nullable(NODES.objectNode().put("type", "string")));
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        s.put("additionalProperties", false);
        return s;
    }

    /** The schema of a field's values; {@code writing}: only active picklist options. */
    static ObjectNode value(FieldView f, boolean writing) {
        ObjectNode s = base(f, writing);
        s.put("title", f.label());
        if (!f.writable()) {
            s.put("readOnly", true);
        }
        return s;
    }

    private static ObjectNode base(FieldView f, boolean writing) {
        FieldType t = f.valueType();
        return switch (t) {
            case TEXT, LONG_TEXT, PHONE -> text(f);
            case EMAIL -> text(f).put("format", "email");
            case URL -> text(f).put("format", "uri");
            case INTEGER -> range(NODES.objectNode().put("type", "integer").put("format", "int64"), f);
            case DECIMAL, PERCENT -> range(NODES.objectNode().put("type", "number"), f);
            case CURRENCY -> money(f);
            case BOOLEAN -> NODES.objectNode().put("type", "boolean");
            case DATE -> string("date");
            case DATETIME -> string("date-time");
            case PICKLIST -> options(NODES.objectNode().put("type", "string"), f, writing);
            case MULTI_PICKLIST -> {
                ObjectNode s = NODES.objectNode().put("type", "array").put("uniqueItems", true);
                s.set("items", options(NODES.objectNode().put("type", "string"), f, writing));
                yield s;
            }
            case REFERENCE -> string("uuid").put("description", "the id of a " + f.target() + " record");
            case RELATION -> {
                ObjectNode s = NODES.objectNode().put("type", "array").put("description", "ids of " + f.target()
                        + " records");
                s.set("items", string("uuid"));
                yield s;
            }
            case ADDRESS -> address();
            case FORMULA -> NODES.objectNode();
        };
    }

    private static ObjectNode text(FieldView f) {
        ObjectNode s = NODES.objectNode().put("type", "string");
        if (f.maxLength() > 0) {
            s.put("maxLength", f.maxLength());
        }
        return s;
    }

    private static ObjectNode range(ObjectNode s, FieldView f) {
        if (f.min() != null) {
            s.put("minimum", f.min());
        }
        if (f.max() != null) {
            s.put("maximum", f.max());
        }
        return s;
    }

    private static ObjectNode money(FieldView f) {
        ObjectNode s = object("An amount with its ISO 4217 currency code");
        ObjectNode p = s.putObject("properties");
        p.set("amount", range(NODES.objectNode().put("type", "number"), f));
        p.set("currency", NODES.objectNode().put("type", "string").put("pattern", "^[A-Z]{3}$"));
        s.putArray("required").add("amount").add("currency");
        return s;
    }

    private static ObjectNode address() {
        ObjectNode s = object("A postal address");
        ObjectNode p = s.putObject("properties");
        for (String part : new String[] {"street", "city", "region", "postal_code", "country"}) {
            p.set(part, nullable(NODES.objectNode().put("type", "string")));
        }
        return s;
    }

    private static ObjectNode options(ObjectNode s, FieldView f, boolean writing) {
        ArrayNode values = s.putArray("enum");
        for (PicklistOption o : f.options()) {
            if (o.active() || !writing) {
                values.add(o.value());
            }
        }
        return s;
    }

    static ObjectNode string(String format) {
        return NODES.objectNode().put("type", "string").put("format", format);
    }

    static ObjectNode object(String description) {
        return NODES.objectNode().put("type", "object").put("description", description);
    }

    /** The schema, or null. */
    static ObjectNode nullable(ObjectNode s) {
        ObjectNode n = NODES.objectNode();
        n.putArray("anyOf").add(s).addObject().put("type", "null");
        return n;
    }
}
