package org.crmkit.rest.internal;

import org.crmkit.schema.TypeView;

/**
 * The schema as the caller sees it: {@code GET /schema} and {@code GET /schema/{type}}, from
 * {@link org.crmkit.CrmSession#schema()}: the types the caller may read, the fields not hidden from it, what it may
 * write. A type the caller may not read answers exactly like one that does not exist.
 */
public final class SchemaResource implements RestResource {
    @Override
    public void register(RestRouter router) {
        router.get("/schema", this::all);
        router.get("/schema/{type}", this::one);
    }

    private Reply all(Call call) {
        return Reply.json(200, call.settings().json().write(SchemaJson.of(call.session().schema())));
    }

    private Reply one(Call call) {
        return Reply.json(200, call.settings().json().write(SchemaJson.type(visibleType(call, call.pathParam(
                "type")))));
    }

    /** The type as the caller sees it; a 404 naming no more than the caller sent when it may not read it. */
    static TypeView visibleType(Call call, String type) {
        return call.session().schema().findType(type).orElseThrow(() -> new ProblemException(Problem.notFound(
                "no object type '" + ListQuery.abbreviate(type) + "'")));
    }
}
