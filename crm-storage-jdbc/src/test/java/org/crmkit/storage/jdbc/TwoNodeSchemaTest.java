package org.crmkit.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.DataPolicy;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two JVMs on one database (issue 11, item 1): node B, in a child JVM, deletes a field, adds one and relabels one;
 * node A's next reads and writes of that type succeed with the new schema, without A changing the schema itself.
 */
class TwoNodeSchemaTest {
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
    void aNodeSeesSchemaChangesMadeByAnother(TestDatabase db) throws Exception {
        JdbcStorage storage = db.newStorage();
        try (Crm a = Crm.builder().storage(storage).build()) {
            a.schema().addObjectType(ObjectType.custom("gadget", "Gadget", Field.text("name").required(true),
                    Field.text("extra"), Field.integer("qty")));
            RecordSet gadgets = a.as(Principal.SYSTEM).records("gadget");
            Record g = gadgets.create(Map.of("name", "g1", "extra", "x", "qty", 1));
            assertThat(gadgets.get(g.id()).getString("extra")).isEqualTo("x");
            long before = a.schema().version();

            runNodeB(db.url(), storage.tablePrefix());

            Record read = gadgets.get(g.id());
            assertThat(read.has("extra")).isFalse();
            assertThat(a.schema().version()).isEqualTo(before + 3);
            assertThat(a.schema().objectType("gadget").findField("extra")).isEmpty();
            assertThat(a.schema().objectType("gadget").findField("qty").orElseThrow().label()).isEqualTo("Quantity");
            Record updated = gadgets.update(read, Map.of("qty", 2, "added", "new"));
            assertThat(updated.getString("added")).isEqualTo("new");
            Record created = gadgets.create(Map.of("name", "g2", "added", "b"));
            assertThat(gadgets.get(created.id()).getString("added")).isEqualTo("b");
            assertThat(gadgets.count(Filters.where("added").eq("new"))).isEqualTo(1);
            assertThat(gadgets.query(Filters.where("name").eq("g1")).items()).extracting(r -> r.getLong("qty"))
                    .containsExactly(2L);
        }
    }

    /** Runs {@link NodeB} in a child JVM and waits for it to finish; its output is the failure message. */
    private static void runNodeB(String url, String prefix) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NodeB.class.getName(),
                url, prefix).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (java.io.IOException e) {
                // the process died; its exit code says so
            }
        });
        reader.start();
        boolean ended = p.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        reader.join(10_000);
        assertThat(ended && p.exitValue() == 0).as("node B finished; its output:\n%s",
                out.toString(StandardCharsets.UTF_8)).isTrue();
    }

    /** Node B: opens the same tables and changes the schema of {@code gadget}. */
    public static final class NodeB {
        public static void main(String[] args) {
            try (Crm b = Crm.builder().storage(JdbcStorage.builder().url(args[0]).tablePrefix(args[1]).build())
                    .build()) {
                b.schema().deleteField("gadget", "extra", DataPolicy.DISCARD_DATA);
                b.schema().addField("gadget", Field.text("added"));
                b.schema().relabelField("gadget", "qty", "Quantity");
            }
        }
    }
}
