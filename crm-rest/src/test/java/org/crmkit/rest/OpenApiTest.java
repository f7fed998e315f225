package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.json}: an OpenAPI 3.1 document the swagger parser accepts without a message, generated per
 * caller from the live schema, from which a working request can be built.
 */
class OpenApiTest {
    private final RestFixture f = new RestFixture();
    private final String admin = f.token("ada", "admin");
    private final String rep = f.token("rep", "sales_rep");
    private final String support = f.token("sam", "support");

    @AfterEach
    void close() {
        f.close();
    }

    private JsonNode document(String token) {
        RestFixture.Res r = f.get(token, "/openapi.json");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        return r.body();
    }

    private static SwaggerParseResult parse(JsonNode doc) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(doc.toString(), null, options);
    }

    @Test
    void theDocumentOfEveryKindOfCallerIsValidOpenApi31() {
        f.crm.schema().addObjectType(ObjectType.custom("gadget", "Gadget", Field.text("name").required(true),
                Field.currency("price"), Field.address("site"), Field.multiPicklist("tags", "a", "b"),
                Field.relation("projects", "project"), Field.date("due"), Field.datetime("seen"),
                Field.percent("share"), Field.bool("live"), Field.url("home"), Field.phone("tel"),
                Field.longText("notes"), Field.formula("twice", FieldType.INTEGER, "size(name) * 2")));
        for (String token : List.of(admin, rep, support, f.token("stu", "steward"),
                f.token("ann", "analyst"))) {
            JsonNode doc = document(token);
            SwaggerParseResult result = parse(doc);
            assertThat(result.getMessages()).as("the document of %s", token.substring(0, 12)).isEmpty();
            assertThat(result.getOpenAPI()).isNotNull();
            assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
            assertThat(result.getOpenAPI().getComponents().getSecuritySchemes().get("bearer").getScheme())
                    .isEqualTo("bearer");
        }
    }

    @Test
    void itDescribesEveryResourceWithItsHeadersAndProblems() {
        JsonNode doc = document(admin);
        JsonNode paths = doc.get("paths");
        assertThat(iterable(paths.fieldNames())).contains("/objects/contact", "/objects/contact/{id}",
                "/objects/contact/{id}/restore", "/objects/contact/{id}/timeline", "/objects/contact/aggregate",
                "/objects/contact/import", "/search", "/changes", "/schema", "/schema/{type}", "/schema/types",
                "/schema/{type}/fields", "/schema/{type}/fields/{field}", "/openapi.json", "/reports", "/reports/run",
                "/reports/{name}", "/reports/{name}/run", "/reports/standard/{kind}");
        assertThat(paths.at("/~1reports~1standard~1{kind}/get/parameters/0/schema/enum").toString())
                .contains("pipeline_by_stage", "forecast", "funnel", "win_rate_by_owner", "leads_by_source");
        JsonNode update = paths.at("/~1objects~1contact~1{id}/patch");
        assertThat(update.get("parameters").toString()).contains("#/components/parameters/If-Match");
        assertThat(update.at("/responses/412/$ref").asText()).isEqualTo("#/components/responses/Problem412");
        assertThat(update.at("/responses/200/headers/ETag/$ref").asText()).isEqualTo("#/components/headers/ETag");
        JsonNode create = paths.at("/~1objects~1contact/post");
        assertThat(create.get("parameters").toString()).contains("#/components/parameters/Idempotency-Key");
        assertThat(create.at("/responses/422/$ref").asText()).endsWith("Problem422");
        assertThat(doc.at("/components/responses/Problem422/content").has("application/problem+json")).isTrue();
        assertThat(doc.at("/components/parameters/If-Match/required").asBoolean()).isTrue();
        assertThat(doc.at("/security/0").has("bearer")).isTrue();
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo("/");
        assertThat(doc.at("/components/schemas/lead.Record/properties/fields/properties/status/enum/0").asText())
                .isEqualTo("new");
        assertThat(doc.at("/components/schemas/deal.Record/properties/fields/properties/amount/properties/currency"
                + "/pattern").asText()).isEqualTo("^[A-Z]{3}$");
    }

    @Test
    void onlyTheOperationsTheCallerMayUseAreDescribed() {
        JsonNode reader = document(f.token("rita", "steward"));
        assertThat(reader.at("/paths/~1objects~1contact").has("get")).isTrue();
        assertThat(reader.at("/paths/~1objects~1contact").has("post")).isFalse();
        assertThat(reader.at("/paths/~1objects~1contact~1{id}").has("patch")).isFalse();
        assertThat(reader.at("/components/schemas").has("contact.Create")).isFalse();
        assertThat(reader.at("/paths").has("/schema/types")).as("a steward changes the schema").isTrue();
        assertThat(document(rep).at("/paths").has("/schema/types")).isFalse();
        assertThat(document(admin).at("/paths/~1reports~1{name}").has("put")).as("admin manages reports").isTrue();
        assertThat(document(admin).at("/paths/~1reports~1{name}").has("delete")).isTrue();
        assertThat(document(rep).at("/paths/~1reports~1{name}").has("get")).isTrue();
        assertThat(document(rep).at("/paths/~1reports~1{name}").has("put")).isFalse();
        assertThat(document(rep).at("/paths/~1reports~1{name}").has("delete")).isFalse();
    }

    @Test
    void aRequestBuiltFromTheDocumentSucceeds() {
        f.post(admin, "/schema/types", """
                {"name":"ticket","fields":[{"name":"subject","type":"text","required":true,"max_length":20},
                  {"name":"severity","type":"picklist","required":true,"options":["low","high"]},
                  {"name":"hours","type":"integer","required":true,"min":3,"max":9},
                  {"name":"note","type":"text"}]}""");
        JsonNode doc = document(rep);
        JsonNode create = doc.at("/paths/~1objects~1ticket/post");
        String ref = create.at("/requestBody/content/application~1json/schema/$ref").asText();
        JsonNode schema = doc.at(ref.substring(1));
        ObjectNode body = f.json.createObjectNode();
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(n -> required.add(n.asText()));
        assertThat(required).containsExactlyInAnyOrder("subject", "severity", "hours");
        for (String name : required) {
            JsonNode p = schema.at("/properties/" + name);
            if (p.has("enum")) {
                body.set(name, p.get("enum").get(p.get("enum").size() - 1));
            } else if (p.get("type").asText().equals("integer")) {
                body.put(name, p.get("minimum").asLong());
            } else {
                body.put(name, "x".repeat(p.get("maxLength").asInt()));
            }
        }
        String server = doc.at("/servers/0/url").asText();
        RestFixture.Res created = f.post(rep, server + "objects/ticket", body.toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode record = doc.at(create.at("/responses/201/content/application~1json/schema/$ref").asText()
                .substring(1));
        assertThat(iterable(record.at("/properties/fields/properties").fieldNames()))
                .containsAll(iterable(created.body().get("fields").fieldNames()));
        assertThat(iterable(record.get("required").elements()).stream().map(JsonNode::asText).toList())
                .allMatch(created.body()::has);
        // and what the document leaves out is refused
        body.put("hours", schema.at("/properties/hours/maximum").asLong() + 1);
        f.post(rep, server + "objects/ticket", body.toString()).problem(422);
    }

    @Test
    void aHiddenFieldIsAbsentForTheCallerItIsHiddenFromOnly() {
        assertThat(document(support).at("/components/schemas/contact.Record/properties/fields/properties")
                .has("email")).isFalse();
        assertThat(document(support).at("/components/schemas/contact.Create/properties").has("email")).isFalse();
        assertThat(document(support).toString()).doesNotContain("email");
        assertThat(document(admin).at("/components/schemas/contact.Record/properties/fields/properties/email"
                + "/format").asText()).isEqualTo("email");
        assertThat(document(admin).at("/components/schemas/contact.Create/properties").has("email")).isTrue();
    }

    @Test
    void aFieldAddedThroughTheSchemaApiAppearsAtTheNextRequest() {
        assertThat(document(rep).at("/components/schemas/project.Create/properties").has("phase")).isFalse();
        f.crm.schema().addField("project", Field.picklist("phase", "plan", "build").required(true));
        JsonNode doc = document(rep);
        assertThat(doc.at("/components/schemas/project.Create/properties/phase/enum").toString())
                .isEqualTo("[\"plan\",\"build\"]");
        assertThat(doc.at("/components/schemas/project.Create/required").toString()).contains("phase");
        assertThat(doc.at("/info/version").asText()).isEqualTo("schema-" + f.crm.schema().version());
        assertThat(parse(doc).getMessages()).isEmpty();
    }

    private static <T> List<T> iterable(Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
