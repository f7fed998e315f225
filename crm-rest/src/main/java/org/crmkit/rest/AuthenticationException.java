package org.crmkit.rest;

/**
 * The request's credentials were missing or not accepted: answered {@code 401} with a {@code WWW-Authenticate}
 * challenge. The message is for logs; the response says only that the token was not accepted.
 */
public class AuthenticationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean missing;

    public AuthenticationException(String message) {
        this(message, false);
    }

    private AuthenticationException(String message, boolean missing) {
        super(java.util.Objects.requireNonNull(message, "message"));
        this.missing = missing;
    }

    /** No credentials at all (RFC 6750: the challenge then carries no error code). */
    public static AuthenticationException missing() {
        return new AuthenticationException("no bearer token", true);
    }

    /** Whether the request carried no credentials at all. */
    public boolean isMissing() {
        return missing;
    }
}
