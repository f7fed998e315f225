package org.crmkit.rest.internal;

import static org.crmkit.rest.internal.OpenApiSchemas.NODES;
import static org.crmkit.rest.internal.OpenApiSchemas.refTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.crmkit.schema.SchemaView;
import org.crmkit.schema.TypeView;
import org.crmkit.security.Permission;

/**
 * The paths of the OpenAPI document: those of each readable type (only the operations the caller's roles allow) and
 * the shared ones (search, the change stream, the schema, the document itself; schema changes for schema managers).
 */
final class OpenApiPaths {
    private OpenApiPaths() {}

    static void addType(ObjectNode paths, TypeView t) {
        String n = t.name();
        String base = "/objects/" + n;
        ObjectNode list = operation(paths.putObject(base), "get", "list_" + n, "List " + t.label() + " records", n);
        params(list, "filter", "where", "sort", "limit", "cursor", "deleted");
        ok(list, "200", "A page of records", OpenApiDocument.page(refTo(n + ".Record")));
        OpenApiDocument.problems(list.withObjectProperty("responses"), "400");
        if (t.may(Permission.CREATE)) {
            ObjectNode create = operation(paths.withObjectProperty(base), "post", "create_" + n, "Create a " + t.label()
                    + " record", n);
            params(create, "Idempotency-Key");
            body(create, refTo(n + ".Create"));
            ok(create, "201", "The created record", refTo(n + ".Record"), "ETag", "Location",
                    "Idempotent-Replayed");
            OpenApiDocument.problems(create.withObjectProperty("responses"), "400", "409", "413", "415", "422");
        }
        String one = base + "/{id}";
        ObjectNode get = operation(paths.putObject(one), "get", "get_" + n, "Get a " + t.label() + " record", n);
        params(get, "id", "If-None-Match");
        ok(get, "200", "The record", refTo(n + ".Record"), "ETag");
        get.withObjectProperty("responses").putObject("304").put("description", "Not modified");
        OpenApiDocument.problems(get.withObjectProperty("responses"));
        if (t.may(Permission.UPDATE)) {
            ObjectNode update = operation(paths.withObjectProperty(one), "patch", "update_" + n, "Update a " + t.label()
                    + " record", n);
            params(update, "id", "If-Match");
            body(update, refTo(n + ".Update"));
            ok(update, "200", "The updated record", refTo(n + ".Record"), "ETag");
            OpenApiDocument.problems(update.withObjectProperty("responses"), "400", "409", "412", "413", "415", "422",
                    "428");
        }
        if (t.may(Permission.DELETE)) {
            ObjectNode delete = operation(paths.withObjectProperty(one), "delete", "delete_" + n,
                    "Delete a " + t.label()
                            + " record (soft)",
                    n);
            params(delete, "id", "If-Match");
            ok(delete, "200", "The deleted record", refTo(n + ".Record"), "ETag");
            OpenApiDocument.problems(delete.withObjectProperty("responses"), "400", "409", "412", "428");
            ObjectNode restore = operation(paths.putObject(one + "/restore"), "post", "restore_" + n,
                    "Undo the soft delete of a " + t.label() + " record", n);
            params(restore, "id", "If-Match", "Idempotency-Key");
            ok(restore, "200", "The restored record", refTo(n + ".Record"), "ETag");
            OpenApiDocument.problems(restore.withObjectProperty("responses"), "400", "409", "412", "428");
        }
        ObjectNode timeline = operation(paths.putObject(one + "/timeline"), "get", "timeline_" + n,
                "The changes of a " + t.label() + " record", n);
        params(timeline, "id", "limit", "cursor");
        ObjectNode order = NODES.objectNode().put("type", "string");
        order.putArray("enum").add("asc").add("desc");
        inline(timeline, "order", order, "Oldest or newest first");
        inline(timeline, "related", NODES.objectNode().put("type", "boolean"), "Related records' changes too");
        ok(timeline, "200", "{\"entries\", \"has_more\", \"next_cursor\", \"related_truncated\"}", refTo("Object"));
        OpenApiDocument.problems(timeline.withObjectProperty("responses"), "400");
        ObjectNode aggregate = operation(paths.putObject(base + "/aggregate"), "get", "aggregate_" + n,
                "Grouped metrics over " + t.label() + " records", n);
        params(aggregate, "filter", "where");
        inline(aggregate, "group_by", NODES.objectNode().put("type", "string"), "Comma-separated paths");
        inline(aggregate, "metrics", NODES.objectNode().put("type", "string"),
                "count, sum(path), avg(path), min(path), max(path), count_distinct(path); count when absent");
        ok(aggregate, "200", "{\"rows\": [{\"group\", \"count\", \"metrics\"}]}", refTo("Object"));
        OpenApiDocument.problems(aggregate.withObjectProperty("responses"), "400");
        if (t.may(Permission.CREATE)) {
            ObjectNode imp = operation(paths.putObject(base + "/import"), "post", "import_" + n,
                    "Import " + t.label() + " records in bulk, resumably", n);
            body(imp, refTo("Object"));
            ok(imp, "200", "{\"created\", \"skipped\", \"errors\", \"stopped\"}", refTo("Object"));
            OpenApiDocument.problems(imp.withObjectProperty("responses"), "400", "413", "415", "422");
        }
    }

