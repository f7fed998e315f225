package org.crmkit.rest.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;
import org.crmkit.report.DateRange;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportTable;
import org.crmkit.report.Reports;
import org.crmkit.report.StandardReports;
import org.jspecify.annotations.Nullable;

/**
 * Saved reports, ad hoc reports and the standard reports ({@code /reports}), all run through the caller's session, so
 * only records in their scope count and a field hidden from them is unknown. A saved report the caller could not run
 * (it names a field hidden from them, or a type they may not read) is answered exactly as a missing one: not listed,
 * 404 on read and run, so its definition never shows what the caller may not see. Saving and deleting need
 * {@code MANAGE_REPORTS}, which the engine checks (403 otherwise).
 */
public final class ReportsResource implements RestResource {
    /** The standard reports by the name of their path, {@code /reports/standard/{kind}}. */
    static final List<String> STANDARD = List.of("pipeline_by_stage", "forecast", "funnel", "win_rate_by_owner",
            "activities_per_rep_per_week", "leads_by_source");

    @Override
    public void register(RestRouter router) {
        router.get("/reports", this::list);
        router.post("/reports/run", this::runAdHoc, true);
        router.get("/reports/standard/{kind}", this::standard);
        router.get("/reports/{name}", this::get);
        router.put("/reports/{name}", this::save);
        router.delete("/reports/{name}", this::delete);
        router.post("/reports/{name}/run", this::run, true);
    }

    private Reply list(Call call) {
        ReadingsResource.only(call.queryParams());
        Reports reports = call.session().reports();
        List<Map<String, @Nullable Object>> out = reports.list().stream().filter(d -> runnable(reports, d))
                .map(ReportJson::write).toList();
        return Reply.json(200, call.settings().json().write(Map.of("reports", out)));
    }

    private Reply get(Call call) {
        ReportDefinition d = saved(call);
        return Reply.json(200, call.settings().json().write(ReportJson.write(d))).withHeader("ETag", etag(d));
    }

    /**
     * Saves the next version: a new report without {@code If-Match}, an existing one with its ETag in
     * {@code If-Match} (428 without it, 412 when another version was saved since).
     */
    private Reply save(Call call) {
        String name = call.pathParam("name");
        boolean replacing = call.header("If-Match") != null;
        long expected = replacing ? RecordsResource.ifMatch(call) : 0;
        ReportDefinition d = ReportJson.read(name, call.jsonObject()).withVersion(expected);
        ReportDefinition saved;
        try {
            saved = call.session().reports().save(d);
        } catch (CrmException c) {
            if (c.code() != ErrorCode.CONFLICT) {
                throw c;
            }
            throw new ProblemException(replacing ? Problem.of(412, "precondition-failed", "Precondition failed",
                    "the report changed since the ETag given in If-Match; fetch it again", c.code().name())
                    : Problem.preconditionRequired("report"));
        }
        return Reply.json(saved.version() == 1 ? 201 : 200, call.settings().json().write(ReportJson.write(saved)))
                .withHeader("ETag", etag(saved));
    }

    private static String etag(ReportDefinition d) {
        return "\"" + d.version() + "\"";
    }

    private Reply delete(Call call) {
        call.session().reports().delete(call.pathParam("name"));
        return new Reply(204, Map.of(), null);
    }

    private Reply run(Call call) {
        ReportDefinition d = saved(call);
        return Reply.json(200, ReportJson.result(call.settings().json(), call.session().reports().run(d)));
    }

    private Reply runAdHoc(Call call) {
        Map<String, @Nullable Object> body = call.jsonObject();
        Object name = body.get("name");
        ReportDefinition d = ReportJson.read(name instanceof String s ? s : "ad_hoc", body);
        return Reply.json(200, ReportJson.result(call.settings().json(), call.session().reports().run(d)));
    }

    /** The saved report of the path, or 404 when there is none the caller could run. */
    private static ReportDefinition saved(Call call) {
        String name = call.pathParam("name");
        Reports reports = call.session().reports();
        Optional<ReportDefinition> d = reports.find(name).filter(r -> runnable(reports, r));
        return d.orElseThrow(() -> new ProblemException(Problem.notFound("no report named '" + ListQuery.abbreviate(
                name) + "'")));
    }

    /** Whether the caller could run {@code d}, asked of the engine (which runs nothing). */
    private static boolean runnable(Reports reports, ReportDefinition d) {
        try {
            reports.validate(d);
            return true;
        } catch (ValidationException | AccessDeniedException | SchemaException e) {
            return false;
        }
    }

    private Reply standard(Call call) {
        String kind = call.pathParam("kind");
        Map<String, List<String>> params = call.queryParams();
        StandardReports reports = call.session().reports().standard();
        ReportTable table;
        try {
            table = switch (kind) {
                case "pipeline_by_stage" -> {
                    ReadingsResource.only(params, "pipeline");
                    yield reports.pipelineByStage(required(params, "pipeline"));
                }
                case "forecast" -> {
                    ReadingsResource.only(params, "pipeline", "from", "until");
                    yield reports.forecast(required(params, "pipeline"), range(params));
                }
                case "funnel" -> {
                    ReadingsResource.only(params, "pipeline", "from", "until");
                    yield reports.funnel(required(params, "pipeline"), range(params));
                }
                case "win_rate_by_owner" -> {
                    ReadingsResource.only(params, "from", "until");
                    yield reports.winRateByOwner(range(params));
                }
                case "activities_per_rep_per_week" -> {
                    ReadingsResource.only(params, "from", "until");
                    yield reports.activitiesPerRepPerWeek(range(params));
                }
                case "leads_by_source" -> {
                    ReadingsResource.only(params, "from", "until");
                    yield reports.leadsBySource(range(params));
                }
                default -> throw new ProblemException(Problem.notFound("no standard report '" + ListQuery.abbreviate(
                        kind) + "'; they are " + String.join(", ", STANDARD)));
            };
        } catch (ValidationException v) {
            throw new ProblemException(ProblemMapper.map(v, UnaryOperator.identity(), 400));
        }
        return Reply.json(200, ReportJson.table(table));
    }

    private static String required(Map<String, List<String>> params, String name) {
        String v = ReadingsResource.param(params, name);
        if (v == null || v.isBlank()) {
            throw new ProblemException(Problem.badRequest(name, name + " is required"));
        }
        return v;
    }

    private static DateRange range(Map<String, List<String>> params) {
        LocalDate from = date(params, "from");
        LocalDate until = date(params, "until");
        if (!from.isBefore(until)) {
            throw new ProblemException(Problem.badRequest("until", "until (excluded) must be after from"));
        }
        return DateRange.of(from, until);
    }

    private static LocalDate date(Map<String, List<String>> params, String name) {
        String text = required(params, name);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problem.badRequest(name, name + " must be a date, as 2026-01-31"));
        }
    }
}
