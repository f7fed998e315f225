package org.crmkit.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldView;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.Schema;
import org.crmkit.schema.TypeView;
import org.crmkit.security.AdminPermission;
import org.crmkit.security.Principal;

/**
 * Schema changes over HTTP, for callers holding {@link AdminPermission#MANAGE_SCHEMA}: custom types
 * ({@code POST /schema/types}, {@code DELETE /schema/{type}}) and fields ({@code POST /schema/{type}/fields},
 * {@code PATCH} and {@code DELETE /schema/{type}/fields/{field}}), each made through the engine's {@link Schema}
 * API, which checks it and applies it whole or not at all.
 *
 * <p>A caller changes only types whose every field it can see: the engine's refusals may name any field of the type
 * (a formula using the field being deleted, say), so a type with a field hidden from the caller is refused as a
 * whole, and a field hidden from the caller answers exactly like a field that does not exist.
 */
public final class SchemaAdminResource implements RestResource {
    private static final Set<String> TYPE_PROPERTIES = Set.of("name", "label", "fields");
    private static final Set<String> PATCH_PROPERTIES = Set.of("label", "options", "deprecated");

    @Override
    public void register(RestRouter router) {
        router.post("/schema/types", this::createType, true);
        router.delete("/schema/{type}", this::deleteType);
        router.post("/schema/{type}/fields", this::addField, true);
        router.patch("/schema/{type}/fields/{field}", this::changeField);
        router.delete("/schema/{type}/fields/{field}", this::deleteField);
    }

