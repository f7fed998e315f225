package org.crmkit.security;

import java.util.List;
import java.util.UUID;

/**
 * Manual shares on behalf of a session ({@link org.crmkit.CrmSession#shares()}): the record's owner, or a principal
 * with {@link AdminPermission#MANAGE_ACCESS}, shares one record with a user or team, changes the level or revokes it.
 * A record the caller cannot read is reported as {@link org.crmkit.error.NotFoundException}, whatever the reason.
 * Changes take effect at the next operation of every session, on every node.
 */
public interface RecordShares {
    /** Shares the record with a user or team at {@code level} (replacing an earlier level). */
    RecordShare share(String objectType, UUID recordId, Grantee grantee, ShareLevel level);

    /** Revokes the grantee's share of the record; returns whether there was one. */
    boolean revoke(String objectType, UUID recordId, Grantee grantee);

    /** The manual shares of a record the caller owns (or any readable record, with {@code MANAGE_ACCESS}). */
    List<RecordShare> of(String objectType, UUID recordId);
}
