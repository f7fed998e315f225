package org.crmkit.rest.internal;

import org.crmkit.security.AdminPermission;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of the API as the caller may use it, generated at each request
 * from the caller's view of the live schema ({@link OpenApiDocument}), so custom types and fields appear as soon as
 * they are added, and a field hidden from the caller never does.
 */
public final class OpenApiResource implements RestResource {
    @Override
    public void register(RestRouter router) {
        String server = router.prefix().isEmpty() ? "/" : router.prefix();
        router.get("/openapi.json", call -> Reply.json(200, call.settings().json().write(OpenApiDocument.of(call
                .session().schema(), server, call.session().principal().may(AdminPermission.MANAGE_SCHEMA),
                call.session().principal().may(AdminPermission.MANAGE_REPORTS)))));
    }
}
