package org.crmkit.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.record.Record;
import org.crmkit.rest.CrmRest;
import org.crmkit.rest.JwtAuthenticator;
import org.crmkit.rest.PrincipalMapper;
import org.crmkit.rest.RestServer;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The two servers the {@code rest} suite compares, on one CRM: crm-rest ({@link CrmRest}, rate limit off) and a bare
 * Javalin app whose handlers call {@code CrmSession} and write the record with Jackson in crm-rest's JSON shape. Both
 * verify the same ES256 bearer token with the same {@link JwtAuthenticator}, so the token's cost is on both sides;
 * both run Jetty with the same thread pool.
 */
final class RestSides implements AutoCloseable {
    static final String ISSUER = "https://bench.crmkit.example/";
    static final Principal ADMIN = Principal.user("bench-admin", Role.ADMIN);

    final Crm crm;
    final JwtAuthenticator auth;
    final String token;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final RestServer rest;
    private final Javalin bare;

    RestSides(Crm crm, int threads, Consumer<CrmRest.Builder> restSettings,
            BiConsumer<JavalinConfig, RestSides> bareRoutes) {
        this.crm = crm;
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench")
                    .type(JOSEObjectType.JWT).build(),
                    new JWTClaimsSet.Builder().subject(ADMIN.id()).issuer(ISSUER)
                            .audience("crm").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(7200)))
                            .build());
            jwt.sign(new ECDSASigner(key));
            token = jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        auth = JwtAuthenticator.builder().issuer(ISSUER).audience("crm").jwks(new JWKSet(key.toPublicJWK()))
                .principals(PrincipalMapper.of(claims -> ADMIN)).build();
        CrmRest.Builder builder = CrmRest.builder(crm).authenticator(auth).rateLimit(null);
        restSettings.accept(builder);
        rest = builder.build().start("127.0.0.1", 0, config -> config.jetty.threadPool = pool(threads));
        bare = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = pool(threads);
            config.routes.get("/objects/contact/{id}", this::get);
            config.routes.post("/objects/contact", this::create);
            bareRoutes.accept(config, this);
        }).start("127.0.0.1", 0);
    }

    private static QueuedThreadPool pool(int threads) {
        QueuedThreadPool pool = new QueuedThreadPool(threads, 8);
        pool.setName("bench-jetty");
        return pool;
    }

    URI restUri() {
        return rest.uri();
    }

    URI bareUri() {
        return URI.create("http://127.0.0.1:" + bare.port() + "/");
    }

    /** The caller's session, as crm-rest opens it: the token verified by the same authenticator. */
    CrmSession session(Context ctx) {
        return auth.authenticate(crm, ctx.header("Authorization"));
    }

    private void get(Context ctx) throws Exception {
        Record r = session(ctx).records("contact").get(UUID.fromString(ctx.pathParam("id")));
        ctx.header("ETag", "\"" + r.version() + "\"").contentType("application/json").result(json.writeValueAsBytes(
                recordJson(r)));
    }

    private void create(Context ctx) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = json.readValue(ctx.bodyAsBytes(), Map.class);
        Record r = session(ctx).records("contact").create(values);
        ctx.status(201).header("ETag", "\"" + r.version() + "\"").header("Location", "/objects/contact/" + r.id())
                .contentType("application/json").result(json.writeValueAsBytes(recordJson(r)));
    }

    /** A record in crm-rest's JSON shape: system properties, then the field values under {@code fields}. */
    static Map<String, Object> recordJson(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", r.type());
        m.put("version", r.version());
        m.put("owner", r.owner());
        m.put("team", r.team());
        m.put("created_at", r.createdAt());
        m.put("created_by", r.createdBy());
        m.put("updated_at", r.updatedAt());
        m.put("updated_by", r.updatedBy());
        m.put("deleted_at", r.deletedAt());
        m.put("fields", new TreeMap<>(r.values()));
        return m;
    }

    byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids of {@code n} contacts created as the admin. */
    List<UUID> seed(int n) {
        CrmSession admin = crm.as(ADMIN);
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> admin.records("contact").create(Map.of(
                "first_name", "Bench", "last_name", "Contact " + i, "email", "c" + i + "@bench.example")).id())
                .toList();
    }

    @Override
    public void close() {
        try {
            rest.close();
        } finally {
            bare.stop();
        }
    }
}
