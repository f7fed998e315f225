package org.crmkit.security;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited change of the stored access model: a role saved or deleted, a parent set, a user assigned or removed,
 * a sharing rule saved or deleted.
 *
 * @param revision    the access model's revision this change made (1, 2, ...)
 * @param subject     what changed, e.g. {@code role:sales_rep}, {@code user:u-42}, {@code rule:big_deals}
 * @param description a short description, e.g. {@code set parent of sales_rep to sales_manager}
 * @param version     the subject's version after the change (1 when created); a deletion keeps counting
 * @param deleted     whether the change deleted the subject
 * @param principalId who made it
 * @param at          when
 */
public record AccessChange(long revision, String subject, String description, long version, boolean deleted,
        String principalId, Instant at) {
    public AccessChange {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(at, "at");
    }
}
