package org.crmkit.examples.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.crmkit.Crm;
import org.crmkit.rest.AuthenticationException;
import org.crmkit.rest.CrmRest;
import org.crmkit.rest.JwtAuthenticator;
import org.crmkit.rest.RestServer;
import org.crmkit.schema.Pipeline;
import org.crmkit.search.lucene.LuceneSearch;
import org.crmkit.storage.jdbc.JdbcStorage;
import org.crmkit.storage.memory.InMemoryStorage;

/**
 * The CRM over HTTP with a web page beside it (issue 17, item 6): crm-rest's API at the root, the page of
 * {@code src/main/resources/web} at {@code /}, and a demo sign-in. Runs on the embedded default (an H2 file
 * {@code data/web/crm.mv.db}, a Lucene index in {@code data/web/index}), seeded with a few companies, contacts and
 * deals on the first run.
 *
 * <pre>
 * java ... org.crmkit.examples.web.WebExample [port (8080)] [data directory (data/web) | --memory]
 * </pre>
 *
 * <p>Besides the API it answers {@code GET /demo/users} (the demo users), {@code POST /demo/tokens/{user}} (a token
 * for one, signed with a key made at start and verified by crm-rest's ordinary {@link JwtAuthenticator}) and
 * {@code GET /demo/pipeline} (the stages of the sales pipeline, for a signed-in caller). The demo sign-in hands a
 * token to anyone who asks: it listens on 127.0.0.1 only.
 */
public final class WebExample {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebExample() {}

    /** Where the data lives: an H2 file and a Lucene index under a directory, or memory only (tests). */
    public record Storage(Path directory, boolean inMemory) {
        /** On disk, under {@code directory}. */
        public static Storage at(Path directory) {
            return new Storage(directory, false);
        }

        /** In memory: nothing is kept after {@link Running#close()}. */
        public static Storage memory() {
            return new Storage(Path.of(""), true);
        }
    }

    /** A running web example; closing it stops the server and closes the CRM. */
    public record Running(Crm crm, RestServer server) implements AutoCloseable {
        /** The page's address (and the API's base), as {@code http://127.0.0.1:8080/}. */
        public URI uri() {
            return server.uri();
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                crm.close();
            }
        }
    }

    /** Starts the server (arguments: port, then a data directory or {@code --memory}) and serves until stopped. */
    public static void main(String[] args) throws InterruptedException {
        int port;
        try {
            port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        } catch (NumberFormatException e) {
            System.err.println("usage: WebExample [port (8080)] [data directory (data/web) | --memory]; '" + args[0]
                    + "' is not a port number");
            System.exit(2);
            return;
        }
        String where = args.length > 1 ? args[1] : "data/web";
        Storage storage = where.equals("--memory") ? Storage.memory() : Storage.at(Path.of(where));
        Running running = start(storage, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        System.out.println("web page: " + running.uri() + " (Ctrl-C stops the server)");
        System.out.println("a token: curl -s -X POST " + running.uri() + "demo/tokens/rep");
        stopped.await();
    }

    /** Opens the CRM, loads the demo records on a first run, and serves the API and the page on 127.0.0.1. */
    public static Running start(Storage storage, int port) {
        Crm crm = storage.inMemory()
                ? Crm.builder().storage(InMemoryStorage.create()).search(LuceneSearch.inMemory()).build()
                : Crm.builder().storage(JdbcStorage.h2File(storage.directory().resolve("crm")))
                        .search(LuceneSearch.at(storage.directory().resolve("index"))).build();
        try {
            if (DemoData.loadInto(crm)) {
                crm.admin().searchIndex().awaitUpToDate(Duration.ofSeconds(30));
            }
            DemoUsers users = DemoUsers.generate();
            JwtAuthenticator auth = users.authenticator();
            RestServer server = CrmRest.builder(crm).authenticator(auth).build()
                    .start("127.0.0.1", port, config -> demoRoutes(config, crm, users, auth));
            return new Running(crm, server);
        } catch (RuntimeException e) {
            crm.close();
            throw e;
        }
    }

    private static void demoRoutes(JavalinConfig config, Crm crm, DemoUsers users, JwtAuthenticator auth) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/web";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff",
                    "Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'");
        });
        config.routes.get("/demo/users", ctx -> json(ctx, 200, DemoUsers.USERS.values().stream()
                .sorted(java.util.Comparator.comparing(DemoUsers.User::id))
                .map(u -> Map.of("id", u.id(), "name", u.name(), "description", u.description())).toList()));
        config.routes.post("/demo/tokens/{user}", ctx -> users.token(ctx.pathParam("user"), Instant.now())
                .ifPresentOrElse(token -> json(ctx, 200, Map.of("token", token, "token_type", "Bearer",
                        "expires_in", DemoUsers.LIFETIME.toSeconds())),
                        () -> json(ctx, 404, Map.of("code", "NOT_FOUND", "detail", "no such demo user"))));
        config.routes.get("/demo/pipeline", ctx -> {
            try {
                auth.authenticate(crm, ctx.header("Authorization"));
            } catch (AuthenticationException e) {
                json(ctx, 401, Map.of("code", "UNAUTHORIZED", "detail", "sign in first"));
                return;
            }
            Pipeline sales = crm.schema().pipeline(Pipeline.DEFAULT);
            List<Map<String, Object>> stages = sales.stages().stream()
                    .map(s -> Map.<String, Object>of("name", s.name(), "label", s.label())).toList();
            json(ctx, 200, Map.of("name", sales.name(), "label", sales.label(), "stages", stages));
        });
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
