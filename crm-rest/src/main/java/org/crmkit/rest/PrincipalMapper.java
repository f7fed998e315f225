package org.crmkit.rest;

import java.util.Objects;
import java.util.function.Function;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.security.Principal;

/**
 * Turns the claims of a verified token into the session every request of that caller runs in. Provided by the host:
 * its identity provider decides which claims carry the user id, roles and teams.
 *
 * <p>A mapper that cannot map the claims (an unknown user, say) throws {@link AuthenticationException}: the request
 * is answered 401.
 */
@FunctionalInterface
public interface PrincipalMapper {
    /** The session for these claims. */
    CrmSession session(Crm crm, TokenClaims claims);

    /**
     * The default: {@code sub} is the id of a user stored in the CRM ({@link Crm#asUser(String)}: the roles and teams
     * stored for that user apply). A subject that is no stored user is refused (401).
     */
    static PrincipalMapper storedUsers() {
        return (crm, claims) -> {
            try {
                return crm.asUser(claims.subject());
            } catch (org.crmkit.error.AccessModelException | UnsupportedOperationException
                    | IllegalArgumentException e) {
                throw new AuthenticationException("the token's subject is not a user of this CRM");
            }
        };
    }

    /** Builds the principal from the claims alone (roles in a claim, say): {@code crm.as(principal)}. */
    static PrincipalMapper of(Function<TokenClaims, Principal> principal) {
        Objects.requireNonNull(principal, "principal");
        return (crm, claims) -> crm.as(principal.apply(claims));
    }
}
