package org.crmkit.rest;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The claims of a verified bearer token, as a {@link PrincipalMapper} sees them.
 *
 * @param subject  the {@code sub} claim
 * @param issuer   the {@code iss} claim
 * @param audience the {@code aud} claim (one or more)
 * @param claims   every claim by name, as JSON values (strings, numbers, booleans, lists, maps)
 */
public record TokenClaims(String subject, String issuer, List<String> audience, Map<String, Object> claims) {
    public TokenClaims {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        audience = List.copyOf(audience);
        claims = Map.copyOf(claims);
    }

    /** A claim whose value is text. */
    public Optional<String> string(String name) {
        return claims.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** A claim whose value is a list of texts (other elements are left out), or an empty list. */
    public List<String> strings(String name) {
        if (claims.get(name) instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
