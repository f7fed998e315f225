package org.crmkit.workflow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link Action.Webhook}s are sent. Each is a {@code POST} with a JSON body signed as
 * <a href="https://www.standardwebhooks.com">Standard Webhooks</a> sign: {@code webhook-id} (the same on every
 * attempt), {@code webhook-timestamp} (Unix seconds of the attempt) and
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body with the secret>}, which receivers check
 * with {@link WebhookVerifier} (rejecting old timestamps, so a captured delivery cannot be replayed); also
 * {@code Idempotency-Key} (the same on every attempt), a timeout, no redirects followed, at most
 * {@code requestsPerSecondPerHost} requests a second to one host (the rest wait), and retries with the job's backoff
 * (a 2xx answer is success; 408, 429 and 5xx are retried; other 4xx answers make the job a dead letter at once).
 * Addresses inside the network are refused: loopback, private, link-local, unique-local, cloud metadata
 * (169.254.169.254, fd00:ec2::254), unspecified, multicast, IPv4-mapped IPv6 of any of these, numeric hosts in
 * decimal, octal or hex forms, and names whose DNS answers include any of these; unless the host is in
 * {@code allowedHosts} (a name or address exactly as in the URL, e.g. {@code "127.0.0.1"} for a test server).
 *
 * @param secret   the signing key in the Standard Webhooks form, {@code whsec_} and the base64 of 24 to 64 random
 *                 bytes ({@link #newSecret()}); empty for none, and then rules with webhooks cannot be saved
 * @param resolver DNS, replaceable in tests
 */
public record WebhookSettings(String secret, Set<String> allowedHosts, Duration timeout,
        double requestsPerSecondPerHost,
        Resolver resolver) {
    public WebhookSettings {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(allowedHosts, "allowedHosts");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(resolver, "resolver");
        allowedHosts = Set.copyOf(allowedHosts);
    }

    /** No secret (set one to send webhooks), nothing allowed inside, 10 s timeout, 10 requests/s a host. */
    public static WebhookSettings defaults() {
        return new WebhookSettings("", Set.of(), Duration.ofSeconds(10), 10, Resolver.SYSTEM);
    }

    /** A new random secret ({@code whsec_} and 32 bytes from a {@link java.security.SecureRandom}), to share once. */
    public static String newSecret() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return WebhookVerifier.SECRET_PREFIX + java.util.Base64.getEncoder().encodeToString(key);
    }

    /** The signing secret, {@code whsec_...} (see {@link #newSecret()}). */
    public WebhookSettings secret(String key) {
        Objects.requireNonNull(key, "key");
        return new WebhookSettings(key, allowedHosts, timeout, requestsPerSecondPerHost, resolver);
    }

    public WebhookSettings allowHosts(String... hosts) {
        Objects.requireNonNull(hosts, "hosts");
        return new WebhookSettings(secret, Set.of(hosts), timeout, requestsPerSecondPerHost, resolver);
    }

    public WebhookSettings timeout(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        return new WebhookSettings(secret, allowedHosts, limit, requestsPerSecondPerHost, resolver);
    }

    public WebhookSettings ratePerHost(double requestsPerSecond) {
        return new WebhookSettings(secret, allowedHosts, timeout, requestsPerSecond, resolver);
    }

    public WebhookSettings resolver(Resolver dns) {
        Objects.requireNonNull(dns, "dns");
        return new WebhookSettings(secret, allowedHosts, timeout, requestsPerSecondPerHost, dns);
    }

    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

        List<InetAddress> resolve(String host) throws UnknownHostException;
    }
}