    static void addShared(ObjectNode paths, SchemaView view, boolean schemaManager) {
        ObjectNode search = operation(paths.putObject("/search"), "get", "search", "Typo-tolerant search", "search");
        inline(search, "q", NODES.objectNode().put("type", "string"), "What was typed").put("required", true);
        ObjectNode types = NODES.objectNode().put("type", "string");
        inline(search, "types", types, "Comma-separated type names: " + String.join(", ", view.types().stream()
                .map(TypeView::name).toList()));
        inline(search, "limit", NODES.objectNode().put("type", "integer").put("minimum", 1).put("maximum", 100),
                "Hits per page");
        inline(search, "offset", NODES.objectNode().put("type", "integer").put("minimum", 0), "Hits to skip");
        ok(search, "200", "{\"hits\", \"total\", \"total_exact\", \"has_more\"}", refTo("Object"));
        OpenApiDocument.problems(search.withObjectProperty("responses"), "400");

        ObjectNode changes = operation(paths.putObject("/changes"), "get", "changes",
                "Live changes as Server-Sent Events, filtered by the caller's access", "changes");
        inline(changes, "types", NODES.objectNode().put("type", "string"), "Comma-separated type names");
        inline(changes, "after", NODES.objectNode().put("type", "integer").put("minimum", 0),
                "Resume after this sequence");
        ObjectNode lastId = changes.withArrayProperty("parameters").addObject().put("name", "Last-Event-ID")
                .put("in", "header").put("description", "Resume after this sequence");
        lastId.putObject("schema").put("type", "string");
        changes.withObjectProperty("responses").putObject("200").put("description", "The event stream")
                .putObject("content")
                .putObject("text/event-stream").putObject("schema").put("type", "string");
        OpenApiDocument.problems(changes.withObjectProperty("responses"), "400");

        ObjectNode schema = operation(paths.putObject("/schema"), "get", "schema",
                "The schema as the caller sees it", "schema");
        ok(schema, "200", "{\"version\", \"types\": [...]}", refTo("Object"));
        OpenApiDocument.problems(schema.withObjectProperty("responses"));
        ObjectNode typePath = paths.putObject("/schema/{type}");
        ObjectNode schemaType = operation(typePath, "get", "schema_type", "One type as the caller sees it",
                "schema");
        typeParam(schemaType);
        ok(schemaType, "200", "{\"name\", \"label\", \"custom\", \"permissions\", \"fields\"}", refTo("Object"));
        OpenApiDocument.problems(schemaType.withObjectProperty("responses"));
        ObjectNode fieldPath = paths.putObject("/schema/{type}/fields/{field}");
        ObjectNode schemaField = operation(fieldPath, "get", "schema_field", "One field as the caller sees it",
                "schema");
        typeParam(schemaField);
        fieldParam(schemaField);
        ok(schemaField, "200", "{\"name\", \"type\", \"label\", \"access\", \"required\"...}", refTo("Object"));
        OpenApiDocument.problems(schemaField.withObjectProperty("responses"));
        ObjectNode doc = operation(paths.putObject("/openapi.json"), "get", "openapi",
                "This document, for the caller", "schema");
        ok(doc, "200", "An OpenAPI 3.1 document", refTo("Object"));
        OpenApiDocument.problems(doc.withObjectProperty("responses"));
        if (schemaManager) {
            addSchemaChanges(paths, typePath, fieldPath);
        }
    }

