package org.crmkit.workflow;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crmkit.Crm;
import org.crmkit.RecordSet;
import org.crmkit.error.ConflictException;
import org.crmkit.error.SchemaException;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.security.Principal;
import org.crmkit.storage.jdbc.JdbcStorage;

/**
 * One node of {@link ThreeNodeIT}, in its own JVM: a {@code Crm} on the shared PostgreSQL tables, its own Lucene
 * directory and a workflow with {@value #WORKERS} workers whose action {@code effect} records each execution (key,
 * node, attempt) in the table {@code <prefix>effects}. Prints {@code READY}, then runs a mixed load (creates,
 * updates, gets, queries) and prints a line for every acknowledged write once its commit has returned:
 * {@code C id version}, {@code U id version title}, {@code F field id version}. Commands on stdin, one a line:
 * {@code addfield NAME}, {@code use NAME} (create a contact naming that field), {@code check ID VERSION} (a get must
 * see at least that version), {@code stop} (end the load), {@code converge} (time the index catching up),
 * {@code exit}. A failure prints {@code ERROR} and the stack trace on one line; a read older than a version this
 * node or another already acknowledged prints {@code STALE}. Arguments: JDBC URL, table prefix, index directory,
 * node id, random seed.
 */
public final class ThreeNodeChild {
    static final int WORKERS = 2;

    private final Crm crm;
    private final RecordSet contacts;
    private final Random random;
    private final String node;
    private final Map<UUID, Record> known = new HashMap<>();
    private final List<UUID> ids = new ArrayList<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);

    private ThreeNodeChild(Crm crm, String node, long seed) {
        this.crm = crm;
        this.contacts = crm.as(Principal.SYSTEM).records("contact");
        this.node = node;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String prefix = args[1];
        String node = args[3];
        AtomicBoolean holdNext = new AtomicBoolean();
        Workflow workflow = Workflow.builder().nodeId(node).workers(WORKERS).pollInterval(Duration.ofMillis(50))
                .lease(Duration.ofSeconds(3), Duration.ofMillis(500))
                .retry(new RetryPolicy(5, Duration.ofMillis(100), 2, Duration.ofSeconds(1), 0.2))
                .action("effect", ctx -> {
                    record(url, prefix, ctx.idempotencyKey(), node, ctx.attempt());
                    if (holdNext.compareAndSet(true, false)) {
                        say("HELD " + ctx.idempotencyKey());
                        try {
                            Thread.sleep(Long.MAX_VALUE); // in flight until the node is killed
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }).build();
        Crm crm = Crm.builder().storage(JdbcStorage.builder().url(url).tablePrefix(prefix).maxPoolSize(6).build())
                .search(LuceneSearch.builder().directory(Path.of(args[2])).build()).workflow(workflow).build();
        ThreeNodeChild child = new ThreeNodeChild(crm, node, Long.parseLong(args[4]));
        for (Record r : child.contacts.query(Filters.where("last_name").eq("shared")).items()) {
            child.remember(r);
        }
        Thread load = new Thread(child::load, "load-" + node);
        load.start();
        say("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null;) {
            String[] cmd = line.split(" ");
            try {
                switch (cmd[0]) {
                    case "addfield" -> {
                        crm.schema().addField("contact", Field.text(cmd[1]));
                        say("ADDED " + cmd[1]);
                    }
                    case "use" -> {
                        Record r = child.contacts.create(Map.of("last_name", "use", cmd[1], node));
                        say("F " + cmd[1] + " " + r.id() + " " + r.version());
                    }
                    case "check" -> {
                        Record r = child.contacts.get(UUID.fromString(cmd[1]));
                        if (r.version() < Long.parseLong(cmd[2])) {
                            say("STALE check " + cmd[1] + " read version " + r.version() + " after " + cmd[2]);
                        }
                    }
                    case "hold" -> holdNext.set(true);
                    case "stop" -> {
                        child.loading.set(false);
                        load.join();
                        say("STOPPED");
                    }
                    case "converge" -> {
                        long t0 = System.nanoTime();
                        boolean ok = crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30));
                        say("CONVERGED " + (System.nanoTime() - t0) / 1_000_000 + " " + ok);
                    }
                    case "exit" -> {
                        crm.close();
                        say("EXITED");
                        System.exit(0);
                    }
                    default -> say("ERROR unknown command " + line);
                }
            } catch (RuntimeException e) {
                error(e);
            }
        }
    }

    /** The effect of a job: one row per execution, so that a job run twice shows as two rows. */
    private static void record(String url, String prefix, String key, String node, int attempt) {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement s = c.prepareStatement("INSERT INTO " + prefix
                        + "effects (job_key, node, attempt) VALUES (?, ?, ?)")) {
            s.setString(1, key);
            s.setString(2, node);
            s.setInt(3, attempt);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void load() {
        for (long n = 0; loading.get(); n++) {
            try {
                int op = random.nextInt(10);
                if (ids.isEmpty() || op < 3) {
                    Record r = contacts.create(Map.of("first_name", node, "last_name", "Load" + random.nextInt(20)));
                    remember(r);
                    say("C " + r.id() + " " + r.version());
                } else if (op < 6) {
                    Record r = known.get(ids.get(random.nextInt(ids.size())));
                    String title = node + "-" + n;
                    try {
                        Record u = contacts.update(r, Map.of("title", title));
                        remember(u);
                        say("U " + u.id() + " " + u.version() + " " + title);
                    } catch (ConflictException e) {
                        read(r.id()); // another node moved it: read the current state and go on
                    }
                } else if (op < 9) {
                    read(ids.get(random.nextInt(ids.size())));
                } else {
                    contacts.query(Filters.where("last_name").eq("Load" + random.nextInt(20))).items()
                            .forEach(this::checkNotOlder);
                }
            } catch (SchemaException e) {
                if (e.problem() != SchemaException.Problem.CONCURRENT_CHANGE) {
                    error(e);
                } // a schema change committed during the transaction: documented, nothing stored, retry
            } catch (RuntimeException e) {
                error(e);
            }
        }
    }

    private void read(UUID id) {
        Record r = contacts.get(id);
        checkNotOlder(r);
        remember(r);
    }

    private void checkNotOlder(Record r) {
        Record before = known.get(r.id());
        if (before != null && r.version() < before.version()) {
            say("STALE read " + r.id() + " version " + r.version() + " after " + before.version());
        }
    }

    private void remember(Record r) {
        if (known.put(r.id(), r) == null) {
            ids.add(r.id());
        }
    }

    private static void error(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        say("ERROR " + w.toString().replace('\n', '|'));
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
