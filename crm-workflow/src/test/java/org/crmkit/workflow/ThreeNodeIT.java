package org.crmkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.jdbc.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, three JVMs ({@link ThreeNodeChild}) on one PostgreSQL with the same table prefix, each with its own
 * Lucene directory and two job workers, under a mixed load of creates, updates, gets and queries for
 * {@code crmkit.threeNode.seconds} (default 12) seconds, during which two fields are added (each on one node and
 * used at once by the two others), and node n2 is killed ({@code destroyForcibly}) while one of its jobs is in
 * flight (the job has done its work and is held before it can report completion), and started again. Then: no node
 * failed or read a state older than one already acknowledged, every acknowledged write is in the database and no
 * two writes were acknowledged at one version of a record, every node's index equals the database after quiet, and
 * every created record's job ran exactly once, except jobs in flight on the killed node: those ran again, as
 * attempt 2 on a live node once the lease lapsed, and the held one always among them.
 */
class ThreeNodeIT {
    private static final int SHARED = 20;
    private static final long SECONDS = Long.getLong("crmkit.threeNode.seconds", 12);

    @TempDir
    Path dir;

    private final String prefix = "tn" + ProcessHandle.current().pid() % 100_000 + "_";
    private final List<String> acks = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // against a hang only
    void threeNodesUnderLoadWithASchemaChangeAndARollingRestart() throws Exception {
        TestDatabase db = TestDatabase.POSTGRES;
        db.requireAvailable();
        db.dropTables(prefix);
        String url = db.url();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + prefix + "effects (job_key VARCHAR(200), node VARCHAR(20), attempt INT)");
        }
        Workflow parentFlow = Workflow.builder().workers(0).action("effect", ctx -> {
            throw new IllegalStateException("the parent runs no jobs");
        }).build();
        try (Crm parent = Crm.builder().storage(JdbcStorage.builder().url(url).tablePrefix(prefix).build())
                .workflow(parentFlow).build()) {
            parentFlow.rules().save(Rule.builder("effect_per_contact").on("contact", Trigger.created())
                    .then(Action.custom("effect", Map.of())).build());
            RecordSet contacts = parent.as(Principal.SYSTEM).records("contact");
            for (int i = 0; i < SHARED; i++) {
                acks.add("C " + contacts.create(Map.of("last_name", "shared")).id() + " 1");
            }
            try {
                Node n1 = start(url, "n1", "n1");
                Node n2 = start(url, "n2", "n2-1");
                Node n3 = start(url, "n3", "n3");
                for (Node n : nodes) {
                    n.await("READY", 300);
                }
                long load = Duration.ofSeconds(SECONDS).toNanos();
                long t0 = System.nanoTime();
                int checks = 0;
                int step = 0;
                long restarted = 0;
                String held = null;
                // the load runs its time, and on until all three steps are done (a JVM may start slowly here)
                while (step < 3 || System.nanoTime() - t0 < load) {
                    long elapsed = System.nanoTime() - t0;
                    if (step == 0 && elapsed > load / 5) {
                        addAndUse(n1, "added_one", n2, n3);
                        step++;
                    } else if (step == 1 && elapsed > load * 2 / 5) {
                        n2.send("hold");
                        held = n2.await("HELD", 120).split(" ")[1];
                        n2.process.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
                        n2.reader.join(10_000);
                        nodes.remove(n2);
                        n2 = start(url, "n2", "n2-2");
                        n2.await("READY", 300);
                        restarted = System.nanoTime();
                        step++;
                    } else if (step == 2 && System.nanoTime() - restarted > load / 5) {
                        addAndUse(n3, "added_two", n1, n2);
                        step++;
                    }
                    checks += crossCheck();
                    Thread.sleep(20);
                }
                for (Node n : nodes) {
                    n.send("stop");
                }
                for (Node n : nodes) {
                    n.await("STOPPED", 120);
                }
                for (Node n : nodes) {
                    n.send("converge");
                }
                for (Node n : nodes) {
                    String converged = n.await("CONVERGED", 120);
                    assertThat(converged).as(n.name + ": index caught up within 30 s of quiet").endsWith(" true");
                    System.out.printf("# three nodes: %s's index caught up %s ms after quiet%n", n.name,
                            converged.split(" ")[1]);
                }
                assertThat(checks).as("cross-node read checks made").isPositive();
                awaitJobs(parentFlow);
                for (Node n : nodes) {
                    n.send("exit");
                    n.await("EXITED", 120);
                    n.process.waitFor(60, TimeUnit.SECONDS);
                }
                assertThat(failures).as("errors or stale reads on the nodes").isEmpty();
                Map<UUID, Record> database = all(contacts);
                verifyAcknowledged(database);
                verifyJobs(url, database.keySet(), held);
                for (String node : List.of("n1", "n2", "n3")) {
                    assertThat(indexed(dir.resolve(node))).as("%s's index equals the database", node)
                            .isEqualTo(versions(database));
                }
                System.out.printf("# three nodes: %d records, %d acknowledged writes, %d cross-node reads%n",
                        database.size(), acks.size(), checks);
            } finally {
                for (Node n : nodes) {
                    n.process.destroyForcibly();
                }
            }
        } finally {
            db.dropTables(prefix);
        }
    }

    /** One child JVM: its process, the thread reading its output, and the lines it printed not yet awaited. */
    private final class Node {
        final String name;
        final String incarnation;
        final Process process;
        final Writer stdin;
        final Thread reader;
        final java.util.concurrent.BlockingQueue<String> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.concurrent.BlockingQueue<String> updates = new java.util.concurrent.LinkedBlockingQueue<>();

        Node(String name, String incarnation, Process process) {
            this.name = name;
            this.incarnation = incarnation;
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.reader = new Thread(this::read, "read-" + incarnation);
            reader.start();
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    if (line.startsWith("C ") || line.startsWith("U ") || line.startsWith("F ")) {
                        acks.add(line);
                        if (line.startsWith("U ")) {
                            updates.offer(line);
                        }
                        if (line.startsWith("F ")) {
                            replies.offer(line);
                        }
                    } else if (line.startsWith("ERROR") || line.startsWith("STALE")) {
                        failures.add(incarnation + ": " + line);
                    } else if (line.matches("[A-Z]+( .*)?")) {
                        replies.offer(line);
                    } else if (!line.isBlank()) {
                        System.out.println(incarnation + "> " + line);
                    }
                }
            } catch (IOException e) {
                // killed
            }
        }

        void send(String command) throws IOException {
            stdin.write(command + "\n");
            stdin.flush();
        }

        /** The next reply starting with {@code word}; the bound is against a hung child, not a speed goal. */
        String await(String word, int seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                String line = replies.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(word)) {
                    return line;
                }
            }
            throw new AssertionError(incarnation + " did not answer " + word + "; failures: " + failures);
        }
    }

    /** Starts a child JVM for node {@code name}; its first line is {@code READY}, awaited by the caller. */
    private Node start(String url, String name, String incarnation) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), ThreeNodeChild.class.getName(), url, prefix,
                dir.resolve(name).toAbsolutePath().toString(), incarnation, Long.toString(incarnation.hashCode()))
                .redirectErrorStream(true).start();
        Node n = new Node(name, incarnation, p);
        nodes.add(n);
        return n;
    }

    /**
     * Adds a field on one node and, once that is acknowledged, has the two others create a record naming it at
     * once: their next operation must know the field (a node with a stale schema would refuse it as unknown).
     */
    private void addAndUse(Node changer, String field, Node... others) throws Exception {
        changer.send("addfield " + field);
        changer.await("ADDED", 120);
        for (Node n : others) {
            n.send("use " + field);
        }
        for (Node n : others) {
            assertThat(n.await("F " + field, 120)).as("%s wrote the new field", n.incarnation).isNotNull();
        }
    }

    /** For each update acknowledged by one node, another node's read must see at least that version. */
    private int crossCheck() throws IOException {
        int made = 0;
        for (Node from : List.copyOf(nodes)) {
            for (String line; (line = from.updates.poll()) != null;) {
                String[] u = line.split(" ");
                Node to = nodes.get((nodes.indexOf(from) + 1) % nodes.size());
                if (to != from && made < 20) {
                    to.send("check " + u[1] + " " + u[2]);
                    made++;
                }
            }
        }
        return made;
    }

    private static void awaitJobs(Workflow flow) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < end) {
            Map<JobView.Status, Long> counts = flow.jobs().counts();
            if (counts.get(JobView.Status.READY) == 0 && counts.get(JobView.Status.RUNNING) == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("jobs not done: " + flow.jobs().counts());
    }

    private static Map<UUID, Record> all(RecordSet contacts) {
        Map<UUID, Record> all = new HashMap<>();
        Query q = Query.all().orderBy(Sort.asc("id")).limit(Query.MAX_LIMIT);
        while (true) {
            Page<Record> page = contacts.query(q);
            page.items().forEach(r -> all.put(r.id(), r));
            if (page.nextQuery().isEmpty()) {
                return all;
            }
            q = page.nextQuery().get();
        }
    }

    private static Map<UUID, Long> versions(Map<UUID, Record> records) {
        Map<UUID, Long> v = new HashMap<>();
        records.forEach((id, r) -> v.put(id, r.version()));
        return v;
    }

    /**
     * Every acknowledged create and field write is there; no two updates were acknowledged at one version of a record
     * (a lost update); each record is at least at its last acknowledged version, and holds that update's title
     * when no later (unacknowledged, on the killed node) write moved it on.
     */
    private void verifyAcknowledged(Map<UUID, Record> database) {
        Map<UUID, long[]> last = new HashMap<>();
        Map<UUID, String> lastTitle = new HashMap<>();
        Set<String> versionsAcked = new HashSet<>();
        for (String line : acks) {
            String[] a = line.split(" ");
            UUID id = UUID.fromString(a[0].equals("F") ? a[2] : a[1]);
            long version = Long.parseLong(a[0].equals("F") ? a[3] : a[2]);
            assertThat(database).as("acknowledged: %s", line).containsKey(id);
            assertThat(versionsAcked.add(id + "@" + version)).as("acknowledged twice at one version: %s", line)
                    .isTrue();
            if (a[0].equals("F")) {
                assertThat(database.get(id).getString(a[1])).as("the new field's value: %s", line).isNotNull();
            }
            if (last.computeIfAbsent(id, k -> new long[1])[0] < version) {
                last.get(id)[0] = version;
                lastTitle.put(id, a[0].equals("U") ? a[3] : null);
            }
        }
        last.forEach((id, v) -> {
            Record r = database.get(id);
            assertThat(r.version()).as("%s at its last acknowledged version or later", id).isGreaterThanOrEqualTo(v[0]);
            if (r.version() == v[0]) {
                assertThat(r.getString("title")).as("%s's title from its last acknowledged update", id)
                        .isEqualTo(lastTitle.get(id));
            }
        });
    }

    /**
     * Every record's create job ran (its key recorded), and a key ran twice only as attempts 1 and 2, the first
     * on the killed node (in flight when it died) or on a node whose lease lapsed; at most one per worker of the
     * killed node; the job {@code held} in flight when it died ran again on a live node.
     */
    private void verifyJobs(String url, Set<UUID> records, String held) throws Exception {
        Map<String, List<String>> runs = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT job_key, node, attempt FROM " + prefix
                        + "effects ORDER BY attempt")) {
            while (rs.next()) {
                runs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2) + "#"
                        + rs.getInt(3));
            }
        }
        Set<UUID> ran = new HashSet<>();
        for (String key : runs.keySet()) {
            ran.add(UUID.fromString(key.split(":")[1]));
        }
        assertThat(ran).as("records whose create job ran").isEqualTo(records);
        assertThat(runs).as("one job per created record").hasSize(records.size());
        int killedInFlight = 0;
        for (Map.Entry<String, List<String>> e : runs.entrySet()) {
            List<String> r = e.getValue();
            if (r.size() > 1) {
                assertThat(r).as("job %s ran again only as its second attempt", e.getKey()).hasSize(2);
                assertThat(r.get(0)).endsWith("#1");
                assertThat(r.get(1)).endsWith("#2");
                if (r.get(0).startsWith("n2-1#")) {
                    killedInFlight++;
                }
            }
        }
        assertThat(runs.get(held)).as("the job in flight on the killed node, then run again elsewhere")
                .hasSize(2).first().asString().startsWith("n2-1#1");
        assertThat(runs.get(held).get(1)).doesNotStartWith("n2-1#").endsWith("#2");
        assertThat(killedInFlight).as("jobs run again after the kill: at most the killed node's workers' jobs")
                .isBetween(1, ThreeNodeChild.WORKERS);
        System.out.printf("# three nodes: %d jobs, %d run again (%d in flight on the killed node)%n", runs.size(),
                runs.values().stream().filter(l -> l.size() > 1).count(), killedInFlight);
    }

    /** The contact ids and versions in one node's index directory. */
    private static Map<UUID, Long> indexed(Path index) throws IOException {
        Map<UUID, Long> indexed = new HashMap<>();
        try (FSDirectory d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                StoredFields stored = leaf.reader().storedFields();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    var document = stored.document(doc);
                    if ("contact".equals(document.get("_type"))) {
                        UUID id = UUID.fromString(document.get("_id"));
                        assertThat(indexed.put(id, document.getField("_version").numericValue().longValue()))
                                .as("%s indexed twice in %s", id, index).isNull();
                    }
                }
            }
        }
        return indexed;
    }
}
