package org.crmkit.rest.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.crmkit.rest.AuthenticationException;
import org.crmkit.rest.TokenClaims;
import org.jspecify.annotations.Nullable;

/** Verifies signed JWTs with Nimbus: key, algorithm allow-list, issuer, audience, exp/nbf with skew. */
public final class JwtVerifier {
    /** The only algorithms that may be allowed: asymmetric signatures (no {@code none}, no HMAC). */
    public static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EDDSA", "ED25519");

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public JwtVerifier(String issuer, Collection<String> audiences, @Nullable JWKSet jwks, @Nullable URI jwksUrl,
            List<String> algorithms, int skewSeconds, Clock clock) {
        JWKSource<SecurityContext> source;
        if (jwks != null) {
            source = new ImmutableJWKSet<>(jwks);
        } else {
            try {
                source = JWKSourceBuilder.<SecurityContext>create(java.util.Objects.requireNonNull(jwksUrl).toURL())
                        .retrying(true).build();
            } catch (MalformedURLException e) {
                throw new IllegalStateException("JwtAuthenticator: jwksUrl is not a URL: " + jwksUrl, e);
            }
        }
        Set<JWSAlgorithm> allowed = algorithms.stream().map(a -> JWSAlgorithm.parse(a.toUpperCase(Locale.ROOT)
                .equals("EDDSA") ? "EdDSA" : a.toUpperCase(Locale.ROOT))).collect(Collectors.toSet());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(allowed, source));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.copyOf(audiences),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iss", "aud"), Set.of()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(skewSeconds);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The claims of a token that passes every check; {@link AuthenticationException} otherwise. */
    public TokenClaims verify(String token) {
        JWTClaimsSet set;
        try {
            set = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw new AuthenticationException("bearer token refused: " + e.getMessage());
        }
        String subject = set.getSubject();
        String issuer = set.getIssuer();
        if (subject == null || subject.isBlank() || issuer == null) {
            throw new AuthenticationException("bearer token without subject");
        }
        return new TokenClaims(subject, issuer, set.getAudience(), set.toJSONObject().entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
    }
}
