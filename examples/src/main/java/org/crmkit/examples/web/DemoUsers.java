package org.crmkit.examples.web;

import com.nimbusds.jose.JOSEException;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.rest.AuthenticationException;
import org.crmkit.rest.JwtAuthenticator;
import org.crmkit.rest.PrincipalMapper;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;

/**
 * The web example's demo identity provider: two users, an ES256 key made when the server starts, and tokens signed
 * with it. crm-rest verifies them with its ordinary {@link JwtAuthenticator}, against a JWKS holding the public half of
 * that key; nothing in crm-rest knows these tokens are demo ones.
 *
 * <p>{@code admin} (Ada) has {@link Role#ADMIN}. {@code rep} (Rick) reads every contact, company and deal and may
 * move deals, but a contact's {@code description} (the account notes) is hidden from him.
 */
final class DemoUsers {
    static final String ISSUER = "https://demo.crmkit.example/";
    static final String AUDIENCE = "crm";
    static final Duration LIFETIME = Duration.ofHours(8);
    /** The field hidden from the sales rep. */
    static final String HIDDEN_TYPE = "contact";
    static final String HIDDEN_FIELD = "description";
    static final Role REP_ROLE = Role.builder("demo_sales_rep")
            .grant("contact", RecordScope.ALL, Permission.READ)
            .grant("company", RecordScope.ALL, Permission.READ)
            .grant("deal", RecordScope.ALL, Permission.READ, Permission.UPDATE)
            .field(HIDDEN_TYPE, HIDDEN_FIELD, FieldAccess.HIDDEN).build();

    /** A demo user: the {@code sub} of its tokens, a display name and its principal. */
    record User(String id, String name, String description, Principal principal) {}

    static final User ADMIN = new User("admin", "Ada (admin)", "sees and changes everything",
            Principal.user("admin", Role.ADMIN));
    static final User REP = new User("rep", "Rick (sales rep)",
            "reads contacts and deals, moves deals; contact notes hidden", Principal.user("rep", REP_ROLE));
    static final Map<String, User> USERS = Map.of(ADMIN.id(), ADMIN, REP.id(), REP);

    private final ECKey key;

    private DemoUsers(ECKey key) {
        this.key = key;
    }

    /** A fresh signing key; tokens of an earlier run of the server are not accepted. */
    static DemoUsers generate() {
        try {
            return new DemoUsers(new ECKeyGenerator(Curve.P_256).keyID("demo-" + UUID.randomUUID()).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the demo signing key", e);
        }
    }

    /** The public key set tokens are verified against. */
    JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** crm-rest's standard authenticator, verifying against {@link #publicKeys()} and mapping {@code sub} to a user. */
    JwtAuthenticator authenticator() {
        return JwtAuthenticator.builder().issuer(ISSUER).audience(AUDIENCE).jwks(publicKeys())
                .principals(PrincipalMapper.of(claims -> Optional.ofNullable(USERS.get(claims.subject()))
                        .orElseThrow(() -> new AuthenticationException("not a demo user")).principal()))
                .build();
    }

    /** A signed token for the demo user {@code id}, or empty when there is no such user. */
    Optional<String> token(String id, Instant now) {
        User user = USERS.get(id);
        if (user == null) {
            return Optional.empty();
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user.id()).issuer(ISSUER).audience(List.of(AUDIENCE))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME))).claim("name", user.name())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return Optional.of(jwt.serialize());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo token", e);
        }
    }
}
