package org.crmkit.rest.internal;

import java.util.Set;
import org.crmkit.Crm;
import org.crmkit.rest.Authenticator;
import org.jspecify.annotations.Nullable;

/**
 * Everything the routes share: the CRM, how callers authenticate, the JSON mapper, the limits and stores.
 *
 * @param maxBodyBytes    the largest request body
 * @param defaultPageSize the page size of a list without {@code limit}
 * @param maxPageSize     the largest {@code limit} taken
 * @param rateLimiter     per-principal limit, or null for none
 * @param corsOrigins     origins a browser may call from (exact, as {@code https://app.example.com})
 */
public record RestSettings(Crm crm, Authenticator authenticator, Json json, long maxBodyBytes, int defaultPageSize,
        int maxPageSize, @Nullable RateLimiter rateLimiter, IdempotencyStore idempotency, Set<String> corsOrigins) {
    public RestSettings {
        corsOrigins = Set.copyOf(corsOrigins);
    }
}
