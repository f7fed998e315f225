package org.crmkit.workflow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How {@link Action.Webhook}s are sent. Each is a {@code POST} with a JSON body, the headers
 * {@code X-CRMKit-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>}, {@code X-CRMKit-Timestamp},
 * {@code Idempotency-Key} (the same on every attempt), a timeout, no redirects followed, at most
 * {@code requestsPerSecondPerHost} requests a second to one host (the rest wait), and retries with the job's backoff
 * (a 2xx answer is success; 408, 429 and 5xx are retried; other 4xx answers make the job a dead letter at once).
 * Addresses inside the network are refused: loopback, private, link-local, unique-local, cloud metadata
 * (169.254.169.254, fd00:ec2::254), unspecified, multicast, IPv4-mapped IPv6 of any of these, numeric hosts in
 * decimal, octal or hex forms, and names whose DNS answers include any of these; unless the host is in
 * {@code allowedHosts} (a name or address exactly as in the URL, e.g. {@code "127.0.0.1"} for a test server).
 *
 * @param resolver DNS, replaceable in tests
 */
public record WebhookSettings(String secret, Set<String> allowedHosts, Duration timeout, double requestsPerSecondPerHost,
        Resolver resolver) {
    public WebhookSettings {
        allowedHosts = Set.copyOf(allowedHosts);
    }

    /** No secret (signature with an empty key: set one), nothing allowed inside, 10 s timeout, 10 requests/s a host. */
    public static WebhookSettings defaults() {
        return new WebhookSettings("", Set.of(), Duration.ofSeconds(10), 10, Resolver.SYSTEM);
    }

    public WebhookSettings secret(String key) {
        return new WebhookSettings(key, allowedHosts, timeout, requestsPerSecondPerHost, resolver);
    }

    public WebhookSettings allowHosts(String... hosts) {
        return new WebhookSettings(secret, Set.of(hosts), timeout, requestsPerSecondPerHost, resolver);
    }

    public WebhookSettings timeout(Duration limit) {
        return new WebhookSettings(secret, allowedHosts, limit, requestsPerSecondPerHost, resolver);
    }

    public WebhookSettings ratePerHost(double requestsPerSecond) {
        return new WebhookSettings(secret, allowedHosts, timeout, requestsPerSecond, resolver);
    }

    public WebhookSettings resolver(Resolver dns) {
        return new WebhookSettings(secret, allowedHosts, timeout, requestsPerSecondPerHost, dns);
    }

    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

        List<InetAddress> resolve(String host) throws UnknownHostException;
    }
}
