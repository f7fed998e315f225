package org.crmkit.rest.internal;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.crmkit.CrmSession;

/**
 * Registers endpoints under a prefix on a Javalin routing API (the standalone server's or a host's), each wrapped in
 * the same steps: CORS headers, authentication, the per-principal rate limit, then the endpoint, with every failure
 * answered as problem+json. Nothing is registered globally (no exception or error handler of the host's app is
 * taken over), so a host can mount the API beside its own routes.
 */
public final class RestRouter {
    static final String PROBLEM_JSON = "application/problem+json";
    static final String JSON = "application/json";
    /** Marks a response written by crm-rest (the standalone 404 handler leaves it alone). */
    static final String HANDLED = "crmkit.rest.handled";
    /** Marks a request whose body was read whole ({@link Call#body}). */
    static final String BODY_READ = "crmkit.rest.body-read";

    private final RestSettings settings;
    private final JavalinDefaultRoutingApi routes;
    private final String prefix;

    public RestRouter(RestSettings settings, JavalinDefaultRoutingApi routes, String prefix) {
        this.settings = settings;
        this.routes = routes;
        this.prefix = prefix;
        routes.addHttpHandler(HandlerType.OPTIONS, prefix + "/*", this::preflight);
    }

    public RestSettings settings() {
        return settings;
    }

    /** The path the routes are mounted under ({@code ""} standalone). */
    public String prefix() {
        return prefix;
    }

    public void get(String path, Endpoint endpoint) {
        add(HandlerType.GET, path, endpoint, false);
    }

    /** A POST; {@code idempotent}: an {@code Idempotency-Key} header replays the first reply. */
    public void post(String path, Endpoint endpoint, boolean idempotent) {
        add(HandlerType.POST, path, endpoint, idempotent);
    }

    public void patch(String path, Endpoint endpoint) {
        add(HandlerType.PATCH, path, endpoint, false);
    }

    public void put(String path, Endpoint endpoint) {
        add(HandlerType.PUT, path, endpoint, false);
    }

    public void delete(String path, Endpoint endpoint) {
        add(HandlerType.DELETE, path, endpoint, false);
    }

    private void add(HandlerType method, String path, Endpoint endpoint, boolean idempotent) {
        routes.addHttpHandler(method, prefix + path,
                ctx -> CorrelationIds.around(ctx, () -> handle(ctx, endpoint, idempotent)));
    }

    /**
     * A GET whose endpoint writes a long-lived response itself (the change stream) once the caller is authenticated
     * and within the rate limit; what it throws before it starts writing is answered as a problem.
     */
    public void stream(String path, Streamer streamer) {
        routes.addHttpHandler(HandlerType.GET, prefix + path, ctx -> CorrelationIds.around(ctx, () -> {
            ctx.attribute(HANDLED, Boolean.TRUE);
            cors(ctx);
            try {
                streamer.stream(authenticated(ctx), ctx);
            } catch (RuntimeException e) {
                write(ctx, problemReply(settings.json(), ProblemMapper.map(e, UnaryOperator.identity(), 422)));
            }
        }));
    }

    /** An endpoint that writes its own response (see {@link #stream}). */
    @FunctionalInterface
    public interface Streamer {
        void stream(Call call, Context ctx);
    }

    private Call authenticated(Context ctx) {
        CrmSession session = settings.authenticator().authenticate(settings.crm(), ctx.header("Authorization"));
        RateLimiter limiter = settings.rateLimiter();
        if (limiter != null) {
            OptionalLong wait = limiter.acquire(session.principal().id());
            if (wait.isPresent()) {
                throw new ProblemException(Problem.of(429, "too-many-requests", "Too many requests",
                        "the rate limit of this caller is reached; retry after " + wait.getAsLong() + " s",
                        "RATE_LIMITED").withHeader("Retry-After", Long.toString(wait.getAsLong())));
            }
        }
        return new Call(ctx, session, settings);
    }

