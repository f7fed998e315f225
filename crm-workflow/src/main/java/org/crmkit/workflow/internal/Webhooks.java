package org.crmkit.workflow.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.security.MessageDigest;
import org.crmkit.workflow.WebhookSettings;
import org.crmkit.workflow.WebhookVerifier;

/**
 * Sends webhooks with the JDK's {@link HttpClient}: no redirects, a connect and request timeout, the Standard Webhooks
 * headers (an id derived from the idempotency key, the attempt's timestamp, and an HMAC-SHA256 signature of
 * {@code id.timestamp.body}, see {@link WebhookVerifier}), the idempotency key as a header, a per-host rate limit,
 * and the address guard checked (DNS included) right before each call. Failures are {@link JobFailure}s: transient for I/O errors, timeouts, 408, 429 and
 * 5xx; permanent for refused addresses, redirects and other 4xx.
 */
final class Webhooks {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final WebhookSettings settings;
    private final AddressGuard guard;
    private final HostRateLimiter limiter;
    private final HttpClient client;

    Webhooks(WebhookSettings settings, AddressGuard guard) {
        this.settings = settings;
        this.guard = guard;
        this.limiter = new HostRateLimiter(settings.requestsPerSecondPerHost());
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout()).build();
    }

    /**
     * The {@code webhook-id} of a delivery: {@code msg_} and a digest of its idempotency key, so the same on every
     * attempt, and free of the dots that separate the signed parts.
     */
    static String messageId(String idempotencyKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(d, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    void post(String url, String json, String idempotencyKey, Instant now) {
        String refused = guard.checkUrl(url, true);
        if (refused != null) {
            throw new JobFailure("webhook " + url + " refused: " + refused, true);
        }
        URI uri = URI.create(url);
        if (settings.secret().isEmpty()) {
            throw new JobFailure("webhook " + url + " not sent: no webhook secret configured", true);
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String id = messageId(idempotencyKey);
        long timestamp = now.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "CRMKit-Webhooks/1")
                .header(WebhookVerifier.ID, id)
                .header(WebhookVerifier.TIMESTAMP, Long.toString(timestamp))
                .header(WebhookVerifier.SIGNATURE, WebhookVerifier.sign(settings.secret(), id, timestamp, body))
                .header(IDEMPOTENCY_KEY, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<Void> response;
        try {
            limiter.acquire(uri.getHost().toLowerCase(java.util.Locale.ROOT));
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new JobFailure("webhook " + url + " timed out after " + settings.timeout(), false, e);
        } catch (IOException e) {
            throw new JobFailure("webhook " + url + " failed: " + e, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure("webhook " + url + " interrupted", false, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        boolean retry = status == 408 || status == 429 || status >= 500;
        String what = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
        throw new JobFailure("webhook " + url + " answered HTTP " + status + what, !retry);
    }
}
