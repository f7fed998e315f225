package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.crmkit.Crm;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.memory.InMemoryStorage;

/**
 * A CRM on the in-memory storage served on a random port, keys to sign tokens with, and an HTTP client. Roles come
 * from the token's {@code roles} claim: {@code admin}, {@code sales_rep}, {@code support} (reads and updates every
 * contact, with {@code email} hidden), {@code steward} (see {@link #STEWARD}) and {@code analyst} (see
 * {@link #ANALYST}).
 */
final class RestFixture implements AutoCloseable {
    static final String ISSUER = "https://id.test/";
    static final String AUDIENCE = "crm";
    static final Role SUPPORT = Role.builder("support")
            .grant("contact", RecordScope.ALL, Permission.READ, Permission.UPDATE, Permission.CREATE)
            .field("contact", "email", FieldAccess.HIDDEN).build();
    /** Changes the schema ({@code MANAGE_SCHEMA}), reads every record, but has contact {@code email} hidden. */
    static final Role STEWARD = Role.builder("steward").grant(Role.ANY_TYPE, RecordScope.ALL, Permission.READ)
            .field("contact", "email", FieldAccess.HIDDEN).allow(org.crmkit.security.AdminPermission.MANAGE_SCHEMA)
            .build();
    /** Works their own projects and saves reports ({@code MANAGE_REPORTS}), but has project {@code budget} hidden. */
    static final Role ANALYST = Role.builder("analyst").grant("project", RecordScope.OWN, Permission.READ,
            Permission.CREATE).field("project", "budget", FieldAccess.HIDDEN)
            .allow(org.crmkit.security.AdminPermission.MANAGE_REPORTS).build();
    static final Map<String, Role> ROLES = Map.of("admin", Role.ADMIN, "sales_rep", Role.SALES_REP, "support",
            SUPPORT, "steward", STEWARD, "analyst", ANALYST);

    final Crm crm;
    final RSAKey rsa;
    final ECKey ec;
    final RestServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    RestFixture() {
        this(b -> {});
    }

    RestFixture(Consumer<CrmRest.Builder> configure) {
        this(configure, Crm.builder().storage(InMemoryStorage.create()));
    }

    RestFixture(Consumer<CrmRest.Builder> configure, org.crmkit.CrmBuilder crmBuilder) {
        crm = crmBuilder.build();
        try {
            rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        crm.schema().addObjectType(ObjectType.custom("project", "Project", Field.text("name").required(true),
                Field.integer("budget")));
        JwtAuthenticator auth = JwtAuthenticator.builder().issuer(ISSUER).audience(AUDIENCE)
                .jwks(new JWKSet(List.of(rsa, ec)))
                .principals(PrincipalMapper.of(c -> new Principal(c.subject(),
                        c.strings("roles").stream().map(ROLES::get).filter(java.util.Objects::nonNull).toList(),
                        List.of(), false)))
                .build();
        CrmRest.Builder b = CrmRest.builder(crm).authenticator(auth);
        configure.accept(b);
        server = b.build().start("127.0.0.1", 0);
    }

    /** A valid RS256 token for {@code user} with these roles. */
    String token(String user, String... roles) {
        return sign(claims(user, roles).build());
    }

    static JWTClaimsSet.Builder claims(String user, String... roles) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(user).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("roles", List.of(roles));
    }

    String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(rsa));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String signEs256(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
                    claims);
            jwt.sign(new ECDSASigner(ec));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return server.uri().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    Res send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Res(r, r.body().isEmpty() ? null : parse(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(body);
        }
    }

    Res get(String token, String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    Res post(String token, String path, String body, String... headers) {
        return withBody("POST", token, path, body, headers);
    }

    Res patch(String token, String path, String body, String... headers) {
        return withBody("PATCH", token, path, body, headers);
    }

    Res put(String token, String path, String body, String... headers) {
        return withBody("PUT", token, path, body, headers);
    }

    private Res withBody(String method, String token, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    Res delete(String token, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).DELETE();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    /** Creates a record over HTTP and returns its id. */
    String create(String token, String type, String body) {
        Res r = post(token, "/objects/" + type, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body().get("id").asText();
    }

    @Override
    public void close() {
        server.close();
        crm.close();
    }

    /** A response: status, headers, parsed body (null when empty). */
    record Res(HttpResponse<String> raw, JsonNode body) {
        int status() {
            return raw.statusCode();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** Asserts the response is a problem with this status and returns it. */
        Res problem(int status) {
            assertThat(status()).as(toString()).isEqualTo(status);
            assertThat(header("Content-Type")).as(toString()).startsWith("application/problem+json");
            assertThat(body().get("status").asInt()).isEqualTo(status);
            assertThat(body().get("type").asText()).startsWith("https://crmkit.org/problems/");
            assertThat(body().get("title").asText()).isNotBlank();
            assertThat(raw.body()).doesNotContain("Exception").doesNotContain("org.crmkit").doesNotContain("at java.");
            return this;
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.headers().map() + " " + raw.body();
        }
    }
}
