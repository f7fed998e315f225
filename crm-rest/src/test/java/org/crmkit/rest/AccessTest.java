package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.query.Filter;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * BOLA and BOPLA over HTTP: another user's record looks exactly like a missing one on every path; a hidden field
 * never appears in a response and is refused in a request exactly like a field that does not exist; system
 * properties cannot be mass-assigned.
 */
class AccessTest {
    private final RestFixture f = new RestFixture();
    private final String alice = f.token("alice", "sales_rep");
    private final String bob = f.token("bob", "sales_rep");
    private final String support = f.token("sam", "support");

    @AfterEach
    void close() {
        f.close();
    }

    /** The body with the record id replaced, so a missing id and an out-of-scope id can be compared. */
    private static String without(RestFixture.Res r, String id) {
        return r.raw().body().replace(id, "<id>");
    }

    @Test
    void anotherUsersRecordIsIndistinguishableFromAMissingOne() {
        String mine = f.create(alice, "contact", "{\"last_name\":\"Alice's\"}");
        String missing = UUID.randomUUID().toString();
        String[][] calls = {{"GET", ""}, {"PATCH", ""}, {"DELETE", ""}, {"POST", "/restore"}};
        for (String[] c : calls) {
            RestFixture.Res theirs = call(bob, c[0], "/objects/contact/" + mine + c[1]).problem(404);
            RestFixture.Res none = call(bob, c[0], "/objects/contact/" + missing + c[1]).problem(404);
            assertThat(without(theirs, mine)).as(c[0]).isEqualTo(without(none, missing));
            assertThat(theirs.raw().headers().map().keySet()).isEqualTo(none.raw().headers().map().keySet());
        }
        assertThat(CrmIds.of(f.get(bob, "/objects/contact").body())).doesNotContain(mine);
        assertThat(CrmIds.of(f.get(bob, "/objects/contact?filter[id]=" + mine).body())).isEmpty();
        assertThat(CrmIds.of(f.get(alice, "/objects/contact?filter[id]=" + mine).body())).containsExactly(mine);
        // untouched
        assertThat(f.get(alice, "/objects/contact/" + mine).header("ETag")).isEqualTo("\"1\"");
    }

    private RestFixture.Res call(String token, String method, String path) {
        return switch (method) {
            case "GET" -> f.get(token, path);
            case "PATCH" -> f.patch(token, path, "{\"title\":\"x\"}", "If-Match", "\"1\"");
            case "DELETE" -> f.delete(token, path, "If-Match", "\"1\"");
            default -> f.post(token, path, "{}", "If-Match", "\"1\"");
        };
    }

    @Test
    void aHiddenFieldNeverAppearsInResponses() {
        String id = f.create(f.token("ada", "admin"), "contact",
                "{\"last_name\":\"Lovelace\",\"email\":\"secret@example.com\"}");
        RestFixture.Res got = f.get(support, "/objects/contact/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().get("fields").has("email")).isFalse();
        assertThat(got.raw().body()).doesNotContain("secret@example.com").doesNotContain("email");
        RestFixture.Res list = f.get(support, "/objects/contact");
        assertThat(list.raw().body()).doesNotContain("secret@example.com").doesNotContain("email");
        RestFixture.Res updated = f.patch(support, "/objects/contact/" + id, "{\"title\":\"Countess\"}", "If-Match",
                "\"1\"");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.raw().body()).doesNotContain("secret@example.com").doesNotContain("email");
        RestFixture.Res invalid = f.post(support, "/objects/contact", "{\"title\":\"no last name\"}").problem(422);
        assertThat(invalid.raw().body()).doesNotContain("email");
    }

