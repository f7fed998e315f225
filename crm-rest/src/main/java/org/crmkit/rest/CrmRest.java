package org.crmkit.rest;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.crmkit.Crm;
import org.crmkit.rest.internal.ChangeHub;
import org.crmkit.rest.internal.ChangesResource;
import org.crmkit.rest.internal.IdempotencyStore;
import org.crmkit.rest.internal.ImportResource;
import org.crmkit.rest.internal.OpenApiResource;
import org.crmkit.rest.internal.JettyProblems;
import org.crmkit.rest.internal.Json;
import org.crmkit.rest.internal.RateLimiter;
import org.crmkit.rest.internal.ReadingsResource;
import org.crmkit.rest.internal.RecordsResource;
import org.crmkit.rest.internal.ReportsResource;
import org.crmkit.rest.internal.RestResource;
import org.crmkit.rest.internal.RestRouter;
import org.crmkit.rest.internal.SchemaAdminResource;
import org.crmkit.rest.internal.SchemaResource;
import org.crmkit.rest.internal.RestSettings;
import org.crmkit.rest.internal.SseSettings;
import org.jspecify.annotations.Nullable;

/**
 * The CRM over HTTP as JSON: records of every object type of the live schema, with keyset pages, ETag/If-Match,
 * Idempotency-Key, problem+json errors, bearer tokens and per-principal rate limits; the caller's view of the schema
 * ({@code /schema}), schema changes for {@code MANAGE_SCHEMA} holders, a per-caller OpenAPI 3.1 document
 * ({@code /openapi.json}) and live changes ({@code /changes}). Started standalone or mounted into a host's own Javalin
 * app. See {@code docs/rest.md}.
 *
 * <pre>{@code
 * CrmRest rest = CrmRest.builder(crm).authenticator(JwtAuthenticator.builder()...build()).build();
 * try (RestServer server = rest.start(8080)) { ... }           // standalone
 * Javalin.create(config -> rest.mount(config, "/crm")).start(); // or inside the host's app
 * }</pre>
 */
public final class CrmRest {
    /** The largest {@code limit} a list takes unless {@link Builder#maxPageSize(int)} says otherwise. */
    public static final int DEFAULT_MAX_PAGE_SIZE = 200;
    /** The page size of a list without {@code limit}. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** The largest request body unless {@link Builder#maxBodyBytes(long)} says otherwise: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;

    private static final Pattern PREFIX = Pattern.compile("(/(?!\\.{1,2}(?:/|$))[A-Za-z0-9._~-]+)*");

    private final RestSettings settings;
    private final SseSettings sse;
    private final List<RestResource> resources;

    private CrmRest(RestSettings settings, SseSettings sse, List<RestResource> resources) {
        this.settings = settings;
        this.sse = sse;
        this.resources = List.copyOf(resources);
    }

    /** Starts configuring the API of {@code crm}. */
    public static Builder builder(Crm crm) {
        return new Builder(crm);
    }

    /** Starts a standalone server on all interfaces; port 0 picks a free port ({@link RestServer#port()}). */
    public RestServer start(int port) {
        return start("0.0.0.0", port);
    }

    /** Starts a standalone server on one interface ({@code "127.0.0.1"}, say). */
    public RestServer start(String host, int port) {
        return start(host, port, config -> {});
    }

