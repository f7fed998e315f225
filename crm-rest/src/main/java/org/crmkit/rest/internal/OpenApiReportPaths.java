package org.crmkit.rest.internal;

import static org.crmkit.rest.internal.OpenApiPaths.body;
import static org.crmkit.rest.internal.OpenApiPaths.inline;
import static org.crmkit.rest.internal.OpenApiPaths.ok;
import static org.crmkit.rest.internal.OpenApiPaths.operation;
import static org.crmkit.rest.internal.OpenApiPaths.params;
import static org.crmkit.rest.internal.OpenApiPaths.pathParam;
import static org.crmkit.rest.internal.OpenApiSchemas.NODES;
import static org.crmkit.rest.internal.OpenApiSchemas.refTo;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The report paths of the OpenAPI document ({@link ReportsResource}): saved reports, ad hoc runs and the standard
 * reports for every caller; saving and deleting for callers with {@code MANAGE_REPORTS}.
 */
final class OpenApiReportPaths {
    private static final String DEFINITION = "{\"name\", \"version\", \"type\", \"label\", \"where\", \"group_by\", "
            + "\"metrics\", \"fiscal_year_start_month\", \"top\", \"summarised\"}";
    private static final String TABLE = "{\"name\", \"label\", \"columns\": [{\"name\", \"label\", \"role\"}], "
            + "\"rows\": [[values]]}";

    private OpenApiReportPaths() {}

    static void add(ObjectNode paths, boolean reportManager) {
        ObjectNode list = operation(paths.putObject("/reports"), "get", "reports",
                "The saved reports the caller may run", "reports");
        ok(list, "200", "{\"reports\": [" + DEFINITION + "]}", refTo("Object"));
        OpenApiDocument.problems(list.withObjectProperty("responses"), "400");

        ObjectNode adHoc = operation(paths.putObject("/reports/run"), "post", "run_report_definition",
                "Run a report definition " + DEFINITION + " without saving it", "reports");
        params(adHoc, "Idempotency-Key");
        body(adHoc, refTo("Object"));
        ok(adHoc, "200", TABLE + " with \"version\" and \"source\"", refTo("Object"));
        OpenApiDocument.problems(adHoc.withObjectProperty("responses"), "400", "413", "415", "422");

        ObjectNode onePath = paths.putObject("/reports/{name}");
        ObjectNode get = operation(onePath, "get", "report", "A saved report's definition", "reports");
        pathParam(get, "name");
        ok(get, "200", DEFINITION, refTo("Object"), "ETag");
        OpenApiDocument.problems(get.withObjectProperty("responses"));
        if (reportManager) {
            ObjectNode save = operation(onePath, "put", "save_report",
                    "Save a report definition as the report's next version", "reports");
            pathParam(save, "name");
            save.withArrayProperty("parameters").addObject().put("name", "If-Match").put("in", "header")
                    .put("description", "The report's ETag, to replace it; absent for a new report")
                    .putObject("schema").put("type", "string");
            body(save, refTo("Object"));
            ok(save, "200", "The saved definition (201 when new)", refTo("Object"), "ETag");
            ok(save, "201", "The saved definition of a new report", refTo("Object"), "ETag");
            OpenApiDocument.problems(save.withObjectProperty("responses"), "400", "409", "412", "413", "415", "422",
                    "428");
            ObjectNode delete = operation(onePath, "delete", "delete_report", "Delete a saved report", "reports");
            pathParam(delete, "name");
            delete.withObjectProperty("responses").putObject("204").put("description", "Deleted");
            OpenApiDocument.problems(delete.withObjectProperty("responses"));
        }
        ObjectNode run = operation(paths.putObject("/reports/{name}/run"), "post", "run_report",
                "Run a saved report within the caller's access", "reports");
        pathParam(run, "name");
        params(run, "Idempotency-Key");
        ok(run, "200", TABLE + " with \"version\" and \"source\"", refTo("Object"));
        OpenApiDocument.problems(run.withObjectProperty("responses"));

        ObjectNode standard = operation(paths.putObject("/reports/standard/{kind}"), "get", "standard_report",
                "A standard report within the caller's access", "reports");
        ObjectNode kind = standard.withArrayProperty("parameters").addObject().put("name", "kind").put("in", "path")
                .put("required", true);
        ObjectNode kinds = kind.putObject("schema").put("type", "string");
        ReportsResource.STANDARD.forEach(kinds.putArray("enum")::add);
        inline(standard, "pipeline", NODES.objectNode().put("type", "string"),
                "The pipeline (pipeline_by_stage, forecast, funnel)");
        inline(standard, "from", NODES.objectNode().put("type", "string").put("format", "date"),
                "The first day (all but pipeline_by_stage)");
        inline(standard, "until", NODES.objectNode().put("type", "string").put("format", "date"),
                "The day after the last one");
        ok(standard, "200", TABLE, refTo("Object"));
        OpenApiDocument.problems(standard.withObjectProperty("responses"), "400");
    }
}
