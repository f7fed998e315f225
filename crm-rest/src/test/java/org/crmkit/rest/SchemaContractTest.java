package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.schema.Field;
import org.crmkit.schema.PicklistOption;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The schema resources over HTTP: the caller's view, and schema changes by schema managers. */
class SchemaContractTest {
    private final RestFixture f = new RestFixture();
    private final String admin = f.token("ada", "admin");
    private final String rep = f.token("rep", "sales_rep");

    @AfterEach
    void close() {
        f.close();
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.get("name").asText()));
        return names;
    }

    private static JsonNode field(JsonNode type, String name) {
        for (JsonNode n : type.get("fields")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }

    @Test
    void getSchemaListsTheReadableTypesWithTheirFieldsAndPermissions() {
        RestFixture.Res r = f.get(rep, "/schema");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.body().get("version").asLong()).isEqualTo(f.crm.schema().version());
        assertThat(names(r.body().get("types"))).contains("contact", "deal", "project");
        JsonNode project = f.get(rep, "/schema/project").body();
        assertThat(project.get("label").asText()).isEqualTo("Project");
        assertThat(project.get("custom").asBoolean()).isTrue();
        assertThat(project.get("permissions").get("create").asBoolean()).isTrue();
        assertThat(project.get("permissions").get("transfer").asBoolean()).isFalse();
        JsonNode name = field(project, "name");
        assertThat(name.get("type").asText()).isEqualTo("text");
        assertThat(name.get("required").asBoolean()).isTrue();
        assertThat(name.get("access").asText()).isEqualTo("editable");
        assertThat(name.get("max_length").asInt()).isEqualTo(Field.DEFAULT_TEXT_LENGTH);
        JsonNode status = field(f.get(rep, "/schema/lead").body(), "status");
        assertThat(status.get("options").get(0).get("value").asText()).isEqualTo("new");
        assertThat(status.get("options").get(0).get("active").asBoolean()).isTrue();
        assertThat(field(f.get(rep, "/schema/deal").body(), "company").get("target").asText()).isEqualTo("company");
    }

    @Test
    void anUnknownTypeIs404() {
        RestFixture.Res r = f.get(rep, "/schema/nope").problem(404);
        f.get(rep, "/schema/project/fields/nope").problem(404);
        assertThat(r.body().get("code").asText()).isEqualTo("NOT_FOUND");
        f.send(java.net.http.HttpRequest.newBuilder(f.uri("/schema")).GET()).problem(401);
    }

    @Test
    void anAdminCreatesACustomTypeThatServesRecordsAtOnce() {
        RestFixture.Res created = f.post(admin, "/schema/types", """
                {"name":"ticket","label":"Ticket","fields":[
                  {"name":"subject","type":"text","required":true,"max_length":120},
                  {"name":"severity","type":"picklist","options":["low",{"value":"high","label":"High!"}]},
                  {"name":"project","type":"reference","target":"project"},
                  {"name":"hours","type":"decimal","scale":1,"min":0,"max":1000}]}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/schema/ticket");
        assertThat(field(created.body(), "severity").get("options").get(1).get("label").asText())
                .isEqualTo("High!");
        assertThat(f.crm.schema().objectType("ticket").findField("hours").orElseThrow().max())
                .isEqualByComparingTo("1000");
        String id = f.create(rep, "ticket", "{\"subject\":\"It broke\",\"severity\":\"high\"}");
        assertThat(f.get(rep, "/objects/ticket/" + id).body().get("fields").get("severity").asText())
                .isEqualTo("high");
    }

    @Test
    void anAdminAddsChangesAndDeletesAField() {
        RestFixture.Res added = f.post(admin, "/schema/project/fields",
                "{\"name\":\"phase\",\"type\":\"picklist\",\"label\":\"Phase\",\"options\":[\"plan\",\"build\"]}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.header("Location")).isEqualTo("/schema/project/fields/phase");
        assertThat(added.body().get("label").asText()).isEqualTo("Phase");
        RestFixture.Res got = f.get(rep, added.header("Location"));
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        assertThat(got.body().get("options").get(1).get("value").asText()).isEqualTo("build");
        long version = f.crm.schema().version();

        RestFixture.Res changed = f.patch(admin, "/schema/project/fields/phase", """
                {"label":"Stage of work","options":["plan","build",{"value":"ship","active":false}]}""");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.body().get("label").asText()).isEqualTo("Stage of work");
        assertThat(f.crm.schema().objectType("project").findField("phase").orElseThrow().options())
                .containsExactly(PicklistOption.of("plan"), PicklistOption.of("build"),
                        PicklistOption.of("ship").deactivated());
        assertThat(f.crm.schema().version()).isGreaterThan(version);

        RestFixture.Res deprecated = f.patch(admin, "/schema/project/fields/phase", "{\"deprecated\":true}");
        assertThat(deprecated.body().get("access").asText()).isEqualTo("read_only");

        RestFixture.Res deleted = f.delete(admin, "/schema/project/fields/phase");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(f.crm.schema().objectType("project").findField("phase")).isEmpty();
    }

    @Test
    void deletingAFieldThatHoldsDataNeedsDataDiscard() {
        f.create(admin, "project", "{\"name\":\"Apollo\",\"budget\":5}");
        RestFixture.Res refused = f.delete(admin, "/schema/project/fields/budget").problem(422);
        assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo("budget");
        assertThat(refused.body().get("errors").get(0).get("code").asText()).isEqualTo("HAS_DATA");
        assertThat(f.crm.schema().objectType("project").findField("budget")).isPresent();
        f.delete(admin, "/schema/project/fields/budget?data=maybe").problem(400);
        assertThat(f.delete(admin, "/schema/project/fields/budget?data=discard").status()).isEqualTo(204);
        assertThat(f.crm.schema().objectType("project").findField("budget")).isEmpty();
    }

    @Test
    void anAdminDeletesACustomType() {
        f.post(admin, "/schema/types", "{\"name\":\"gadget\"}");
        assertThat(f.delete(admin, "/schema/gadget").status()).isEqualTo(204);
        assertThat(f.crm.schema().findObjectType("gadget")).isEmpty();
        f.delete(admin, "/schema/contact").problem(422);
        assertThat(f.crm.schema().findObjectType("contact")).isPresent();
    }

    @Test
    void badDefinitionsAre422NamingEachPropertyAndChangeNothing() {
        long version = f.crm.schema().version();
        RestFixture.Res r = f.post(admin, "/schema/project/fields",
                "{\"type\":\"colour\",\"options\":\"red\",\"colour\":1,\"required\":\"yes\"}").problem(422);
        Map<String, String> errors = new java.util.HashMap<>();
        r.body().get("errors").forEach(e -> errors.put(e.get("field").asText(), e.get("code").asText()));
        assertThat(errors).containsEntry("name", "REQUIRED").containsEntry("type", "UNKNOWN_OPTION")
                .containsEntry("options", "WRONG_TYPE").containsEntry("colour", "UNKNOWN_FIELD")
                .containsEntry("required", "WRONG_TYPE");
        RestFixture.Res mismatch = f.post(admin, "/schema/project/fields",
                "{\"name\":\"x\",\"type\":\"text\",\"target\":\"company\"}").problem(422);
        assertThat(mismatch.body().get("errors").get(0).get("field").asText()).isEqualTo("target");
        RestFixture.Res nested = f.post(admin, "/schema/types",
                "{\"name\":\"thing\",\"fields\":[{\"name\":\"a\",\"type\":\"reference\"},7]}").problem(422);
        assertThat(nested.raw().body()).contains("fields[0].target", "fields[1]");
        // the engine's own checks: a reserved name, a duplicate, a formula that does not compile
        RestFixture.Res reserved = f.post(admin, "/schema/project/fields", "{\"name\":\"owner\",\"type\":\"text\"}")
                .problem(422);
        assertThat(reserved.body().get("errors").get(0).get("field").asText()).isEqualTo("owner");
        assertThat(reserved.body().get("errors").get(0).get("code").asText()).isEqualTo("RESERVED_NAME");
        f.post(admin, "/schema/project/fields", "{\"name\":\"budget\",\"type\":\"text\"}").problem(422);
        f.post(admin, "/schema/project/fields",
                "{\"name\":\"bad\",\"type\":\"formula\",\"result_type\":\"integer\",\"expression\":\"budget +\"}")
                .problem(422);
        f.post(admin, "/schema/project/fields", "{\"name\":").problem(400);
        f.send(java.net.http.HttpRequest.newBuilder(f.uri("/schema/project/fields"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("name=x"))).problem(415);
        assertThat(f.crm.schema().version()).isEqualTo(version);
    }

    @Test
    void aFieldChangeIsAllOrNothing() {
        f.crm.schema().addField("project", Field.picklist("phase", "plan", "build"));
        f.crm.as(Principal.SYSTEM).records("project").create(Map.of("name", "A", "phase", "build"));
        // removing an option records hold is refused by the engine after the label would have changed
        f.patch(admin, "/schema/project/fields/phase", "{\"label\":\"New\",\"options\":[\"plan\"]}").problem(422);
        assertThat(f.crm.schema().objectType("project").findField("phase").orElseThrow().label()).isEqualTo("Phase");
        // the options change is made, then the label is refused by the engine: the options go back
        RestFixture.Res undone = f.patch(admin, "/schema/project/fields/phase", "{\"options\":[\"plan\",\"build\","
                + "\"ship\"],\"label\":\"" + "x".repeat(300) + "\"}").problem(422);
        assertThat(undone.body().get("errors").get(0).get("field").asText()).isEqualTo("phase");
        assertThat(f.crm.schema().objectType("project").findField("phase").orElseThrow().options())
                .extracting(PicklistOption::value).containsExactly("plan", "build");
        f.patch(admin, "/schema/project/fields/name", "{\"options\":[\"a\"]}").problem(422);
        f.patch(admin, "/schema/project/fields/phase", "{\"deprecated\":false}").problem(422);
        f.patch(admin, "/schema/project/fields/nope", "{\"label\":\"x\"}").problem(404);
        f.patch(admin, "/schema/nope/fields/name", "{\"label\":\"x\"}").problem(404);
    }

    @Test
    void callersWithoutManageSchemaAre403AndChangeNothing() {
        long version = f.crm.schema().version();
        String[][] calls = {{"POST", "/schema/types", "{\"name\":\"thing\"}"},
                {"POST", "/schema/project/fields", "{\"name\":\"x\",\"type\":\"text\"}"},
                {"PATCH", "/schema/project/fields/name", "{\"label\":\"x\"}"},
                {"DELETE", "/schema/project/fields/budget", ""}, {"DELETE", "/schema/project", ""}};
        for (String token : List.of(rep, f.token("sam", "support"))) {
            for (String[] c : calls) {
                RestFixture.Res r = switch (c[0]) {
                    case "POST" -> f.post(token, c[1], c[2]);
                    case "PATCH" -> f.patch(token, c[1], c[2]);
                    default -> f.delete(token, c[1]);
                };
                r.problem(403);
                assertThat(r.body().get("code").asText()).isEqualTo("ACCESS_DENIED");
                assertThat(r.raw().body()).contains("MANAGE_SCHEMA");
            }
        }
        assertThat(f.crm.schema().version()).isEqualTo(version);
    }

    @Test
    void aNewFieldShowsInTheNextViewAndRecords() {
        f.post(admin, "/schema/project/fields", "{\"name\":\"code\",\"type\":\"text\",\"unique\":true}");
        JsonNode code = field(f.get(rep, "/schema/project").body(), "code");
        assertThat(code.get("unique").asBoolean()).isTrue();
        String id = f.create(rep, "project", "{\"name\":\"A\",\"code\":\"P-1\"}");
        assertThat(f.get(rep, "/objects/project/" + id).body().get("fields").get("code").asText()).isEqualTo("P-1");
    }
}
