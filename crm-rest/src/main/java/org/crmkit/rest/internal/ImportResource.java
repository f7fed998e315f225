package org.crmkit.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.error.ValidationException;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.jspecify.annotations.Nullable;

/**
 * Bulk import, {@code POST /objects/{type}/import}: the body's rows through {@link org.crmkit.RecordSet#importRecords},
 * resumable by import id (a second run of the same id skips the rows the first created), every row's errors at once.
 */
public final class ImportResource implements RestResource {
    private static final Set<String> KEYS = Set.of("import_id", "rows", "dry_run", "stop_after_errors");

    @Override
    public void register(RestRouter router) {
        router.post("/objects/{type}/import", this::importRows, true);
    }

    private Reply importRows(Call call) {
        Map<String, @Nullable Object> body = call.jsonObject();
        for (String key : body.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ProblemException(Problem.badRequest(key, "unknown property '" + ListQuery.abbreviate(key)
                        + "': an import takes import_id, rows, dry_run and stop_after_errors"));
            }
        }
        if (!(body.get("import_id") instanceof String importId)) {
            throw new ProblemException(Problem.badRequest("import_id", "import_id (text) is required"));
        }
        if (!(body.get("rows") instanceof List<?> list)) {
            throw new ProblemException(Problem.badRequest("rows", "rows, a list of objects, is required"));
        }
        List<Map<String, ?>> rows = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> row)) {
                throw new ProblemException(Problem.badRequest("rows[" + i + "]", "each row must be a JSON object"));
            }
            Map<String, @Nullable Object> values = new LinkedHashMap<>();
            row.forEach((k, v) -> values.put(String.valueOf(k), v));
            rows.add(values);
        }
        ImportOptions options = ImportOptions.defaults();
        Object dryRun = body.get("dry_run");
        if (dryRun != null) {
            if (!(dryRun instanceof Boolean b)) {
                throw new ProblemException(Problem.badRequest("dry_run", "dry_run must be true or false"));
            }
            options = options.dryRun(b);
        }
        Object stop = body.get("stop_after_errors");
        if (stop != null) {
            if (!(stop instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                throw new ProblemException(Problem.badRequest("stop_after_errors",
                        "stop_after_errors must be a whole number, 0 or more"));
            }
            options = options.stopAfterErrors(n.intValue());
        }
        ImportResult result;
        try {
            result = call.session().records(call.pathParam("type")).importRecords(importId, rows, options);
        } catch (ValidationException v) {
            throw new ProblemException(ProblemMapper.map(v, f -> f.equals("importId") ? "import_id" : f, 400));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("created", result.createdIds());
        out.put("skipped", result.skippedIds());
        List<Map<String, Object>> errors = new ArrayList<>();
        for (ImportResult.RowError e : result.errors()) {
            errors.add(Map.of("row", e.row(), "errors", e.errors().stream().map(fe -> new Problem.FieldProblem(
                    fe.field(), fe.code().name(), fe.message())).toList()));
        }
        out.put("errors", errors);
        out.put("stopped", result.stopped());
        return Reply.json(200, call.settings().json().write(out));
    }
}
