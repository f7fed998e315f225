package org.crmkit.security;

/** Which records of a type a role reaches. Wider scopes come later in this order. */
public enum RecordScope {
    /** Records the principal owns. */
    OWN,
    /** Records the principal owns or that belong to one of the principal's teams. */
    TEAM,
    /** Every record. */
    ALL
}
