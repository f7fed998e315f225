package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.crmkit.CrmSession;
import org.crmkit.record.Money;
import org.crmkit.report.ReportTable;
import org.crmkit.report.export.ReportExport;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /reports}: saved reports (list, read, save, delete, run), ad hoc runs and the standard reports, each within
 * the caller's access: a rep's result equals the same report run through the Java API as that rep, and a field hidden
 * from the caller is refused exactly as a field that does not exist.
 */
class ReportsTest {
    private static final String BUDGET = "{\"type\":\"project\",\"label\":\"Budget by name\","
            + "\"where\":{\"budget\":{\"gte\":1}},\"group_by\":[\"name\"],\"metrics\":[\"count\",\"sum(budget)\"]}";

    private final RestFixture f = new RestFixture();
    private final String ada = f.token("ada", "admin");
    private final String alice = f.token("alice", "sales_rep");
    private final String ann = f.token("ann", "analyst");

    @AfterEach
    void close() {
        f.close();
    }

    private void projects() {
        for (String body : List.of("{\"name\":\"a\",\"budget\":10}", "{\"name\":\"a\",\"budget\":30}",
                "{\"name\":\"b\",\"budget\":5}")) {
            f.create(alice, "project", body);
        }
        f.create(f.token("bob", "sales_rep"), "project", "{\"name\":\"a\",\"budget\":1000}");
        String c = f.create(ann, "project", "{\"name\":\"c\"}");
        assertThat(f.patch(ada, "/objects/project/" + c, "{\"budget\":7}", "If-Match", "\"1\"").status())
                .isEqualTo(200);
    }