    @Test
    void aHiddenFieldInARequestIsAnsweredLikeAFieldThatDoesNotExist() {
        String id = f.create(f.token("ada", "admin"), "contact",
                "{\"last_name\":\"Lovelace\",\"email\":\"secret@example.com\"}");
        // writes: same status, code and message shape as an unknown name
        assertThat(shape(f.post(support, "/objects/contact", "{\"last_name\":\"x\",\"email\":\"a@b.c\"}")
                .problem(422), "email")).isEqualTo(shape(f
                        .post(support, "/objects/contact",
                                "{\"last_name\":\"x\",\"zzzzz\":\"a@b.c\"}")
                        .problem(422), "zzzzz"));
        assertThat(shape(f.patch(support, "/objects/contact/" + id, "{\"email\":\"a@b.c\"}", "If-Match", "\"1\"")
                .problem(422), "email")).isEqualTo(shape(f
                        .patch(support, "/objects/contact/" + id,
                                "{\"zzzzz\":\"a@b.c\"}", "If-Match", "\"1\"")
                        .problem(422), "zzzzz"));
        // queries: filter and sort on it like on an unknown field
        assertThat(shape(f.get(support, "/objects/contact?filter[email][eq]=secret@example.com").problem(400),
                "email")).isEqualTo(shape(
                        f.get(support, "/objects/contact?filter[zzzzz][eq]=secret@example.com")
                                .problem(400),
                        "zzzzz"));
        assertThat(shape(f.get(support, "/objects/contact?filter[email][starts_with]=s").problem(400), "email"))
                .isEqualTo(shape(f.get(support, "/objects/contact?filter[zzzzz][starts_with]=s").problem(400),
                        "zzzzz"));
        assertThat(shape(f.get(support, "/objects/contact?where=" + java.net.URLEncoder.encode(
                "{\"or\":[{\"email\":{\"eq\":\"s\"}}]}", java.nio.charset.StandardCharsets.UTF_8)).problem(400),
                "email")).isEqualTo(shape(
                        f.get(support, "/objects/contact?where=" + java.net.URLEncoder.encode(
                                "{\"or\":[{\"zzzzz\":{\"eq\":\"s\"}}]}", java.nio.charset.StandardCharsets.UTF_8))
                                .problem(400),
                        "zzzzz"));
        assertThat(shape(f.get(support, "/objects/contact?sort=email").problem(400), "email"))
                .isEqualTo(shape(f.get(support, "/objects/contact?sort=zzzzz").problem(400), "zzzzz"));
        assertThat(f.crm.as(Principal.SYSTEM).records("contact").count(Filter.ALL)).isEqualTo(1);
        assertThat(f.crm.as(Principal.SYSTEM).records("contact").get(UUID.fromString(id)).getString("email"))
                .isEqualTo("secret@example.com");
    }

    /** A problem with the field name replaced, to compare a hidden field's answer with an unknown one's. */
    private static String shape(RestFixture.Res r, String name) {
        return r.status() + " " + r.raw().body().replace(name, "<f>");
    }

    @Test
    void systemPropertiesCannotBeMassAssigned() {
        String id = f.create(alice, "contact", "{\"last_name\":\"A\"}");
        for (String property : List.of("owner", "team", "id", "version", "created_at", "created_by", "updated_at",
                "updated_by", "deleted_at")) {
            String value = property.equals("version") ? "99" : "\"2020-01-01T00:00:00Z\"";
            RestFixture.Res created = f.post(alice, "/objects/contact",
                    "{\"last_name\":\"B\",\"" + property + "\":" + value + "}").problem(422);
            assertThat(fields(created.body())).as(property).containsExactly(property);
            RestFixture.Res patched = f.patch(alice, "/objects/contact/" + id, "{\"" + property + "\":" + value + "}",
                    "If-Match", "\"1\"").problem(422);
            assertThat(fields(patched.body())).as(property).containsExactly(property);
        }
        assertThat(f.crm.as(Principal.SYSTEM).records("contact").count(Filter.ALL)).isEqualTo(1);
        RestFixture.Res after = f.get(alice, "/objects/contact/" + id);
        assertThat(after.header("ETag")).isEqualTo("\"1\"");
        assertThat(after.body().get("owner").asText()).isEqualTo("alice");
        // a role with the transfer permission may set the owner
        RestFixture.Res transferred = f.post(f.token("ada", "admin"), "/objects/contact",
                "{\"last_name\":\"C\",\"owner\":\"bob\"}");
        assertThat(transferred.status()).isEqualTo(201);
        assertThat(transferred.body().get("owner").asText()).isEqualTo("bob");
    }

    private static List<String> fields(JsonNode problem) {
        List<String> out = new ArrayList<>();
        problem.get("errors").forEach(e -> out.add(e.get("field").asText()));
        return out;
    }

    /** Ids of a list page. */
    static final class CrmIds {
        static List<String> of(JsonNode page) {
            return RecordsContractTest.ids(page);
        }
    }
}
