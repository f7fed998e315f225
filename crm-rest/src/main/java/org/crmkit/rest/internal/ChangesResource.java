package org.crmkit.rest.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.jspecify.annotations.Nullable;

/**
 * The live change stream, {@code GET /changes} as Server-Sent Events: the caller's access-filtered change feed from
 * {@code Last-Event-ID} or {@code ?after=} (or from now), optionally of some {@code types}. See {@code docs/rest.md}.
 */
public final class ChangesResource implements RestResource {
    private final ChangeHub hub;

    public ChangesResource(ChangeHub hub) {
        this.hub = hub;
    }

    @Override
    public void register(RestRouter router) {
        router.stream("/changes", this::stream);
    }

    private void stream(Call call, Context ctx) {
        long after = start(call);
        Set<String> types = types(call);
        for (String t : types) {
            call.session().records(t); // an unknown type (or one not readable) is a problem before the stream starts
        }
        ChangeStream stream = new ChangeStream(hub, call.session(), after, types, call.settings().json(),
                () -> abort(ctx), stillAccepted(call));
        if (!hub.admit(stream)) {
            throw new ProblemException(Problem.of(503, "too-many-streams", "Too many streams",
                    "this server holds as many change streams as it may; retry later", "TOO_MANY_STREAMS")
                    .withHeader("Retry-After", "5"));
        }
        try {
            ctx.status(200);
            ctx.header("Content-Type", "text/event-stream; charset=utf-8");
            ctx.header("Cache-Control", "no-cache");
            ctx.header("X-Accel-Buffering", "no");
            ctx.res().flushBuffer();
            stream.run(ctx.res().getOutputStream());
        } catch (IOException e) {
            stream.end();
            hub.leave(stream);
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the credentials the stream was opened with are still accepted, as the same principal: asked again at
     * every heartbeat, so a stream ends once its token expires or is revoked (or maps to another principal).
     */
    private static java.util.function.BooleanSupplier stillAccepted(Call call) {
        String authorization = call.header("Authorization");
        org.crmkit.security.Principal opened = call.session().principal();
        return () -> {
            try {
                return call.settings().authenticator().authenticate(call.settings().crm(), authorization).principal()
                        .equals(opened);
            } catch (RuntimeException e) { // AuthenticationException, or an authenticator that failed
                return false;
            }
        };
    }

    private long start(Call call) {
        String header = call.header("Last-Event-ID");
        if (header != null) {
            return sequence("Last-Event-ID", header);
        }
        List<String> after = call.queryParams().get("after");
        if (after != null && !after.isEmpty()) {
            return sequence("after", after.get(0));
        }
        return call.settings().crm().changeLog().lastSequence(); // a number only: where "now" is
    }

    private static long sequence(String name, String value) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new ProblemException(Problem.badRequest(name, name + " must be a change sequence (an integer of 0"
                    + " or more, as the id of an event), not '" + abbreviate(value) + "'"));
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static Set<String> types(Call call) {
        List<String> values = call.queryParams().get("types");
        Set<String> types = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                for (String t : v.split(",", -1)) {
                    if (t.isBlank()) {
                        throw new ProblemException(Problem.badRequest("types",
                                "types must be object types separated by commas, with none empty"));
                    }
                    types.add(t.trim());
                }
            }
        }
        return Set.copyOf(types);
    }

    /** Cuts the connection of a client that does not read (its blocked write fails, ending its stream). */
    private static void abort(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        @Nullable
        EndPoint endPoint = request == null ? null
                : request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint != null) {
            endPoint.close();
        }
    }
}
