package org.crmkit.rest.internal;

import org.crmkit.schema.FieldView;
import org.crmkit.schema.TypeView;

/**
 * The schema as the caller sees it: {@code GET /schema}, {@code GET /schema/{type}} and
 * {@code GET /schema/{type}/fields/{field}}, from
 * {@link org.crmkit.CrmSession#schema()}: the types the caller may read, the fields not hidden from it, what it may
 * write. A type the caller may not read answers exactly like one that does not exist, and so does a field hidden from
 * it.
 */
public final class SchemaResource implements RestResource {
    @Override
    public void register(RestRouter router) {
        router.get("/schema", this::all);
        router.get("/schema/{type}", this::one);
        router.get("/schema/{type}/fields/{field}", this::field);
    }

    private Reply all(Call call) {
        return Reply.json(200, call.settings().json().write(SchemaJson.of(call.session().schema())));
    }

    private Reply one(Call call) {
        return Reply.json(200, call.settings().json().write(SchemaJson.type(visibleType(call, call.pathParam(
                "type")))));
    }

    private Reply field(Call call) {
        return Reply.json(200, call.settings().json().write(SchemaJson.field(visibleField(call, call.pathParam(
                "type"), call.pathParam("field")))));
    }

    /** The type as the caller sees it; a 404 naming no more than the caller sent when it may not read it. */
    static TypeView visibleType(Call call, String type) {
        return call.session().schema().findType(type).orElseThrow(() -> new ProblemException(Problem.notFound(
                "no object type '" + ListQuery.abbreviate(type) + "'")));
    }

    /** The field as the caller sees it; a field hidden from the caller answers like one that does not exist. */
    static FieldView visibleField(Call call, String type, String field) {
        return visibleType(call, type).findField(field).orElseThrow(() -> new ProblemException(Problem.notFound(
                ListQuery.abbreviate(type) + " has no field '" + ListQuery.abbreviate(field) + "'")));
    }
}
