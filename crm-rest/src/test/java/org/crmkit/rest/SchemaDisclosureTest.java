package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * BOPLA through the schema resources: a field hidden from the caller (and a formula reading it) is in no answer of
 * {@code /schema}, {@code /schema/{type}} or {@code /openapi.json}, and a request naming it answers exactly as one
 * naming a field that does not exist; a type the caller may not read answers like a missing one.
 */
class SchemaDisclosureTest {
    private final RestFixture f = new RestFixture();
    private final String support = f.token("sam", "support");
    private final String steward = f.token("stu", "steward");

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aHiddenFieldIsInNoDocument() {
        f.crm.schema().addField("contact", Field.formula("email_domain", FieldType.TEXT,
                "email + '!'"));
        for (String path : new String[] {"/schema", "/schema/contact", "/openapi.json"}) {
            RestFixture.Res r = f.get(support, path);
            assertThat(r.status()).as(path + " " + r).isEqualTo(200);
            assertThat(r.raw().body()).as(path).doesNotContain("email").contains("last_name");
        }
        assertThat(f.get(f.token("ada", "admin"), "/schema/contact").raw().body()).contains("\"email\"",
                "email_domain");
        RestFixture.Res hidden = f.get(support, "/schema/contact/fields/email").problem(404);
        RestFixture.Res formula = f.get(support, "/schema/contact/fields/email_domain").problem(404);
        RestFixture.Res missing = f.get(support, "/schema/contact/fields/emial").problem(404);
        assertThat(hidden.raw().body().replace("email", "<f>")).isEqualTo(missing.raw().body().replace("emial",
                "<f>"));
        assertThat(formula.raw().body().replace("email_domain", "<f>")).isEqualTo(missing.raw().body().replace(
                "emial", "<f>"));
    }

    @Test
    void aTypeTheCallerMayNotReadAnswersLikeAMissingOne() {
        RestFixture.Res deal = f.get(support, "/schema/deal").problem(404);
        RestFixture.Res none = f.get(support, "/schema/dael").problem(404);
        assertThat(deal.raw().body().replace("deal", "<t>")).isEqualTo(none.raw().body().replace("dael", "<t>"));
        assertThat(f.get(support, "/schema").raw().body()).doesNotContain("\"deal\"");
        assertThat(f.get(support, "/openapi.json").raw().body()).doesNotContain("/objects/deal");
    }

    @Test
    void changingAHiddenFieldAnswersLikeChangingAMissingOne() {
        long version = f.crm.schema().version();
        for (String token : new String[] {support, steward}) {
            for (String method : new String[] {"PATCH", "DELETE"}) {
                RestFixture.Res hidden = call(token, method, "email");
                RestFixture.Res missing = call(token, method, "emial");
                assertThat(hidden.status()).isIn(403, 404);
                assertThat(hidden.raw().body().replace("email", "<f>"))
                        .isEqualTo(missing.raw().body().replace("emial", "<f>"));
                assertThat(hidden.raw().body()).doesNotContain("email");
            }
        }
        assertThat(f.crm.schema().version()).isEqualTo(version);
    }

    @Test
    void aStewardChangesOnlyTypesItSeesWhole() {
        f.post(steward, "/schema/contact/fields", "{\"name\":\"nickname\",\"type\":\"text\"}").problem(403);
        RestFixture.Res ok = f.post(steward, "/schema/project/fields", "{\"name\":\"code\",\"type\":\"text\"}");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(f.crm.schema().objectType("project").findField("code")).isPresent();
    }

    private RestFixture.Res call(String token, String method, String field) {
        String path = "/schema/contact/fields/" + field;
        return method.equals("PATCH") ? f.patch(token, path, "{\"label\":\"x\"}") : f.delete(token, path);
    }
}
