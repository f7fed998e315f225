package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.query.Query;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The records resource over HTTP: every operation, its status, headers and body. */
class RecordsContractTest {
    private final RestFixture f = new RestFixture();
    private final String admin = f.token("ada", "admin");

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void createThenGetReturnsTheRecordWithItsVersionAsETag() {
        RestFixture.Res created = f.post(admin, "/objects/contact",
                "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.com\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.body().get("id").asText();
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.header("Location")).isEqualTo("/objects/contact/" + id);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        assertThat(created.body().get("type").asText()).isEqualTo("contact");
        assertThat(created.body().get("owner").asText()).isEqualTo("ada");
        assertThat(created.body().get("fields").get("last_name").asText()).isEqualTo("Lovelace");

        RestFixture.Res got = f.get(admin, "/objects/contact/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.header("ETag")).isEqualTo("\"1\"");
        assertThat(got.body().get("fields").get("email").asText()).isEqualTo("ada@example.com");
        // the engine holds it, as written
        assertThat(f.crm.as(Principal.SYSTEM).records("contact").get(UUID.fromString(id)).getString("first_name"))
                .isEqualTo("Ada");
    }

    @Test
    void getWithACurrentIfNoneMatchIs304() {
        String id = f.create(admin, "contact", "{\"last_name\":\"Hopper\"}");
        RestFixture.Res same = f.send(java.net.http.HttpRequest.newBuilder(f.uri("/objects/contact/" + id))
                .header("Authorization", "Bearer " + admin).header("If-None-Match", "\"1\"").GET());
        assertThat(same.status()).isEqualTo(304);
        assertThat(same.header("ETag")).isEqualTo("\"1\"");
        f.patch(admin, "/objects/contact/" + id, "{\"title\":\"x\"}", "If-Match", "\"1\"");
        RestFixture.Res changed = f.send(java.net.http.HttpRequest.newBuilder(f.uri("/objects/contact/" + id))
                .header("Authorization", "Bearer " + admin).header("If-None-Match", "\"1\"").GET());
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void patchWithIfMatchUpdatesAndRaisesTheETag() {
        String id = f.create(admin, "contact", "{\"last_name\":\"Hopper\"}");
        RestFixture.Res r = f.patch(admin, "/objects/contact/" + id, "{\"title\":\"Rear admiral\"}", "If-Match",
                "\"1\"");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("\"2\"");
        assertThat(r.body().get("fields").get("title").asText()).isEqualTo("Rear admiral");
        assertThat(r.body().get("fields").get("last_name").asText()).isEqualTo("Hopper");
    }

    @Test
    void patchWithNullClearsAField() {
        String id = f.create(admin, "contact", "{\"last_name\":\"Hopper\",\"title\":\"x\"}");
        RestFixture.Res r = f.patch(admin, "/objects/contact/" + id, "{\"title\":null}", "If-Match", "\"1\"");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("fields").has("title")).isFalse();
    }

    @Test
    void patchAndDeleteWithoutIfMatchAre428AndChangeNothing() {
        String id = f.create(admin, "contact", "{\"last_name\":\"Hopper\"}");
        RestFixture.Res refused = f.patch(admin, "/objects/contact/" + id, "{\"title\":\"x\"}").problem(428);
        assertThat(refused.body().get("detail").asText()).contains("the record's ETag");
        f.delete(admin, "/objects/contact/" + id).problem(428);
        RestFixture.Res got = f.get(admin, "/objects/contact/" + id);
        assertThat(got.header("ETag")).isEqualTo("\"1\"");
        assertThat(got.body().get("deleted_at").isNull()).isTrue();
    }

    @Test
    void staleIfMatchIs412AndChangesNothing() {
        String id = f.create(admin, "contact", "{\"last_name\":\"Hopper\"}");
        assertThat(f.patch(admin, "/objects/contact/" + id, "{\"title\":\"a\"}", "If-Match", "\"1\"").status())
                .isEqualTo(200);
        RestFixture.Res stale = f.patch(admin, "/objects/contact/" + id, "{\"title\":\"b\"}", "If-Match", "\"1\"")
                .problem(412);
        assertThat(stale.body().get("code").asText()).isEqualTo("CONFLICT");
        f.delete(admin, "/objects/contact/" + id, "If-Match", "\"1\"").problem(412);
        assertThat(f.get(admin, "/objects/contact/" + id).body().get("fields").get("title").asText()).isEqualTo("a");
    }

    @Test
    void malformedIfMatchIs400NamingTheHeader() {
        String id = f.create(admin, "contact", "{\"last_name\":\"Hopper\"}");
        RestFixture.Res r = f.patch(admin, "/objects/contact/" + id, "{\"title\":\"a\"}", "If-Match", "*")
                .problem(400);
        assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("If-Match");
    }

