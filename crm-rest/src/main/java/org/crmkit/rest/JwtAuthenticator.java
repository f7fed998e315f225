package org.crmkit.rest;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.rest.internal.JwtVerifier;
import org.jspecify.annotations.Nullable;

/**
 * Bearer tokens (RFC 6750) that are signed JWTs, verified with Nimbus JOSE+JWT: the signature against a key of the
 * configured JWKS, the algorithm against an allow-list (RS256 and ES256 by default; {@code none} and every HMAC
 * algorithm are never accepted, so a token signed HS256 with an RSA public key as its secret is refused), the issuer
 * exactly, the audience, and the expiry ({@code exp}, required) and not-before time with a bounded clock skew.
 *
 * <pre>{@code
 * Authenticator auth = JwtAuthenticator.builder()
 *     .issuer("https://id.example.com/")
 *     .audience("crm")
 *     .jwksUrl(URI.create("https://id.example.com/.well-known/jwks.json"))
 *     .principals(PrincipalMapper.storedUsers())
 *     .build();
 * }</pre>
 */
public final class JwtAuthenticator implements Authenticator {
    /** The algorithms accepted unless {@link Builder#algorithms(String...)} says otherwise. */
    public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256");
    /** The longest clock skew {@link Builder#clockSkew(Duration)} takes. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final JwtVerifier verifier;
    private final PrincipalMapper principals;

    private JwtAuthenticator(JwtVerifier verifier, PrincipalMapper principals) {
        this.verifier = verifier;
        this.principals = principals;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CrmSession authenticate(Crm crm, @Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw AuthenticationException.missing();
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw AuthenticationException.missing();
        }
        TokenClaims claims = verifier.verify(parts[1]);
        try {
            return principals.session(crm, claims);
        } catch (IllegalArgumentException e) {
            // claims a principal cannot hold (an id of 300 characters, a control character...)
            throw new AuthenticationException("the token's claims do not make a principal: " + e.getMessage());
        }
    }

    /** Configures a {@link JwtAuthenticator}; {@link #build()} names every missing or wrong setting at once. */
    public static final class Builder {
        private @Nullable String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private @Nullable JWKSet jwks;
        private @Nullable URI jwksUrl;
        private List<String> algorithms = DEFAULT_ALGORITHMS;
        private Duration clockSkew = Duration.ofSeconds(60);
        private PrincipalMapper principals = PrincipalMapper.storedUsers();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The exact {@code iss} every token must carry. Required. */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** An accepted {@code aud} value; a token must name at least one. Required. */
        public Builder audience(String audience) {
            audiences.add(Objects.requireNonNull(audience, "audience"));
            return this;
        }

        /** The keys, held in memory (public keys only are used). Either this or {@link #jwksUrl(URI)}. */
        public Builder jwks(JWKSet keys) {
            this.jwks = Objects.requireNonNull(keys, "keys").toPublicJWKSet();
            return this;
        }

        /** The keys, fetched from a JWKS document and cached (refreshed when a token names an unknown key). */
        public Builder jwksUrl(URI url) {
            this.jwksUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** The accepted signature algorithms (JWA names: RS256, PS256, ES256...); asymmetric ones only. */
        public Builder algorithms(String... names) {
            this.algorithms = List.of(names);
            return this;
        }

        /** How far the clocks of the issuer and this server may differ: 0 to {@link #MAX_CLOCK_SKEW}; 60 s default. */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = Objects.requireNonNull(skew, "skew");
            return this;
        }

        /** How claims become a session; {@link PrincipalMapper#storedUsers()} by default. */
        public Builder principals(PrincipalMapper mapper) {
            this.principals = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** The clock that {@code exp} and {@code nbf} are checked against; for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The authenticator; throws {@link IllegalStateException} naming every problem of the configuration. */
        public JwtAuthenticator build() {
            List<String> problems = new ArrayList<>();
            if (issuer == null) {
                problems.add("issuer is required");
            }
            if (audiences.isEmpty()) {
                problems.add("at least one audience is required");
            }
            if ((jwks == null) == (jwksUrl == null)) {
                problems.add("exactly one of jwks and jwksUrl is required");
            }
            if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                problems.add("clockSkew must be between 0 and " + MAX_CLOCK_SKEW + ", not " + clockSkew);
            }
            if (algorithms.isEmpty()) {
                problems.add("at least one algorithm is required");
            }
            for (String a : algorithms) {
                String upper = a.toUpperCase(Locale.ROOT);
                if (!JwtVerifier.ASYMMETRIC.contains(upper)) {
                    problems.add("algorithm " + a + " is not accepted: only " + JwtVerifier.ASYMMETRIC
                            + " (never none, never HMAC)");
                }
            }
            if (!problems.isEmpty() || issuer == null) {
                throw new IllegalStateException("JwtAuthenticator: " + String.join("; ", problems));
            }
            JwtVerifier verifier = new JwtVerifier(issuer, audiences, jwks, jwksUrl, algorithms,
                    (int) clockSkew.toSeconds(), clock);
            return new JwtAuthenticator(verifier, principals);
        }
    }
}
