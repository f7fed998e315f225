package org.crmkit.rest;

import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates a request from its {@code Authorization} header and opens the session it runs in. {@link
 * JwtAuthenticator} is the standard one; a host may plug its own.
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * The session of the caller.
     *
     * @param crm           the CRM the request is for
     * @param authorization the {@code Authorization} header, or null when the request has none
     * @throws AuthenticationException when the credentials are missing or not accepted
     */
    CrmSession authenticate(Crm crm, @Nullable String authorization);
}
