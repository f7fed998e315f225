package org.crmkit.workflow;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.crmkit.error.ConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * Checks a webhook delivery the way the <a href="https://www.standardwebhooks.com">Standard Webhooks</a> scheme
 * signs it, for the services that receive CRMKit's webhooks (any Standard Webhooks library works as well). Each
 * delivery carries {@value #ID} (the same on every attempt of one delivery: use it to act once), {@value #TIMESTAMP}
 * (seconds since the epoch, when this attempt was sent) and {@value #SIGNATURE}: {@code v1,<base64 HMAC-SHA256>} of
 * {@code id + "." + timestamp + "." + body} with the shared secret (several, space-separated, while a secret is
 * rotated). As the id and timestamp are signed with the body, a captured delivery sent again later fails: with its old
 * timestamp it is outside the tolerance, with a new one its signature no longer matches.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of(System.getenv("CRM_WEBHOOK_SECRET"));   // "whsec_..."
 * // in the HTTP handler, with the raw body bytes (do not parse and re-serialise the JSON first):
 * try {
 *     verifier.verify(exchange.getRequestHeaders(), body);
 * } catch (WebhookVerificationException e) {
 *     exchange.sendResponseHeaders(401, -1);   // not from the CRM, tampered with, or replayed
 *     return;
 * }
 * String id = exchange.getRequestHeaders().getFirst("webhook-id");   // skip it if already processed
 * }</pre>
 *
 * <p>Immutable and thread-safe. Comparisons take constant time.
 */
public final class WebhookVerifier {
    /** The delivery id header. */
    public static final String ID = "webhook-id";
    /** The attempt's timestamp header (Unix seconds). */
    public static final String TIMESTAMP = "webhook-timestamp";
    /** The signatures header. */
    public static final String SIGNATURE = "webhook-signature";
    /** The prefix of secrets in the Standard Webhooks form: {@code whsec_} and the key in base64. */
    public static final String SECRET_PREFIX = "whsec_";
    /** How far a timestamp may be from the receiver's clock by default (the scheme's usual five minutes). */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<byte[]> keys;
    private final Duration tolerance;
    private final Clock clock;

    private WebhookVerifier(List<byte[]> keys, Duration tolerance, Clock clock) {
        this.keys = keys;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * A verifier accepting signatures made with any of {@code secrets} ({@code whsec_...}; the old one too while a
     * secret is rotated); a malformed secret is a {@link ConfigurationException}.
     */
    public static WebhookVerifier of(String... secrets) {
        Objects.requireNonNull(secrets, "secrets");
        List<byte[]> keys = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String s : secrets) {
            String problem = secretProblem(s);
            if (problem == null) {
                keys.add(key(s));
            } else {
                problems.add(problem);
            }
        }
        if (keys.isEmpty() && problems.isEmpty()) {
            problems.add("a webhook verifier needs at least one secret");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new WebhookVerifier(List.copyOf(keys), DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /** The same with another tolerance for the timestamp (positive). */
    public WebhookVerifier tolerance(Duration maxSkew) {
        Objects.requireNonNull(maxSkew, "maxSkew");
        if (maxSkew == null || maxSkew.isNegative() || maxSkew.isZero()) {
            throw new ConfigurationException(List.of("the tolerance must be positive, not " + maxSkew));
        }
        return new WebhookVerifier(keys, maxSkew, clock);
    }

    /** The same reading the time from {@code time} (tests). */
    public WebhookVerifier clock(Clock time) {
        return new WebhookVerifier(keys, tolerance, Objects.requireNonNull(time, "clock"));
    }

    /** {@link #verify(String, String, String, byte[])} with the headers of a request (names in any case). */
    public void verify(Map<String, List<String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        verify(header(headers, ID), header(headers, TIMESTAMP), header(headers, SIGNATURE), body);
    }

    /**
     * Checks one delivery: the headers' values (null when missing) and the raw body. Returns normally when the
     * timestamp is within the tolerance and one of the signatures matches; throws
     * {@link WebhookVerificationException} otherwise.
     */
    public void verify(@Nullable String id, @Nullable String timestamp, @Nullable String signatures, byte[] body) {
        Objects.requireNonNull(body, "body");
        if (id == null || timestamp == null || signatures == null || body == null) {
            throw new WebhookVerificationException("missing header: " + ID + ", " + TIMESTAMP + " and " + SIGNATURE
                    + " are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException(TIMESTAMP + " is not a number of seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > tolerance.toSeconds()) {
            throw new WebhookVerificationException(TIMESTAMP + " is more than " + tolerance + " from now");
        }
        for (byte[] key : keys) {
            byte[] expected = mac(key, id, seconds, body);
            for (String candidate : signatures.trim().split(" +")) {
                if (!candidate.startsWith("v1,")) {
                    continue;
                }
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(candidate.substring(3));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return;
                }
            }
        }
        throw new WebhookVerificationException("no signature matches");
    }

    /** Whether {@link #verify(Map, byte[])} accepts the delivery. */
    public boolean isValid(Map<String, List<String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        try {
            verify(headers, body);
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }

    /** The {@value #SIGNATURE} value of a delivery signed with {@code secret}: {@code v1,<base64>}. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        String problem = secretProblem(secret);
        if (problem != null) {
            throw new ConfigurationException(List.of(problem));
        }
        return "v1," + Base64.getEncoder().encodeToString(mac(key(secret), id, timestamp, body));
    }

    /** What is wrong with a secret, or null: {@code whsec_} and the base64 of 24 to 64 bytes. */
    static @Nullable String secretProblem(@Nullable String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return "a webhook secret is " + SECRET_PREFIX + " followed by the base64 of 24 to 64 random bytes "
                    + "(WebhookSettings.newSecret() makes one)";
        }
        try {
            int n = key(secret).length;
            return n >= 24 && n <= 64 ? null : "a webhook secret holds 24 to 64 bytes, not " + n;
        } catch (IllegalArgumentException e) {
            return "a webhook secret is " + SECRET_PREFIX + " followed by base64";
        }
    }

    private static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    private static byte[] mac(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static @Nullable String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null
                    && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
