package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.Crm;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timelines, aggregates and search over HTTP, within the caller's access. */
class ReadingsTest {
    private final RestFixture f = new RestFixture(b -> {},
            Crm.builder().storage(InMemoryStorage.create()).search(LuceneSearch.inMemory()));
    private final String ada = f.token("ada", "admin");

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aTimelineListsTheRecordsChangesInPages() {
        String id = f.create(ada, "contact", "{\"last_name\":\"Hopper\"}");
        f.patch(ada, "/objects/contact/" + id, "{\"title\":\"Captain\"}", "If-Match", "\"1\"");
        f.patch(ada, "/objects/contact/" + id, "{\"title\":\"Admiral\"}", "If-Match", "\"2\"");
        RestFixture.Res all = f.get(ada, "/objects/contact/" + id + "/timeline");
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(versions(all.body())).containsExactly(1L, 2L, 3L);
        assertThat(all.body().get("entries").get(0).get("operation").asText()).isEqualTo("create");
        JsonNode last = all.body().get("entries").get(2);
        assertThat(last.get("principal").asText()).isEqualTo("ada");
        assertThat(last.get("changes").get(0).get("field").asText()).isEqualTo("title");
        assertThat(last.get("changes").get(0).get("old").asText()).isEqualTo("Captain");
        assertThat(last.get("changes").get(0).get("new").asText()).isEqualTo("Admiral");

        RestFixture.Res first = f.get(ada, "/objects/contact/" + id + "/timeline?order=desc&limit=2");
        assertThat(versions(first.body())).containsExactly(3L, 2L);
        assertThat(first.body().get("has_more").asBoolean()).isTrue();
        String cursor = java.net.URLEncoder.encode(first.body().get("next_cursor").asText(),
                java.nio.charset.StandardCharsets.UTF_8);
        RestFixture.Res next = f.get(ada, "/objects/contact/" + id + "/timeline?order=desc&limit=2&cursor=" + cursor);
        assertThat(versions(next.body())).containsExactly(1L);

        assertThat(RecordsContractTest.field(f.get(ada, "/objects/contact/" + id + "/timeline?limit=5000")
                .problem(400))).isEqualTo("limit");
        assertThat(RecordsContractTest.field(f.get(ada, "/objects/contact/" + id + "/timeline?order=up")
                .problem(400))).isEqualTo("order");
    }

    @Test
    void timelinesKeepHiddenFieldsAndOtherUsersRecordsOut() {
        String id = f.create(ada, "contact", "{\"last_name\":\"Lovelace\",\"email\":\"secret@example.com\"}");
        f.patch(ada, "/objects/contact/" + id, "{\"email\":\"other@example.com\",\"title\":\"Countess\"}",
                "If-Match", "\"1\"");
        RestFixture.Res seen = f.get(f.token("sam", "support"), "/objects/contact/" + id + "/timeline");
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.raw().body()).contains("Countess").doesNotContain("example.com").doesNotContain("email");

        String bob = f.token("bob", "sales_rep");
        String missing = UUID.randomUUID().toString();
        RestFixture.Res theirs = f.get(bob, "/objects/contact/" + id + "/timeline").problem(404);
        RestFixture.Res none = f.get(bob, "/objects/contact/" + missing + "/timeline").problem(404);
        assertThat(theirs.raw().body().replace(id, "<id>")).isEqualTo(none.raw().body().replace(missing, "<id>"));
    }

    @Test
    void aggregatesGroupFilterAndStayWithinScope() {
        String alice = f.token("alice", "sales_rep");
        for (String body : List.of("{\"name\":\"a\",\"budget\":10}", "{\"name\":\"a\",\"budget\":30}",
                "{\"name\":\"b\",\"budget\":5}")) {
            f.create(alice, "project", body);
        }
        f.create(f.token("bob", "sales_rep"), "project", "{\"name\":\"a\",\"budget\":1000}");
        RestFixture.Res r = f.get(alice, "/objects/project/aggregate?group_by=name&metrics=count,sum(budget),"
                + "max(budget)");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode rows = r.body().get("rows");
        assertThat(rows).hasSize(2);
        JsonNode a = rows.get(0).get("group").get("name").asText().equals("a") ? rows.get(0) : rows.get(1);
        assertThat(a.get("count").asLong()).isEqualTo(2);
        assertThat(a.get("metrics").get("sum(budget)").decimalValue()).isEqualByComparingTo("40");
        assertThat(a.get("metrics").get("max(budget)").decimalValue()).isEqualByComparingTo("30");
        // the admin sees bob's too
        RestFixture.Res total = f.get(ada, "/objects/project/aggregate?metrics=sum(budget)&filter[name]=a");
        assertThat(total.body().get("rows").get(0).get("metrics").get("sum(budget)").decimalValue())
                .isEqualByComparingTo("1040");

        assertThat(RecordsContractTest.field(f.get(ada, "/objects/project/aggregate?metrics=median(budget)")
                .problem(400))).isEqualTo("metrics");
        assertThat(RecordsContractTest.field(f.get(ada, "/objects/project/aggregate?group_by=nope").problem(400)))
                .isEqualTo("group_by");
        assertThat(RecordsContractTest.field(f.get(ada, "/objects/project/aggregate?sort=name").problem(400)))
                .isEqualTo("sort");
        // a hidden field is grouped like one that does not exist
        String sam = f.token("sam", "support");
        assertThat(f.get(sam, "/objects/contact/aggregate?group_by=email").problem(400).raw().body()
                .replace("email", "<f>")).isEqualTo(f.get(sam, "/objects/contact/aggregate?group_by=zzzzz")
                        .problem(400).raw().body().replace("zzzzz", "<f>"));
    }

    @Test
    void searchIsTypoTolerantAndWithinAccess() {
        f.create(ada, "contact", "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\"}");
        String alice = f.token("alice", "sales_rep");
        f.create(alice, "contact", "{\"first_name\":\"Alan\",\"last_name\":\"Turing\"}");
        JsonNode hits = await(() -> f.get(ada, "/search?q=lovlace").body().get("hits"), h -> h.size() == 1);
        assertThat(hits.get(0).get("type").asText()).isEqualTo("contact");
        assertThat(hits.get(0).get("title").asText()).contains("Lovelace");
        await(() -> f.get(ada, "/search?q=turing").body().get("hits"), h -> h.size() == 1);
        // bob sees neither (both belong to others)
        assertThat(f.get(f.token("bob", "sales_rep"), "/search?q=turing").body().get("hits")).isEmpty();
        assertThat(f.get(f.token("bob", "sales_rep"), "/search?q=lovlace").body().get("hits")).isEmpty();
        assertThat(f.get(alice, "/search?q=turing&types=contact").body().get("hits")).hasSize(1);

        assertThat(RecordsContractTest.field(f.get(ada, "/search").problem(400))).isEqualTo("q");
        assertThat(RecordsContractTest.field(f.get(ada, "/search?q=" + "x".repeat(201)).problem(400))).isEqualTo("q");
        assertThat(RecordsContractTest.field(f.get(ada, "/search?q=a&limit=101").problem(400))).isEqualTo("limit");
    }

    private static JsonNode await(java.util.function.Supplier<JsonNode> read,
            java.util.function.Predicate<JsonNode> done) {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode last = read.get();
        while (!done.test(last) && Instant.now().isBefore(until)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = read.get();
        }
        assertThat(done.test(last)).as(last.toString()).isTrue();
        return last;
    }

    private static List<Long> versions(JsonNode page) {
        List<Long> out = new ArrayList<>();
        page.get("entries").forEach(e -> out.add(e.get("version").asLong()));
        return out;
    }
}