    @Test
    void aManagerSavesReadsListsRunsAndDeletesAReport() {
        projects();
        RestFixture.Res created = f.put(ada, "/reports/budget_by_name", BUDGET);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.body().get("version").asLong()).isEqualTo(1);
        assertThat(created.body().at("/where/budget/gte").asLong()).isEqualTo(1);
        assertThat(f.put(ada, "/reports/budget_by_name", BUDGET).problem(428).body().get("detail").asText())
                .contains("the report's ETag");
        f.put(ada, "/reports/budget_by_name", BUDGET, "If-Match", "\"7\"").problem(412);
        RestFixture.Res again = f.put(ada, "/reports/budget_by_name", BUDGET.replace("Budget by", "Budgets by"),
                "If-Match", "\"1\"");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().get("version").asLong()).isEqualTo(2);

        RestFixture.Res got = f.get(ada, "/reports/budget_by_name");
        assertThat(got.header("ETag")).isEqualTo("\"2\"");
        JsonNode read = got.body();
        assertThat(read.get("label").asText()).isEqualTo("Budgets by name");
        assertThat(read.get("type").asText()).isEqualTo("project");
        assertThat(read.get("group_by").toString()).isEqualTo("[\"name\"]");
        assertThat(read.get("metrics").toString()).isEqualTo("[\"count\",\"sum(budget)\"]");
        assertThat(read.get("where").toString()).isEqualTo("{\"budget\":{\"gte\":1}}");
        assertThat(f.get(ada, "/reports").body().get("reports").findValuesAsText("name"))
                .containsExactly("budget_by_name");

        RestFixture.Res run = f.post(ada, "/reports/budget_by_name/run", "");
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        assertThat(run.body().get("columns").findValuesAsText("name")).containsExactly("name", "count(*)",
                "sum(budget)");
        assertThat(run.body().get("rows").toString()).isEqualTo("[[\"a\",3,1040],[\"b\",1,5],[\"c\",1,7]]");
        assertThat(run.body().get("version").asLong()).isEqualTo(2);
        assertThat(run.body().get("source").asText()).isEqualTo("live");

        assertThat(f.delete(ada, "/reports/budget_by_name").status()).isEqualTo(204);
        f.get(ada, "/reports/budget_by_name").problem(404);
        f.post(ada, "/reports/budget_by_name/run", "").problem(404);
        f.delete(ada, "/reports/budget_by_name").problem(404);
        assertThat(f.get(ada, "/reports").body().get("reports")).isEmpty();
    }

    @Test
    void aDefinitionWithADateBucketAndEveryFilterOperatorReadsBackAsItWasWritten() {
        String body = "{\"type\":\"deal\",\"label\":\"By quarter\",\"where\":{\"and\":[{\"stage\":{\"in\":"
                + "[\"proposal\",\"negotiation\"]}},{\"not\":{\"name\":{\"contains\":\"x\"}}},{\"or\":["
                + "{\"close_date\":{\"between\":[\"2026-01-01\",\"2026-12-31\"]}},{\"close_date\":{\"is_null\":true}}]}"
                + "]},\"group_by\":[{\"path\":\"close_date\",\"bucket\":\"quarter\"},\"stage\"],"
                + "\"metrics\":[\"count\",\"sum(amount)\"],\"fiscal_year_start_month\":4,\"top\":3,"
                + "\"summarised\":false}";
        RestFixture.Res saved = f.put(ada, "/reports/by_quarter", body);
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        JsonNode read = f.get(ada, "/reports/by_quarter").body();
        for (String field : List.of("where", "group_by", "metrics", "fiscal_year_start_month", "top", "summarised")) {
            assertThat(read.get(field).toString()).as(field).isEqualTo(json(body).get(field).toString());
        }
        RestFixture.Res resaved = f.put(ada, "/reports/by_quarter", read.toString(), "If-Match", "\"1\"");
        assertThat(resaved.status()).as(resaved.toString()).isEqualTo(200);
        assertThat(f.post(ada, "/reports/by_quarter/run", "").status()).isEqualTo(200);
    }

    @Test
    void onlyAReportManagerSavesOrDeletes() {
        f.put(ada, "/reports/budget_by_name", BUDGET);
        RestFixture.Res save = f.put(alice, "/reports/budget_by_name", BUDGET).problem(403);
        assertThat(save.body().get("code").asText()).isEqualTo("ACCESS_DENIED");
        f.put(alice, "/reports/mine", BUDGET).problem(403);
        f.delete(alice, "/reports/budget_by_name").problem(403);
        assertThat(f.get(ada, "/reports/budget_by_name").body().get("version").asLong()).isEqualTo(1);
        f.get(ada, "/reports/mine").problem(404);
    }

    @Test
    void badDefinitionsAreAnsweredWithEveryFieldError() {
        RestFixture.Res shape = f.put(ada, "/reports/bad", "{\"type\":5,\"group_by\":\"name\","
                + "\"metrics\":[\"median(budget)\"],\"top\":\"3\",\"where\":{\"budget\":{\"near\":1}},\"colour\":1}")
                .problem(422);
        assertThat(shape.body().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("colour", "type",
                "where", "group_by", "metrics", "top");
        RestFixture.Res unknown = f.put(ada, "/reports/bad", "{\"type\":\"project\",\"group_by\":[\"colour\"]}")
                .problem(422);
        assertThat(unknown.body().get("errors").findValuesAsText("field")).contains("colour");
        f.put(ada, "/reports/bad", "{\"type\":").problem(400);
        f.send(java.net.http.HttpRequest.newBuilder(f.uri("/reports/bad")).header("Authorization", "Bearer " + ada)
                .header("Content-Type", "text/plain").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")))
                .problem(415);
        f.put(ada, "/reports/Not-A-Name", "{\"type\":\"project\"}").problem(422);
        f.post(ada, "/reports/run", "{\"group_by\":[\"name\"]}").problem(422);
        f.get(ada, "/reports/nothing").problem(404);
        f.get(ada, "/reports?x=1").problem(400);
        f.get(alice, "/reports/budget_by_name").problem(404);
        assertThat(f.get(ada, "/reports").body().get("reports")).isEmpty();
    }

    @Test
    void aRepsResultHoldsOnlyTheirRecordsAsTheJavaApiGivesIt() throws IOException {
        projects();
        f.put(ada, "/reports/budget_by_name", BUDGET);
        JsonNode mine = f.post(alice, "/reports/budget_by_name/run", "").body();
        assertThat(mine.get("rows").toString()).isEqualTo("[[\"a\",2,40],[\"b\",1,5]]");
        ReportTable java = as("alice", Role.SALES_REP).reports().run("budget_by_name").table();
        JsonNode expected = json(export(java));
        assertThat(mine.get("rows")).isEqualTo(expected.get("rows"));
        assertThat(mine.get("columns")).isEqualTo(expected.get("columns"));
        JsonNode all = f.post(ada, "/reports/budget_by_name/run", "").body();
        assertThat(all.get("rows")).isEqualTo(json(export(as("ada", Role.ADMIN).reports().run("budget_by_name")
                .table())).get("rows")).isNotEqualTo(mine.get("rows"));

        JsonNode adHoc = f.post(alice, "/reports/run", "{\"type\":\"project\",\"metrics\":[\"sum(budget)\"]}")
                .body();
        assertThat(adHoc.get("rows").toString()).isEqualTo("[[45]]");
    }

    @Test
    void aReportOnAHiddenFieldIsNeitherListedNorReadNorRunAndIsRefusedAsAnUnknownField() {
        projects();
        f.put(ada, "/reports/budget_by_name", BUDGET);
        f.put(ada, "/reports/names", "{\"type\":\"project\",\"group_by\":[\"name\"]}");
        assertThat(f.get(ann, "/reports").body().get("reports").findValuesAsText("name")).containsExactly("names");
        RestFixture.Res hidden = f.get(ann, "/reports/budget_by_name").problem(404);
        RestFixture.Res missing = f.get(ann, "/reports/budget_by_namx").problem(404);
        assertThat(hidden.raw().body().replace("budget_by_name", "<r>"))
                .isEqualTo(missing.raw().body().replace("budget_by_namx", "<r>"));
        RestFixture.Res hiddenRun = f.post(ann, "/reports/budget_by_name/run", "").problem(404);
        assertThat(hiddenRun.raw().body()).isEqualTo(hidden.raw().body());

        JsonNode names = f.post(ann, "/reports/names/run", "").body();
        assertThat(names.get("rows").toString()).as("only ann's own project").isEqualTo("[[\"c\",1]]");

        for (String shape : List.of("{\"type\":\"project\",\"metrics\":[\"sum(%s)\"]}",
                "{\"type\":\"project\",\"group_by\":[\"%s\"]}",
                "{\"type\":\"project\",\"where\":{\"%s\":{\"gt\":1}}}")) {
            RestFixture.Res secret = f.post(ann, "/reports/run", shape.formatted("budget")).problem(422);
            RestFixture.Res none = f.post(ann, "/reports/run", shape.formatted("budgex")).problem(422);
            assertThat(secret.raw().body().replace("budget", "<f>")).as(shape)
                    .isEqualTo(none.raw().body().replace("budgex", "<f>"));
            RestFixture.Res saveSecret = f.put(ann, "/reports/mine", shape.formatted("budget")).problem(422);
            RestFixture.Res saveNone = f.put(ann, "/reports/mine", shape.formatted("budgex")).problem(422);
            assertThat(saveSecret.raw().body().replace("budget", "<f>")).as(shape)
                    .isEqualTo(saveNone.raw().body().replace("budgex", "<f>"));
        }
    }

    @Test
    void standardReportsTakeTheirParametersAndStayWithinScope() {
        CrmSession al = as("alice", Role.SALES_REP);
        al.records("deal").create(Map.of("name", "d1", "stage", "proposal", "amount", Money.of("100", "EUR")));
        as("bob", Role.SALES_REP).records("deal").create(Map.of("name", "d2", "stage", "proposal", "amount",
                Money.of("900", "EUR")));
        RestFixture.Res mine = f.get(alice, "/reports/standard/pipeline_by_stage?pipeline=sales");
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(mine.body().get("columns").findValuesAsText("name")).containsExactly("stage", "stage_label",
                "deals", "amount", "weighted_amount");
        assertThat(mine.body().get("rows")).isEqualTo(json(export(al.reports().standard().pipelineByStage("sales")))
                .get("rows"));
        assertThat(mine.raw().body()).contains("[\"proposal\",\"Proposal\",1,100.00,50.00]");
        assertThat(mine.raw().body()).doesNotContain("900");
        assertThat(f.get(ada, "/reports/standard/pipeline_by_stage?pipeline=sales").raw().body()).contains("1000");

        for (String kind : List.of("forecast?pipeline=sales&", "funnel?pipeline=sales&", "win_rate_by_owner?",
                "activities_per_rep_per_week?", "leads_by_source?")) {
            RestFixture.Res r = f.get(alice, "/reports/standard/" + kind + "from=2026-01-01&until=2027-01-01");
            assertThat(r.status()).as(kind + r).isEqualTo(200);
            assertThat(r.body().get("columns").size()).isPositive();
        }
        assertThat(RecordsContractTest.field(f.get(alice, "/reports/standard/pipeline_by_stage").problem(400)))
                .isEqualTo("pipeline");
        assertThat(RecordsContractTest.field(f.get(alice, "/reports/standard/pipeline_by_stage?pipeline=nope")
                .problem(400))).isEqualTo("pipeline");
        assertThat(RecordsContractTest.field(f.get(alice, "/reports/standard/leads_by_source?from=2026-01-01")
                .problem(400))).isEqualTo("until");
        assertThat(RecordsContractTest.field(f.get(alice,
                "/reports/standard/leads_by_source?from=2026-13-01&until=2027-01-01").problem(400))).isEqualTo("from");
        assertThat(RecordsContractTest.field(f.get(alice,
                "/reports/standard/leads_by_source?from=2026-02-01&until=2026-01-01").problem(400)))
                .isEqualTo("until");
        assertThat(RecordsContractTest.field(f.get(alice,
                "/reports/standard/leads_by_source?from=2026-01-01&until=2027-01-01&pipeline=sales").problem(400)))
                .isEqualTo("pipeline");
        f.get(alice, "/reports/standard/churn").problem(404);
    }

    private CrmSession as(String user, Role role) {
        return f.crm.as(new Principal(user, List.of(role), List.of(), false));
    }

    private static String export(ReportTable table) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportExport.json(table, out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private JsonNode json(String text) {
        try {
            return f.json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