    private static void addSchemaChanges(ObjectNode paths, ObjectNode typePath, ObjectNode fieldPath) {
        ObjectNode create = operation(paths.putObject("/schema/types"), "post", "schema_create_type",
                "Create a custom type {\"name\", \"label\", \"fields\": [definitions]}", "schema");
        params(create, "Idempotency-Key");
        body(create, refTo("Object"));
        ok(create, "201", "The new type", refTo("Object"), "Location");
        OpenApiDocument.problems(create.withObjectProperty("responses"), "400", "409", "413", "415", "422");
        ObjectNode deleteType = operation(typePath, "delete", "schema_delete_type", "Delete a custom type",
                "schema");
        typeParam(deleteType);
        dataParam(deleteType);
        deleteType.withObjectProperty("responses").putObject("204").put("description", "Deleted");
        OpenApiDocument.problems(deleteType.withObjectProperty("responses"), "400", "409", "422");
        ObjectNode add = operation(paths.putObject("/schema/{type}/fields"), "post", "schema_add_field",
                "Add a field {\"name\", \"type\", \"label\", \"required\", \"options\", \"target\"...}", "schema");
        typeParam(add);
        params(add, "Idempotency-Key");
        body(add, refTo("Object"));
        ok(add, "201", "The new field", refTo("Object"), "Location");
        OpenApiDocument.problems(add.withObjectProperty("responses"), "400", "409", "413", "415", "422");
        ObjectNode change = operation(fieldPath, "patch", "schema_change_field",
                "Change a field's label, picklist options or deprecation", "schema");
        typeParam(change);
        fieldParam(change);
        body(change, refTo("Object"));
        ok(change, "200", "The changed field", refTo("Object"));
        OpenApiDocument.problems(change.withObjectProperty("responses"), "400", "409", "413", "415", "422");
        ObjectNode delete = operation(fieldPath, "delete", "schema_delete_field", "Delete a field", "schema");
        typeParam(delete);
        fieldParam(delete);
        dataParam(delete);
        delete.withObjectProperty("responses").putObject("204").put("description", "Deleted");
        OpenApiDocument.problems(delete.withObjectProperty("responses"), "400", "409", "422");
    }

    static ObjectNode operation(ObjectNode path, String method, String id, String summary, String tag) {
        ObjectNode op = path.putObject(method).put("operationId", id).put("summary", summary);
        op.putArray("tags").add(tag);
        op.putObject("responses");
        return op;
    }

    static void params(ObjectNode op, String... names) {
        ArrayNode params = op.withArrayProperty("parameters");
        for (String name : names) {
            params.addObject().put("$ref", "#/components/parameters/" + name);
        }
    }

    static ObjectNode inline(ObjectNode op, String name, ObjectNode schema, String description) {
        ObjectNode p = op.withArrayProperty("parameters").addObject().put("name", name).put("in", "query")
                .put("description", description);
        p.set("schema", schema);
        return p;
    }

    private static void typeParam(ObjectNode op) {
        pathParam(op, "type");
    }

    private static void fieldParam(ObjectNode op) {
        pathParam(op, "field");
    }

    static void pathParam(ObjectNode op, String name) {
        op.withArrayProperty("parameters").addObject().put("name", name).put("in", "path").put("required", true)
                .putObject("schema").put("type", "string");
    }

    private static void dataParam(ObjectNode op) {
        ObjectNode data = NODES.objectNode().put("type", "string");
        data.putArray("enum").add("refuse").add("discard");
        inline(op, "data", data, "discard: drop the data the deletion removes; refuse (default): refuse when any");
    }

    static void body(ObjectNode op, ObjectNode schema) {
        op.putObject("requestBody").put("required", true).putObject("content").putObject(RestRouter.JSON)
                .set("schema", schema);
    }

    static void ok(ObjectNode op, String status, String description, ObjectNode schema,
            String... headers) {
        ObjectNode r = op.withObjectProperty("responses").putObject(status).put("description", description);
        r.putObject("content").putObject(RestRouter.JSON).set("schema", schema);
        if (headers.length > 0) {
            ObjectNode h = r.putObject("headers");
            for (String name : headers) {
                h.putObject(name).put("$ref", "#/components/headers/" + name);
            }
        }
    }
}
