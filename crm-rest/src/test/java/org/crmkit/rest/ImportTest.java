package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.crmkit.query.Filter;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bulk import over HTTP: row errors at once, resumable by import id, dry runs, bad bodies refused. */
class ImportTest {
    private final RestFixture f = new RestFixture();
    private final String ada = f.token("ada", "admin");

    @AfterEach
    void close() {
        f.close();
    }

    private long projects() {
        return f.crm.as(Principal.SYSTEM).records("project").count(Filter.ALL);
    }

    @Test
    void rowsAreCreatedBadRowsReportedAndARerunSkipsWhatWasCreated() {
        String body = "{\"import_id\":\"batch-1\",\"rows\":[{\"name\":\"a\",\"budget\":1},{\"budget\":\"x\"},"
                + "{\"name\":\"c\"}]}";
        RestFixture.Res r = f.post(ada, "/objects/project/import", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode b = r.body();
        assertThat(b.get("created").has("1")).isTrue();
        assertThat(b.get("created").has("3")).isTrue();
        assertThat(b.get("errors")).hasSize(1);
        assertThat(b.get("errors").get(0).get("row").asLong()).isEqualTo(2);
        assertThat(b.get("errors").get(0).get("errors")).hasSizeGreaterThanOrEqualTo(2); // name required, budget type
        assertThat(projects()).isEqualTo(2);

        RestFixture.Res again = f.post(ada, "/objects/project/import", body);
        assertThat(again.body().get("skipped").get("1").asText()).isEqualTo(b.get("created").get("1").asText());
        assertThat(projects()).isEqualTo(2);
    }

    @Test
    void aDryRunWritesNothing() {
        RestFixture.Res r = f.post(ada, "/objects/project/import",
                "{\"import_id\":\"dry\",\"dry_run\":true,\"rows\":[{\"name\":\"a\"}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("created")).hasSize(1);
        assertThat(projects()).isZero();
    }

    @Test
    void badImportBodiesAre400NamingTheProperty() {
        assertThat(RecordsContractTest.field(f.post(ada, "/objects/project/import", "{\"rows\":[]}").problem(400)))
                .isEqualTo("import_id");
        assertThat(RecordsContractTest.field(f.post(ada, "/objects/project/import", "{\"import_id\":\"x\"}")
                .problem(400))).isEqualTo("rows");
        assertThat(RecordsContractTest.field(f.post(ada, "/objects/project/import",
                "{\"import_id\":\"x\",\"rows\":[{\"name\":\"a\"},5]}").problem(400))).isEqualTo("rows[1]");
        assertThat(RecordsContractTest.field(f.post(ada, "/objects/project/import",
                "{\"import_id\":\"x\",\"rows\":[],\"owner\":\"bob\"}").problem(400))).isEqualTo("owner");
        assertThat(RecordsContractTest.field(f.post(ada, "/objects/project/import",
                "{\"import_id\":\"x\",\"rows\":[],\"dry_run\":\"yes\"}").problem(400))).isEqualTo("dry_run");
        assertThat(projects()).isZero();
    }

    @Test
    void importRowsGetTheSameAccessChecksAsCreates() {
        RestFixture.Res r = f.post(f.token("alice", "sales_rep"), "/objects/project/import",
                "{\"import_id\":\"mass\",\"rows\":[{\"name\":\"a\",\"owner\":\"bob\"},{\"name\":\"b\",\"version\":7}]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("errors")).hasSize(2);
        assertThat(r.body().get("errors").get(0).get("errors").get(0).get("field").asText()).isEqualTo("owner");
        assertThat(r.body().get("errors").get(1).get("errors").get(0).get("field").asText()).isEqualTo("version");
        assertThat(projects()).isZero();
        f.post(f.token("sam", "support"), "/objects/deal/import", "{\"import_id\":\"x\",\"rows\":[{\"name\":\"d\"}]}")
                .problem(403);
    }
}