    /**
     * Starts a standalone server on one interface, letting the host add to its configuration first: static files (a web
     * page beside the API), its own routes, Jetty settings. The API's routes are added after {@code customize} ran.
     */
    public RestServer start(String host, int port, Consumer<JavalinConfig> customize) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(customize, "customize");
        Javalin app = Javalin.create(config -> {
            customize.accept(config);
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.routes.error(404, ctx -> RestRouter.unknownPath(ctx, settings.json()));
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems(settings.json())));
            mount(config, "");
        });
        app.start(host, port);
        return new RestServer(app, host);
    }

    /**
     * Adds the API's routes to a host's Javalin app under {@code prefix} ({@code "/crm"}, or {@code ""} for the root).
     * Only routes under the prefix are added: the host's own routes, exception and error handlers stay its own.
     */
    public void mount(JavalinConfig config, String prefix) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "prefix must be empty or like /crm (segments of letters, digits, . _ ~ -; not . or ..)"
                            + ", not '" + prefix + "'");
        }
        RestRouter router = new RestRouter(settings, config.routes, prefix);
        for (RestResource r : resources) {
            r.register(router);
        }
        ChangeHub hub = new ChangeHub(settings.crm(), sse);
        config.events.serverStopping(hub::close);
        new ChangesResource(hub).register(router);
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** Configures a {@link CrmRest}. */
    public static final class Builder {
        private final Crm crm;
        private @Nullable Authenticator authenticator;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxPageSize = DEFAULT_MAX_PAGE_SIZE;
        private @Nullable RateLimit rateLimit = RateLimit.perMinute(600);
        private int idempotencyKeys = 10_000;
        private Duration idempotencyKeyLifetime = Duration.ofHours(24);
        private Set<String> corsOrigins = Set.of();
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration poll = Duration.ofSeconds(1);
        private int maxPendingEvents = 1_000;
        private int maxStreams = 1_000;
        private Duration stall = Duration.ofSeconds(10);
        private Duration dropGrace = Duration.ofSeconds(5);

        private Builder(Crm crm) {
            this.crm = Objects.requireNonNull(crm, "crm");
        }

        /** How callers authenticate (usually a {@link JwtAuthenticator}). Required. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** The largest request body in bytes (1 MiB default); larger ones are answered 413. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** The largest page a list returns (200 default, at most 10,000); a larger {@code limit} is answered 400. */
        public Builder maxPageSize(int size) {
            this.maxPageSize = size;
            return this;
        }

        /** The per-principal rate limit (600 a minute by default), or null for none. */
        public Builder rateLimit(@Nullable RateLimit limit) {
            this.rateLimit = limit;
            return this;
        }

        /**
         * How many Idempotency-Keys are remembered at most (10,000 by default; past that, Caffeine's size eviction
         * forgets some) and for how long (24 hours). In memory, per node: behind a load balancer, retries must reach the same node.
         */
        public Builder idempotencyKeys(int maxKeys, Duration lifetime) {
            this.idempotencyKeys = maxKeys;
            this.idempotencyKeyLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        /** The origins browsers may call from (CORS), exactly as sent ({@code https://app.example.com}); none by default. */
        public Builder corsOrigins(String... origins) {
            this.corsOrigins = Set.of(origins);
            return this;
        }

        /** How often a quiet change stream ({@code GET /changes}) sends a {@code : keep-alive} comment (15 s default). */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * How often a change stream looks at the change log without being woken by a commit of this node (1 s default):
         * how late changes committed by other nodes arrive at most, beyond the time to read them.
         */
        public Builder changePollInterval(Duration interval) {
            this.poll = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * How many events a change stream may have waiting for its client (1,000 default). While they are that many the
         * stream waits for the client to take one; a client that takes none for {@code stall} (10 s default) is sent an
         * {@code error} event ({@code CLIENT_TOO_SLOW}, with the sequence to resume after) and disconnected; if it does
         * not take even that within {@code grace} (5 s default), its connection is cut.
         */
        public Builder slowClients(int maxPendingEvents, Duration stall, Duration grace) {
            this.maxPendingEvents = maxPendingEvents;
            this.stall = Objects.requireNonNull(stall, "stall");
            this.dropGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /** How many change streams a server holds at once (1,000 default); more are answered 503 with Retry-After. */
        public Builder maxStreams(int streams) {
            this.maxStreams = streams;
            return this;
        }

        /** The API; throws {@link IllegalStateException} naming every problem of the configuration. */
        public CrmRest build() {
            List<String> problems = new ArrayList<>();
            if (authenticator == null) {
                problems.add("an authenticator is required");
            }
            if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
                problems.add("maxBodyBytes must be from 1 to " + (Integer.MAX_VALUE - 8) + ", not " + maxBodyBytes);
            }
            if (maxPageSize < 1 || maxPageSize > org.crmkit.query.Query.MAX_LIMIT) {
                problems.add("maxPageSize must be from 1 to " + org.crmkit.query.Query.MAX_LIMIT + ", not "
                        + maxPageSize);
            }
            if (idempotencyKeys < 1) {
                problems.add("idempotencyKeys must be at least 1, not " + idempotencyKeys);
            }
            if (idempotencyKeyLifetime.isNegative() || idempotencyKeyLifetime.isZero()) {
                problems.add("the Idempotency-Key lifetime must be positive, not " + idempotencyKeyLifetime);
            }
            if (!positive(heartbeat) || !positive(poll) || stall.isNegative() || dropGrace.isNegative()) {
                problems.add("the heartbeat and change poll intervals must be positive, the stall and drop grace not"
                        + " negative, not " + heartbeat + ", " + poll + ", " + stall + ", " + dropGrace);
            }
            if (maxPendingEvents < 1 || maxStreams < 1) {
                problems.add("maxPendingEvents and maxStreams must be at least 1, not " + maxPendingEvents + " and "
                        + maxStreams);
            }
            Authenticator auth = authenticator;
            if (!problems.isEmpty() || auth == null) {
                throw new IllegalStateException("CrmRest: " + String.join("; ", problems));
            }
            RateLimit limit = rateLimit;
            RateLimiter limiter = limit == null ? null
                    : new RateLimiter(limit.burst(), limit.every(), System::nanoTime);
            RestSettings settings = new RestSettings(crm, auth, new Json(), maxBodyBytes,
                    Math.min(DEFAULT_PAGE_SIZE, maxPageSize), maxPageSize, limiter,
                    new IdempotencyStore(idempotencyKeys, idempotencyKeyLifetime), corsOrigins);
            SseSettings sse = new SseSettings(heartbeat, poll, maxPendingEvents, stall, maxStreams, dropGrace);
            return new CrmRest(settings, sse,
                    List.of(new ReadingsResource(), new ImportResource(), new RecordsResource(),
                            new SchemaResource(), new SchemaAdminResource(), new ReportsResource(),
                            new OpenApiResource()));
        }
    }
}
