package org.crmkit.rest.internal;

import static org.crmkit.rest.internal.OpenApiSchemas.NODES;
import static org.crmkit.rest.internal.OpenApiSchemas.nullable;
import static org.crmkit.rest.internal.OpenApiSchemas.object;
import static org.crmkit.rest.internal.OpenApiSchemas.refTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.crmkit.schema.SchemaView;
import org.crmkit.schema.TypeView;

/**
 * The OpenAPI 3.1 document of crm-rest as one caller may use it, built from the caller's view of the live schema at
 * each request: a path per readable type and operation its roles allow, request and response schemas from the
 * type's visible fields ({@link OpenApiSchemas}), the shared resources ({@link OpenApiPaths}), problem responses,
 * the bearer scheme and the concurrency headers. A field or type hidden from the caller is in no part of it.
 */
final class OpenApiDocument {
    /** The problem statuses every operation may answer, and what they mean. */
    private static final String[][] PROBLEMS = {{"400", "A malformed request or query parameter"},
            {"401", "No bearer token, or one that is not accepted"},
            {"403", "The caller's roles do not allow the operation"},
            {"404", "No such resource, or one outside the caller's access"},
            {"409", "A conflict: a duplicate, a concurrent change, an Idempotency-Key in use"},
            {"412", "If-Match names a version that is no longer current"},
            {"413", "The body is larger than the server accepts"},
            {"415", "The body is not JSON"},
            {"422", "Refused by validation; every field error at once"},
            {"428", "If-Match is missing"},
            {"429", "The caller's rate limit is reached; see Retry-After"},
            {"500", "An unplanned failure, logged under the problem id the body carries"},
            {"503", "Unavailable for a while; see Retry-After"}};

    private OpenApiDocument() {}

