package org.crmkit.security;

import java.util.Objects;
import org.crmkit.query.Filter;

/**
 * Records of {@code objectType} that match {@code filter} are shared with {@code grantee} (a role, a role and its
 * subordinates, or a team) at {@code level}. The filter holds conditions on system properties ({@code owner},
 * {@code team}, {@code created_by}, {@code updated_by}, {@code created_at}, {@code updated_at}) and indexed fields of
 * the type itself, so that every storage and the search index evaluate it inside the query; text and set matching
 * and paths through references are refused. A rule shares records only: the grantee still needs the object
 * permissions (read, update, delete) its roles grant.
 *
 * @param name       the rule's unique name
 * @param objectType the object type it shares records of
 * @param filter     which records ({@link Filter#ALL}: every record of the type)
 * @param grantee    a {@link Grantee.Kind#ROLE}, {@link Grantee.Kind#ROLE_AND_SUBORDINATES} or {@link Grantee.Kind#TEAM}
 * @param level      read, or read and write
 */
public record SharingRule(String name, String objectType, Filter filter, Grantee grantee, ShareLevel level) {
    public SharingRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(grantee, "grantee");
        Objects.requireNonNull(level, "level");
    }
}
