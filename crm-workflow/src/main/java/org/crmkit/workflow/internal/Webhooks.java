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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.crmkit.workflow.WebhookSettings;

/**
 * Sends webhooks with the JDK's {@link HttpClient}: no redirects, a connect and request timeout, an HMAC-SHA256
 * signature of the body, the idempotency key as a header, a per-host rate limit, and the address guard checked (DNS
 * included) right before each call. Failures are {@link JobFailure}s: transient for I/O errors, timeouts, 408, 429 and
 * 5xx; permanent for refused addresses, redirects and other 4xx.
 */
final class Webhooks {
    static final String SIGNATURE = "X-CRMKit-Signature";
    static final String TIMESTAMP = "X-CRMKit-Timestamp";
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

    /** The signature header value of a body: {@code sha256=<hex>}. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    void post(String url, String json, String idempotencyKey, Instant now) {
        String refused = guard.checkUrl(url, true);
        if (refused != null) {
            throw new JobFailure("webhook " + url + " refused: " + refused, true);
        }
        URI uri = URI.create(url);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "CRMKit-Webhooks/1")
                .header(SIGNATURE, sign(settings.secret(), body))
                .header(TIMESTAMP, now.toString())
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