    @Test
    void deleteSoftDeletesAndRestoreBringsItBack() {
        String id = f.create(admin, "contact", "{\"last_name\":\"Hopper\"}");
        RestFixture.Res deleted = f.delete(admin, "/objects/contact/" + id, "If-Match", "\"1\"");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.body().get("deleted_at").isNull()).isFalse();
        String etag = deleted.header("ETag");
        assertThat(ids(f.get(admin, "/objects/contact").body())).doesNotContain(id);
        assertThat(ids(f.get(admin, "/objects/contact?deleted=only").body())).containsExactly(id);

        f.post(admin, "/objects/contact/" + id + "/restore", "{}").problem(428);
        RestFixture.Res restored = f.post(admin, "/objects/contact/" + id + "/restore", "{}", "If-Match", etag);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.body().get("deleted_at").isNull()).isTrue();
        assertThat(ids(f.get(admin, "/objects/contact").body())).containsExactly(id);
    }

    @Test
    void missingRecordAndUnknownTypeAre404() {
        RestFixture.Res r = f.get(admin, "/objects/contact/" + UUID.randomUUID()).problem(404);
        assertThat(r.body().get("code").asText()).isEqualTo("NOT_FOUND");
        f.get(admin, "/objects/contact/not-a-uuid").problem(404);
        f.get(admin, "/objects/no_such_type").problem(404);
        f.get(admin, "/nothing/here").problem(404);
    }

    @Test
    void addressesAndDecimalsComeBackAsTheyWereSent() {
        f.crm.schema().addObjectType(ObjectType.custom("site", "Site", Field.text("name").required(true),
                Field.address("location"), Field.decimal("rate"), Field.currency("fee")));
        String id = f.create(admin, "site", """
                {"name":"Depot","location":{"street":"1 Quay","city":"Bergen","postal_code":"5003"},
                 "rate":10.50,"fee":{"amount":7.10,"currency":"EUR"}}""");
        RestFixture.Res got = f.get(admin, "/objects/site/" + id);
        JsonNode fields = got.body().get("fields");
        assertThat(fields.get("location").toString())
                .isEqualTo("{\"street\":\"1 Quay\",\"city\":\"Bergen\",\"region\":null,\"postal_code\":\"5003\","
                        + "\"country\":null}");
        assertThat(got.raw().body()).contains("\"rate\":10.50").contains("\"amount\":7.10");
        // what a response says is what a filter and an update take
        assertThat(f.get(admin, "/objects/site?filter[location.postal_code]=5003").body().get("items")).hasSize(1);
    }

    @Test
    void customTypesAndTypesAddedAfterStartAreServed() {
        String id = f.create(admin, "project", "{\"name\":\"Apollo\",\"budget\":12}");
        assertThat(f.get(admin, "/objects/project/" + id).body().get("fields").get("budget").asLong()).isEqualTo(12);

        f.crm.schema().addObjectType(ObjectType.custom("vessel", "Vessel", Field.text("name").required(true)));
        f.crm.schema().addField("contact", Field.text("nickname"));
        String v = f.create(admin, "vessel", "{\"name\":\"Nautilus\"}");
        assertThat(f.get(admin, "/objects/vessel/" + v).body().get("fields").get("name").asText())
                .isEqualTo("Nautilus");
        String c = f.create(admin, "contact", "{\"last_name\":\"Nemo\",\"nickname\":\"Captain\"}");
        assertThat(f.get(admin, "/objects/contact/" + c).body().get("fields").get("nickname").asText())
                .isEqualTo("Captain");
    }

    @Test
    void validationErrorsComeBackAllAtOnceAs422() {
        RestFixture.Res r = f.post(admin, "/objects/contact",
                "{\"email\":\"not an email\",\"nope\":1,\"do_not_contact\":\"maybe\"}").problem(422);
        assertThat(r.body().get("code").asText()).isEqualTo("VALIDATION_FAILED");
        List<String> fields = new ArrayList<>();
        r.body().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("email", "nope", "do_not_contact", "last_name");
        r.body().get("errors").forEach(e -> assertThat(e.get("code").asText()).isNotBlank());
        r.body().get("errors").forEach(e -> assertThat(e.get("message").asText()).isNotBlank());
        assertThat(f.crm.as(Principal.SYSTEM).records("contact").count(org.crmkit.query.Filter.ALL)).isZero();
    }

    @Test
    void listFiltersSortsAndPagesWithCursors() {
        for (int i = 0; i < 7; i++) {
            f.create(admin, "project", "{\"name\":\"p" + i + "\",\"budget\":" + (i * 10) + "}");
        }
        RestFixture.Res first = f.get(admin, "/objects/project?filter[budget][gte]=20&sort=-budget&limit=2");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(budgets(first.body())).containsExactly(60L, 50L);
        assertThat(first.body().get("has_more").asBoolean()).isTrue();
        List<Long> all = new ArrayList<>(budgets(first.body()));
        JsonNode page = first.body();
        while (page.get("has_more").asBoolean()) {
            String cursor = java.net.URLEncoder.encode(page.get("next_cursor").asText(),
                    java.nio.charset.StandardCharsets.UTF_8);
            RestFixture.Res next = f.get(admin,
                    "/objects/project?filter[budget][gte]=20&sort=-budget&limit=2&cursor=" + cursor);
            assertThat(next.status()).as(next.toString()).isEqualTo(200);
            page = next.body();
            all.addAll(budgets(page));
        }
        assertThat(all).containsExactly(60L, 50L, 40L, 30L, 20L);
        assertThat(budgets(f.get(admin, "/objects/project?filter[name]=p3").body())).containsExactly(30L);
        assertThat(budgets(f.get(admin, "/objects/project?filter[name][in]=p1&filter[name][in]=p2&sort=budget")
                .body())).containsExactly(10L, 20L);
        assertThat(budgets(f.get(admin, "/objects/project?filter[budget][between]=10&filter[budget][between]=30"
                + "&sort=budget").body())).containsExactly(10L, 20L, 30L);
        assertThat(budgets(f.get(admin, "/objects/project?filter[name][starts_with]=P6").body()))
                .containsExactly(60L);
        assertThat(budgets(f.get(admin, "/objects/project?filter[budget][is_null]=true").body())).isEmpty();
    }

    @Test
    void whereTakesOrNotAndNesting() {
        for (int i = 0; i < 5; i++) {
            f.create(admin, "project", "{\"name\":\"p" + i + "\",\"budget\":" + (i * 10) + "}");
        }
        String where = "{\"or\":[{\"name\":{\"eq\":\"p0\"}},{\"and\":[{\"budget\":{\"gte\":20}},"
                + "{\"not\":{\"name\":{\"in\":[\"p3\"]}}}]}]}";
        RestFixture.Res r = f.get(admin, "/objects/project?sort=budget&where=" + enc(where));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(budgets(r.body())).containsExactly(0L, 20L, 40L);
        // with filter[...] too: joined with and
        assertThat(budgets(f.get(admin, "/objects/project?sort=budget&filter[budget][lt]=30&where=" + enc(where))
                .body())).containsExactly(0L, 20L);
        assertThat(budgets(f.get(admin, "/objects/project?where=" + enc("{\"budget\":{\"between\":[10,20]}}")
                + "&sort=budget").body())).containsExactly(10L, 20L);

        for (String bad : List.of("[]", "{", "{\"or\":[]}", "{\"a\":1,\"b\":2}", "{\"name\":{\"like\":\"x\"}}",
                "{\"name\":\"x\"}", "{\"NAME\":{\"eq\":1}}", "{\"nope\":{\"eq\":1}}",
                "{\"budget\":{\"between\":[1]}}", "{\"budget\":{\"gt\":{\"a\":1}}}",
                "{\"not\":".repeat(40) + "{\"name\":{\"eq\":1}}" + "}".repeat(40))) {
            assertThat(field(f.get(admin, "/objects/project?where=" + enc(bad)).problem(400))).as(bad)
                    .isEqualTo("where");
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void listQueryErrorsAre400NamingTheParameter() {
        assertThat(field(f.get(admin, "/objects/project?filter[nope][eq]=1").problem(400)))
                .isEqualTo("filter[nope][eq]");
        assertThat(field(f.get(admin, "/objects/project?filter[name][like]=1").problem(400)))
                .isEqualTo("filter[name][like]");
        assertThat(field(f.get(admin, "/objects/project?sort=nope").problem(400))).isEqualTo("sort");
        assertThat(field(f.get(admin, "/objects/project?limit=201").problem(400))).isEqualTo("limit");
        assertThat(field(f.get(admin, "/objects/project?limit=0").problem(400))).isEqualTo("limit");
        assertThat(field(f.get(admin, "/objects/project?limit=ten").problem(400))).isEqualTo("limit");
        assertThat(field(f.get(admin, "/objects/project?colour=red").problem(400))).isEqualTo("colour");
        assertThat(field(f.get(admin, "/objects/project?deleted=maybe").problem(400))).isEqualTo("deleted");
        assertThat(field(f.get(admin, "/objects/project?cursor=garbage").problem(400))).isEqualTo("cursor");
        assertThat(field(f.get(admin, "/objects/project?filter[budget][gt]=abc").problem(400)))
                .isEqualTo("filter[budget][gt]");
    }

    @Test
    void pageSizeLimitIsConfigurable() {
        try (RestFixture small = new RestFixture(b -> b.maxPageSize(5))) {
            String t = small.token("ada", "admin");
            assertThat(small.get(t, "/objects/project?limit=5").status()).isEqualTo(200);
            small.get(t, "/objects/project?limit=6").problem(400);
        }
        assertThat(Query.MAX_LIMIT).isGreaterThan(CrmRest.DEFAULT_MAX_PAGE_SIZE);
    }

    static String field(RestFixture.Res r) {
        return r.body().get("errors").get(0).get("field").asText();
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    static List<Long> budgets(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("fields").get("budget").asLong()));
        return out;
    }
}