    private Reply createType(Call call) {
        schemaManager(call);
        Map<String, ?> body = call.jsonObject();
        List<FieldError> errors = new ArrayList<>();
        unknownProperties(body, TYPE_PROPERTIES, "an object type", errors);
        FieldDefinitions top = new FieldDefinitions("", errors);
        String name = top.text(body, "name", true);
        String label = top.text(body, "label", false);
        List<Field> fields = new ArrayList<>();
        Object rawFields = body.get("fields");
        if (rawFields != null && !(rawFields instanceof List<?>)) {
            top.error("fields", FieldErrorCode.WRONG_TYPE, "fields must be an array of field definitions");
        } else if (rawFields instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String at = "fields[" + i + "]";
                if (list.get(i) instanceof Map<?, ?> def) {
                    @SuppressWarnings("unchecked") // JSON objects are read as Map<String, Object>
                    Field f = new FieldDefinitions(at + ".", errors).field((Map<String, ?>) def);
                    if (f != null) {
                        fields.add(f);
                    }
                } else {
                    top.error(at, FieldErrorCode.WRONG_TYPE, at + " must be a field definition object");
                }
            }
        }
        refuse("schema", errors);
        String typeName = java.util.Objects.requireNonNull(name); // else refused above
        ObjectType added = schema(call).addObjectType(ObjectType.custom(typeName, label == null ? typeName : label,
                fields.toArray(Field[]::new)));
        return Reply.json(201, call.settings().json().write(SchemaJson.type(visible(call, added.name()))))
                .withHeader("Location", call.path().substring(0, call.path().length() - "/types".length()) + "/"
                        + added.name());
    }

    private Reply deleteType(Call call) {
        schemaManager(call);
        TypeView type = changeable(call);
        schema(call).deleteObjectType(type.name(), policy(call));
        return new Reply(204, Map.of(), null);
    }

    private Reply addField(Call call) {
        schemaManager(call);
        TypeView type = changeable(call);
        List<FieldError> errors = new ArrayList<>();
        Field f = new FieldDefinitions("", errors).field(call.jsonObject());
        refuse(type.name(), errors);
        schema(call).addField(type.name(), java.util.Objects.requireNonNull(f));
        return Reply.json(201, call.settings().json().write(SchemaJson.field(field(call, type.name(), f.name()))))
                .withHeader("Location", call.path() + "/" + f.name());
    }

    /**
     * Changes a field's label, picklist options or deprecation. The engine makes each a change of its own; when a
     * later one is refused, the earlier ones are undone, so that the request changes all or nothing.
     */
    private Reply changeField(Call call) {
        schemaManager(call);
        TypeView type = changeable(call);
        FieldView field = field(call, type.name(), call.pathParam("field"));
        Map<String, ?> body = call.jsonObject();
        List<FieldError> errors = new ArrayList<>();
        unknownProperties(body, PATCH_PROPERTIES, "a field change", errors);
        FieldDefinitions defs = new FieldDefinitions("", errors);
        String label = defs.text(body, "label", false);
        List<PicklistOption> options = body.containsKey("options") ? defs.options(body.get("options"), "options")
                : null;
        if (options != null && field.valueType() != org.crmkit.schema.FieldType.PICKLIST
                && field.valueType() != org.crmkit.schema.FieldType.MULTI_PICKLIST) {
            defs.error("options", FieldErrorCode.WRONG_TYPE, "options apply to picklist fields only");
        }
        Boolean deprecated = defs.bool(body, "deprecated");
        if (Boolean.FALSE.equals(deprecated)) {
            defs.error("deprecated", FieldErrorCode.OUT_OF_RANGE, "a deprecated field cannot be undeprecated");
        }
        refuse(type.name(), errors);
        Schema schema = schema(call);
        String t = type.name();
        String f = field.name();
        List<Runnable> undo = new ArrayList<>();
        try {
            if (options != null) {
                schema.setPicklistOptions(t, f, options);
                undo.add(() -> schema.setPicklistOptions(t, f, field.options()));
            }
            if (label != null) {
                schema.relabelField(t, f, label);
                undo.add(() -> schema.relabelField(t, f, field.label()));
            }
            if (Boolean.TRUE.equals(deprecated)) {
                schema.deprecateField(t, f);
            }
        } catch (RuntimeException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            throw e;
        }
        return Reply.json(200, call.settings().json().write(SchemaJson.field(field(call, t, f))));
    }

    private Reply deleteField(Call call) {
        schemaManager(call);
        TypeView type = changeable(call);
        FieldView field = field(call, type.name(), call.pathParam("field"));
        schema(call).deleteField(type.name(), field.name(), policy(call));
        return new Reply(204, Map.of(), null);
    }

    private static Schema schema(Call call) {
        return call.settings().crm().schema();
    }

    /** Refuses callers without {@link AdminPermission#MANAGE_SCHEMA}, before looking at anything else. */
    private static void schemaManager(Call call) {
        Principal p = call.session().principal();
        if (!p.may(AdminPermission.MANAGE_SCHEMA)) {
            throw new AccessDeniedException(p.id(), "schema", "change the schema (needs the "
                    + AdminPermission.MANAGE_SCHEMA + " permission)");
        }
    }

    /** The path's type, which the caller must see whole (see the class comment). */
    private static TypeView changeable(Call call) {
        TypeView view = SchemaResource.visibleType(call, call.pathParam("type"));
        int all = schema(call).objectType(view.name()).fields().size();
        if (view.fields().size() != all) {
            throw new AccessDeniedException(call.session().principal().id(), view.name(), "change the schema of "
                    + view.name() + " (some of its fields are hidden from this caller)");
        }
        return view;
    }

    private static TypeView visible(Call call, String type) {
        return SchemaResource.visibleType(call, type);
    }

    private static FieldView field(Call call, String type, String field) {
        return SchemaResource.visibleField(call, type, field);
    }

    /** {@code ?data=discard} drops the data a deletion removes; without it the deletion is refused when any. */
    private static DataPolicy policy(Call call) {
        Map<String, List<String>> params = call.queryParams();
        for (String name : params.keySet()) {
            if (!name.equals("data")) {
                throw new ProblemException(Problem.badRequest(name, "unknown parameter '" + ListQuery.abbreviate(
                        name) + "' (only data=discard|refuse)"));
            }
        }
        List<String> data = params.getOrDefault("data", List.of("refuse"));
        if (data.size() != 1 || !(data.get(0).equals("discard") || data.get(0).equals("refuse"))) {
            throw new ProblemException(Problem.badRequest("data", "data must be given once, discard or refuse"));
        }
        return data.get(0).equals("discard") ? DataPolicy.DISCARD_DATA : DataPolicy.REFUSE_IF_DATA;
    }

    private static void unknownProperties(Map<String, ?> body, Set<String> allowed, String what,
            List<FieldError> errors) {
        for (String key : body.keySet()) {
            if (!allowed.contains(key)) {
                errors.add(new FieldError(ListQuery.abbreviate(key), FieldErrorCode.UNKNOWN_FIELD, what
                        + " has no property '" + ListQuery.abbreviate(key) + "'"));
            }
        }
    }

    private static void refuse(String type, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new ValidationException(type, errors);
        }
    }
}