    /**
     * The document.
     *
     * @param view          the caller's view of the schema
     * @param serverUrl     where the API is served ({@code /} standalone, the mount prefix otherwise)
     * @param schemaManager whether the caller may change the schema (the schema-change paths are described)
     * @param reportManager whether the caller may save and delete reports (those paths are described)
     */
    static ObjectNode of(SchemaView view, String serverUrl, boolean schemaManager, boolean reportManager) {
        ObjectNode doc = NODES.objectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "CRMKit REST API");
        info.put("version", "schema-" + view.version());
        info.put("description", "The records of every object type of the live schema, as the calling principal may "
                + "use them. Generated for each caller from the schema it may see.");
        doc.putArray("servers").addObject().put("url", serverUrl);
        doc.putArray("security").addObject().putArray("bearer");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        for (TypeView t : view.types()) {
            OpenApiSchemas.addType(schemas, t);
            OpenApiPaths.addType(paths, t);
        }
        OpenApiPaths.addShared(paths, view, schemaManager);
        OpenApiReportPaths.add(paths, reportManager);
        addCommonSchemas(schemas);
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("bearerFormat", "JWT");
        addParameters(components.putObject("parameters"));
        addHeaders(components.putObject("headers"));
        ObjectNode responses = components.putObject("responses");
        for (String[] p : PROBLEMS) {
            ObjectNode r = responses.putObject("Problem" + p[0]).put("description", p[1]);
            r.putObject("content").putObject(RestRouter.PROBLEM_JSON).set("schema", refTo("Problem"));
            if (p[0].equals("429") || p[0].equals("503")) {
                r.putObject("headers").set("Retry-After", NODES.objectNode().put("$ref",
                        "#/components/headers/Retry-After"));
            }
        }
        return doc;
    }

    /** The problem responses an operation may answer (401, 403, 404, 429, 500, 503 always, plus {@code more}). */
    static void problems(ObjectNode responses, String... more) {
        for (String status : more) {
            responses.putObject(status).put("$ref", "#/components/responses/Problem" + status);
        }
        for (String status : new String[] {"401", "403", "404", "429", "500", "503"}) {
            responses.putObject(status).put("$ref", "#/components/responses/Problem" + status);
        }
    }

    private static void addCommonSchemas(ObjectNode schemas) {
        ObjectNode problem = object("An RFC 9457 problem");
        ObjectNode p = problem.putObject("properties");
        p.putObject("type").put("type", "string").put("format", "uri");
        p.putObject("title").put("type", "string");
        p.putObject("status").put("type", "integer");
        p.putObject("detail").put("type", "string");
        p.putObject("code").put("type", "string").put("description", "The stable error code");
        p.putObject("instance").put("type", "string");
        p.putObject("errors").put("type", "array").set("items", refTo("FieldProblem"));
        problem.putArray("required").add("type").add("title").add("status").add("code");
        schemas.set("Problem", problem);
        ObjectNode fieldProblem = object("One field error");
        ObjectNode fp = fieldProblem.putObject("properties");
        fp.putObject("field").put("type", "string");
        fp.putObject("code").put("type", "string");
        fp.putObject("message").put("type", "string");
        fieldProblem.putArray("required").add("field").add("code").add("message");
        schemas.set("FieldProblem", fieldProblem);
        schemas.set("Object", object("A JSON object; see the operation's description"));
    }

    private static void addParameters(ObjectNode params) {
        header(params, "If-Match", true, "The record's ETag, as \"3\"; a stale one is 412, none 428");
        header(params, "If-None-Match", false, "An ETag; the current one is answered 304");
        ObjectNode key = header(params, "Idempotency-Key", false,
                "Repeats of the same request with this key get the first answer; nothing is written twice");
        ((ObjectNode) key.get("schema")).put("minLength", 1).put("maxLength", IdempotencyStore.MAX_KEY_LENGTH);
        ObjectNode id = params.putObject("id").put("name", "id").put("in", "path").put("required", true);
        id.set("schema", OpenApiSchemas.string("uuid"));
        query(params, "limit", NODES.objectNode().put("type", "integer").put("minimum", 1),
                "How many items a page holds at most");
        query(params, "cursor", NODES.objectNode().put("type", "string"), "The next_cursor of the previous page");
        ObjectNode filter = query(params, "filter", object("filter[path][op]=value"),
                "Conditions filter[path][op]=value (or filter[path]=value for eq), joined by and");
        filter.put("style", "deepObject").put("explode", true);
        ((ObjectNode) filter.get("schema")).putObject("additionalProperties");
        query(params, "where", NODES.objectNode().put("type", "string"),
                "A whole filter as JSON ({\"or\": [...]}, {\"and\": [...]}, {\"not\": ...}, {path: {op: value}})");
        query(params, "sort", NODES.objectNode().put("type", "string"), "Comma-separated paths, - for descending");
        ObjectNode deleted = NODES.objectNode().put("type", "string");
        deleted.putArray("enum").add("exclude").add("only").add("include");
        query(params, "deleted", deleted, "Whether soft-deleted records are listed");
    }

    private static ObjectNode header(ObjectNode params, String name, boolean required, String description) {
        ObjectNode h = params.putObject(name).put("name", name).put("in", "header").put("required", required)
                .put("description", description);
        h.putObject("schema").put("type", "string");
        return h;
    }

    static ObjectNode query(ObjectNode params, String name, ObjectNode schema, String description) {
        ObjectNode q = params.putObject(name).put("name", name).put("in", "query").put("description", description);
        q.set("schema", schema);
        return q;
    }

    private static void addHeaders(ObjectNode headers) {
        headers.putObject("ETag").put("description", "The record's version, quoted").putObject("schema")
                .put("type", "string");
        headers.putObject("Location").put("description", "Where the created resource is").putObject("schema")
                .put("type", "string");
        headers.putObject("Retry-After").put("description", "Seconds to wait before retrying")
                .putObject("schema").put("type", "integer");
        headers.putObject("Idempotent-Replayed").put("description", "true when the answer is a replay")
                .putObject("schema").put("type", "string");
    }

    /** A page of {@code item}s: {@code {"items", "has_more", "next_cursor"}}. */
    static ObjectNode page(ObjectNode item) {
        ObjectNode s = object("A page");
        ObjectNode p = s.putObject("properties");
        p.putObject("items").put("type", "array").set("items", item);
        p.putObject("has_more").put("type", "boolean");
        p.set("next_cursor", nullable(NODES.objectNode().put("type", "string")));
        ArrayNode required = s.putArray("required");
        required.add("items").add("has_more");
        return s;
    }
}
