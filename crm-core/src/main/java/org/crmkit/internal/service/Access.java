package org.crmkit.internal.service;

import java.util.EnumSet;
import java.util.Set;
import org.crmkit.error.AccessDeniedException;
import org.crmkit.query.Filter;
import org.crmkit.record.Record;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.ObjectGrant;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;

/**
 * What one principal may do with one object type: the union of its roles' grants. The single place access
 * rules are decided; every path (get, query, aggregate, search, timeline, writes, errors) asks it. A formula is as
 * hidden as the most hidden field it reads, a roll-up as hidden as the children it summarises; neither is editable.
 */
final class Access {
    private final Principal principal;
    private final String type;
    private final CompiledSchema schema;
    private final Set<Permission> permissions;
    private final RecordScope scope;
    private final @org.jspecify.annotations.Nullable AccessModels models;
    /** The record scope widened by the hierarchy, sharing rules and manual shares. */
    private final SharingScope sharing;
    /** The access to each roll-up field asked about so far (it depends on the access to the child type). */
    private final java.util.Map<String, FieldAccess> rollupAccess = new java.util.HashMap<>();
    /** What planning this access read of the storage, for the transaction of its operation; null when nothing. */
    private final AccessModels.@org.jspecify.annotations.Nullable CaughtUp caughtUp;

    Access(Principal principal, String type, CompiledSchema schema,
            @org.jspecify.annotations.Nullable AccessModels models) {
        this(principal, type, schema, models, null);
    }

    /** An access planned right after catching up with the access model ({@link AccessModels#catchUp()}). */
    Access(Principal principal, String type, CompiledSchema schema,
            @org.jspecify.annotations.Nullable AccessModels models,
            AccessModels.@org.jspecify.annotations.Nullable CaughtUp caughtUp) {
        this.caughtUp = caughtUp;
        this.principal = principal;
        this.models = models;
        this.type = type;
        this.schema = schema;
        EnumSet<Permission> union = EnumSet.noneOf(Permission.class);
        RecordScope widest = RecordScope.OWN;
        for (Role role : principal.roles()) {
            ObjectGrant g = role.grantFor(type).orElse(null);
            if (g != null && !g.permissions().isEmpty()) {
                union.addAll(g.permissions());
                if (g.scope().compareTo(widest) > 0) {
                    widest = g.scope();
                }
            }
        }
        this.permissions = principal.system() ? EnumSet.allOf(Permission.class) : union;
        this.scope = principal.system() ? RecordScope.ALL : widest;
        this.sharing = new SharingScope(principal, type, scope, schema, models);
    }

    /**
     * What catching up read when this access was planned, for the transaction of the same operation
     * ({@link Session#inTx(Access, java.util.function.Function)}); null when it did not catch up.
     */
    AccessModels.@org.jspecify.annotations.Nullable CaughtUp caughtUp() {
        return caughtUp;
    }

    boolean can(Permission p) {
        return permissions.contains(p);
    }

    void require(Permission p) {
        if (!can(p)) {
            throw new AccessDeniedException(principal.id(), type, p.name().toLowerCase(java.util.Locale.ROOT)
                    + " " + type + " records");
        }
    }

    /**
     * The widest access the principal's roles give to a field (roles that cannot read the type do not count); for a
     * formula, at most read-only and no wider than the access to each field it reads (unless its definition says
     * {@link org.crmkit.schema.Field#visibleRegardlessOfInputs(boolean)}).
     */
    FieldAccess field(String field) {
        RollupSpec rollup = schema.rollup(type, field);
        if (rollup != null) {
            return rollupAccess.computeIfAbsent(field, f -> rollupAccess(f, rollup));
        }
        Set<String> inputs = schema.formulaInputs(type, field);
        FieldAccess own = granted(field);
        if (inputs == null) {
            return own;
        }
        FieldAccess narrowest = own.compareTo(FieldAccess.READ_ONLY) > 0 ? FieldAccess.READ_ONLY : own;
        for (String input : inputs) {
            FieldAccess a = granted(input);
            if (a.compareTo(narrowest) < 0) {
                narrowest = a;
            }
        }
        return narrowest;
    }