    private void handle(Context ctx, Endpoint endpoint, boolean idempotent) {
        ctx.attribute(HANDLED, Boolean.TRUE);
        cors(ctx);
        Reply reply;
        try {
            Call call = authenticated(ctx);
            CrmSession session = call.session();
            String key = ctx.header("Idempotency-Key");
            if (idempotent && key != null) {
                checkKey(key);
                String fingerprint = call.method() + " " + call.path() + " " + sha256(call.body());
                reply = settings.idempotency().once(session.principal().id(), key, fingerprint,
                        () -> safely(endpoint, call));
            } else {
                reply = safely(endpoint, call);
            }
        } catch (RuntimeException e) {
            reply = problemReply(settings.json(), ProblemMapper.map(e, UnaryOperator.identity(), 422));
        }
        discardBody(ctx, settings.maxBodyBytes());
        write(ctx, reply);
    }

    /**
     * Reads and drops what is left of the request body when the endpoint answered without reading it (an early
     * error, a POST whose body does not matter), up to the size limit, so that every answer leaves the connection
     * as the last one did: otherwise Jetty keeps it only if the unread body happened to have arrived already, and
     * two identical answers would differ by a {@code Connection: close} that depends on network timing. A body
     * past the limit closes the connection, always.
     */
    static void discardBody(Context ctx, long limit) {
        if (ctx.attribute(BODY_READ) != null) {
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        boolean chunked = ctx.header("Transfer-Encoding") != null;
        if (declared == 0 || (declared < 0 && !chunked)) {
            return;
        }
        if (declared > limit) {
            ctx.header("Connection", "close");
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            long left = limit + 1;
            byte[] buffer = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                left -= n;
            }
            if (left <= 0) {
                ctx.header("Connection", "close");
            }
        } catch (IOException e) {
            ctx.header("Connection", "close");
        }
    }

    /** Runs the endpoint; what it throws becomes a problem reply. */
    private static Reply safely(Endpoint endpoint, Call call) {
        try {
            return endpoint.handle(call);
        } catch (RuntimeException e) {
            return problemReply(call.settings().json(), ProblemMapper.map(e, UnaryOperator.identity(), 422));
        }
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > IdempotencyStore.MAX_KEY_LENGTH
                || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ProblemException(Problem.badRequest("Idempotency-Key", "Idempotency-Key must be 1 to "
                    + IdempotencyStore.MAX_KEY_LENGTH + " visible ASCII characters"));
        }
    }

    static Reply problemReply(Json json, Problem p) {
        Reply r = new Reply(p.status(), Map.of("Content-Type", PROBLEM_JSON), json.write(p.body(null)));
        for (Map.Entry<String, String> h : p.headers().entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }

    static void write(Context ctx, Reply reply) {
        ctx.status(reply.status());
        reply.headers().forEach(ctx::header);
        byte[] body = reply.body();
        if (body != null) {
            if (!reply.headers().containsKey("Content-Type")) {
                ctx.contentType(JSON);
            }
            ctx.result(body);
        }
    }

    private void cors(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && settings.corsOrigins().contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Expose-Headers",
                    "ETag, Location, Retry-After, Idempotent-Replayed, X-Request-Id");
            ctx.header("Vary", "Origin");
        }
    }

    private void preflight(Context ctx) {
        ctx.attribute(HANDLED, Boolean.TRUE);
        cors(ctx);
        String origin = ctx.header("Origin");
        if (origin != null && settings.corsOrigins().contains(origin)) {
            ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
            ctx.header("Access-Control-Allow-Headers",
                    "Authorization, Content-Type, If-Match, Idempotency-Key, Last-Event-ID, X-Request-Id");
            ctx.header("Access-Control-Max-Age", "600");
        }
        ctx.status(204);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 404 of the standalone server for a path no route matches. */
    public static void unknownPath(Context ctx, Json json) {
        if (ctx.attribute(HANDLED) != null) {
            return;
        }
        write(ctx, problemReply(json, Problem.notFound("no resource at this path")));
    }
}
