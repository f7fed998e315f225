package org.crmkit.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.crmkit.Crm;
import org.crmkit.security.Role;
import org.crmkit.security.StoredUser;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bearer tokens: what is accepted, what is refused (401 with a challenge), and that nothing is written then. */
class JwtAuthenticationTest {
    private final RestFixture f = new RestFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private RestFixture.Res createWith(String token) {
        return f.post(token, "/objects/project", "{\"name\":\"x\"}");
    }

    private void refused(String token) {
        RestFixture.Res r = createWith(token).problem(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"crmkit\", error=\"invalid_token\"");
        assertThat(r.body().get("detail").asText()).isEqualTo("the bearer token was not accepted");
        assertThat(f.crm.as(org.crmkit.security.Principal.SYSTEM).records("project")
                .count(org.crmkit.query.Filter.ALL)).isZero();
    }

    @Test
    void validRs256AndEs256TokensAreAccepted() {
        assertThat(createWith(f.token("ada", "admin")).status()).isEqualTo(201);
        assertThat(createWith(f.signEs256(RestFixture.claims("bob", "admin").build())).status()).isEqualTo(201);
    }

    @Test
    void missingTokenIs401WithABareChallenge() {
        RestFixture.Res r = f.send(HttpRequest.newBuilder(f.uri("/objects/project")).GET()).problem(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"crmkit\"");
        RestFixture.Res basic = f.send(HttpRequest.newBuilder(f.uri("/objects/project"))
                .header("Authorization", "Basic YTpi").GET()).problem(401);
        assertThat(basic.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void garbageIsRefused() {
        refused("not.a.jwt");
        refused("x");
        refused("a".repeat(4_000));
    }

    @Test
    void headersTooLargeForTheServerAreAProblemToo() {
        RestFixture.Res r = createWith("a".repeat(20_000)).problem(431);
        assertThat(r.body().get("code").asText()).isEqualTo("HTTP_431");
    }

    @Test
    void expiredNotYetValidWrongIssuerWrongAudienceAndNoExpiryAreRefused() {
        Instant now = Instant.now();
        refused(f.sign(RestFixture.claims("ada", "admin").expirationTime(Date.from(now.minus(Duration.ofHours(1))))
                .build()));
        refused(f.sign(RestFixture.claims("ada", "admin").notBeforeTime(Date.from(now.plus(Duration.ofHours(1))))
                .build()));
        refused(f.sign(RestFixture.claims("ada", "admin").issuer("https://evil.test/").build()));
        refused(f.sign(RestFixture.claims("ada", "admin").audience("other").build()));
        refused(f.sign(RestFixture.claims("ada", "admin").expirationTime(null).build()));
        refused(f.sign(RestFixture.claims("ada", "admin").subject(null).build()));
        // claims no principal can hold: refused, not a 500
        refused(f.sign(RestFixture.claims("a".repeat(300), "admin").build()));
        refused(f.sign(RestFixture.claims("ada\u0000", "admin").build()));
    }

    @Test
    void unsignedTokensAreRefused() {
        refused(new PlainJWT(new PlainHeader(), RestFixture.claims("ada", "admin").build()).serialize());
        // a signed token whose signature was cut off, header still naming RS256
        String good = f.token("ada", "admin");
        refused(good.substring(0, good.lastIndexOf('.') + 1));
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyAsSecretIsRefused() throws Exception {
        byte[] secret = f.rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(f.rsa.getKeyID()).build(),
                RestFixture.claims("ada", "admin").build());
        jwt.sign(new MACSigner(secret));
        refused(jwt.serialize());
        SignedJWT der = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(f.rsa.getKeyID()).build(),
                RestFixture.claims("ada", "admin").build());
        der.sign(new MACSigner(f.rsa.toRSAPublicKey().getEncoded()));
        refused(der.serialize());
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID(f.rsa.getKeyID()).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(other.getKeyID()).build(),
                RestFixture.claims("ada", "admin").build());
        jwt.sign(new RSASSASigner(other));
        refused(jwt.serialize());
    }

    @Test
    void algorithmsOutsideTheAllowListAreRefusedEvenWithAKnownKey() throws Exception {
        SignedJWT rs512 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(f.rsa.getKeyID()).build(),
                RestFixture.claims("ada", "admin").build());
        rs512.sign(new RSASSASigner(f.rsa));
        refused(rs512.serialize());
    }

    @Test
    void clockSkewIsBoundedAndApplied() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        Instant exp = Instant.parse("2026-06-01T12:00:00Z");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("ada").issuer("i").audience("a")
                .expirationTime(Date.from(exp)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k").build(), claims);
        jwt.sign(new RSASSASigner(key));
        String token = "Bearer " + jwt.serialize();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            JwtAuthenticator.Builder b = JwtAuthenticator.builder().issuer("i").audience("a")
                    .jwks(new JWKSet(key)).clockSkew(Duration.ofSeconds(60))
                    .principals(PrincipalMapper.of(c -> org.crmkit.security.Principal.user(c.subject(), Role.ADMIN)));
            JwtAuthenticator within = b.clock(Clock.fixed(exp.plusSeconds(30), ZoneOffset.UTC)).build();
            assertThat(within.authenticate(crm, token).principal().id()).isEqualTo("ada");
            JwtAuthenticator past = b.clock(Clock.fixed(exp.plusSeconds(90), ZoneOffset.UTC)).build();
            assertThatThrownBy(() -> past.authenticate(crm, token)).isInstanceOf(AuthenticationException.class);
        }
        assertThatThrownBy(() -> JwtAuthenticator.builder().issuer("i").audience("a").jwks(new JWKSet(key))
                .clockSkew(Duration.ofMinutes(6)).build()).hasMessageContaining("clockSkew");
    }

    @Test
    void theBuilderRefusesNoneHmacAndMissingSettingsAllAtOnce() {
        assertThatThrownBy(() -> JwtAuthenticator.builder().algorithms("none", "HS256").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer is required")
                .hasMessageContaining("audience").hasMessageContaining("jwks")
                .hasMessageContaining("algorithm none").hasMessageContaining("algorithm HS256");
    }

    @Test
    void theDefaultMapperRunsAsTheStoredUserOfTheSubject() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            crm.admin().access().saveRole(Role.builder("rep").grant("contact", org.crmkit.security.RecordScope.OWN,
                    org.crmkit.security.Permission.READ).build());
            crm.admin().access().saveUser(new StoredUser("u-7", "rep", List.of()));
            JwtAuthenticator auth = JwtAuthenticator.builder().issuer("i").audience("a").jwks(new JWKSet(key))
                    .build();
            assertThat(auth.authenticate(crm, "Bearer " + sign(key, "u-7")).principal().id()).isEqualTo("u-7");
            assertThatThrownBy(() -> auth.authenticate(crm, "Bearer " + sign(key, "stranger")))
                    .isInstanceOf(AuthenticationException.class);
        }
    }

    private static String sign(RSAKey key, String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k").build(),
                new JWTClaimsSet.Builder().subject(subject).issuer("i").audience("a")
                        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