    /**
     * A roll-up is read-only at most, and hidden from a caller who could not read every child it summarises (the
     * child type with scope ALL, its reference, summarised field and filter fields), unless its definition says
     * {@link org.crmkit.schema.Field#visibleRegardlessOfInputs(boolean)}.
     */
    private FieldAccess rollupAccess(String field, RollupSpec rollup) {
        FieldAccess own = granted(field);
        if (own == FieldAccess.HIDDEN) {
            return own;
        }
        if (principal.system() || rollup.field().visibleRegardlessOfInputs()) {
            return FieldAccess.READ_ONLY;
        }
        Access child = new Access(principal, rollup.childType(), schema, models);
        if (!child.can(Permission.READ) || child.scope != RecordScope.ALL) {
            return FieldAccess.HIDDEN;
        }
        for (String input : rollup.childFields()) {
            if (!child.canSee(input)) {
                return FieldAccess.HIDDEN;
            }
        }
        return FieldAccess.READ_ONLY;
    }

    private FieldAccess granted(String field) {
        if (principal.system()) {
            return FieldAccess.EDITABLE;
        }
        FieldAccess best = null;
        for (Role role : principal.roles()) {
            ObjectGrant g = role.grantFor(type).orElse(null);
            if (g == null || !g.allows(Permission.READ)) {
                continue;
            }
            FieldAccess a = role.fieldAccess(type, field);
            if (best == null || a.compareTo(best) > 0) {
                best = a;
            }
        }
        return best == null ? FieldAccess.HIDDEN : best;
    }

    boolean canSee(String field) {
        return field(field) != FieldAccess.HIDDEN;
    }

    /**
     * Whether the principal may read the record: inside its record scope, widened by the role hierarchy, sharing
     * rules and manual shares ({@link SharingScope}).
     */
    boolean inScope(Record r) {
        return sharing.contains(r, false);
    }

    /** Whether the principal may write the record (update, delete, restore, merge, purge), scope-wise. */
    boolean inWriteScope(Record r) {
        return sharing.contains(r, true);
    }

    /**
     * The record, when the principal may write it; one it may read but not write is refused with
     * {@link AccessDeniedException} (it knows the record), so callers check {@link #inScope} first.
     */
    Record writable(Record r, Permission p) {
        if (!inWriteScope(r)) {
            throw new AccessDeniedException(principal.id(), type, p.name().toLowerCase(java.util.Locale.ROOT)
                    + " this " + type + " record (it is shared with them for reading only)");
        }
        return r;
    }

    /**
     * Whether a record of this owner and team is inside the principal's scope by owner and team alone (own scope
     * and the hierarchy): for a purged record, whose other values are gone.
     */
    boolean inScope(String owner, @org.jspecify.annotations.Nullable String team) {
        return sharing.containsOwner(owner, team);
    }

    /** The read scope as a filter, or null for every record (see {@link SharingScope}). */
    @org.jspecify.annotations.Nullable
    Filter scopeFilter() {
        return sharing.filter(false);
    }

    /** The write scope as a filter, or null for every record. */
    @org.jspecify.annotations.Nullable
    Filter writeScopeFilter() {
        return sharing.filter(true);
    }

    /** The scope on owner and team alone (for the search index's reference scopes), or null for every record. */
    @org.jspecify.annotations.Nullable
    Filter ownerScopeFilter() {
        return sharing.ownerFilter();
    }

    /** The record scope the roles grant, before the hierarchy and sharing widen it. */
    RecordScope grantedScope() {
        return scope;
    }

    /** The engine's access model this access reads (null: none, for schema checks as the system principal). */
    @org.jspecify.annotations.Nullable
    AccessModels models() {
        return models;
    }

    Principal principal() {
        return principal;
    }
}
