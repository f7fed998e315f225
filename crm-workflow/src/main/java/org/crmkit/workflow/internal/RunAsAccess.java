package org.crmkit.workflow.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.plugin.spi.EngineContext;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.ObjectGrant;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.jspecify.annotations.Nullable;

/**
 * What the principal a rule runs as may read and write, for the checks made when the rule is saved or compiled: the
 * union of its roles' grants, decided as the service layer decides them (a field is as visible as the widest access
 * a role that reads the type gives it; the system principal may do everything). A rule's CEL is compiled against
 * {@link #view} of its type, so a field hidden from the principal is, to the rule, a field that does not exist.
 */
final class RunAsAccess {
    /** Canonical views, so that rules running as principals with the same access share one (and one set of variables). */
    private static final int MAX_VIEWS = 1_000;

    private final @Nullable Principal principal;
    private final Map<List<Object>, ObjectType> views;
    private final EngineContext context;

    private RunAsAccess(@Nullable Principal principal, Map<List<Object>, ObjectType> views, EngineContext context) {
        this.principal = principal;
        this.views = views;
        this.context = context;
    }

    /** A cache of views to share between the checks of one engine. */
    static Map<List<Object>, ObjectType> viewCache() {
        return new ConcurrentHashMap<>();
    }

    /** The access of {@code principal}; null or the system principal: everything. */
    static RunAsAccess of(@Nullable Principal principal, Map<List<Object>, ObjectType> views, EngineContext context) {
        return new RunAsAccess(principal == null || principal.system() ? null : principal, views, context);
    }

    /**
     * The principal the rule runs as, with the roles registered under its role names; null for the system principal
     * (and when the run-as is unusable, which is reported, so the rule is refused anyway).
     */
    static @Nullable Principal principal(org.crmkit.workflow.Rule r, Map<String, Role> registered,
            List<FieldError> errors) {
        org.crmkit.workflow.RunAs ra = r.runAs();
        if (ra == null) {
            errors.add(new FieldError("runAs", FieldErrorCode.REQUIRED, "a saved rule records whom it runs as"));
            return null;
        }
        if (ra.isSystem()) {
            if (r.savedBy() == null) {
                errors.add(new FieldError("runAs", FieldErrorCode.REQUIRED, "this version was saved before rules "
                        + "recorded whom they run as, by someone other than the system principal, and ran as the system"
                        + " principal by default; it stays off until an admin saves it again"));
            }
            return null;
        }
        int before = errors.size();
        if (ra.userId().isBlank() || ra.userId().length() > 255) {
            errors.add(new FieldError("runAs.user", FieldErrorCode.WRONG_TYPE, "a user id of 1 to 255 characters"));
        }
        if (ra.roles().isEmpty()) {
            errors.add(new FieldError("runAs.roles", FieldErrorCode.REQUIRED, "a user needs at least one role"));
        }
        List<Role> roles = new ArrayList<>();
        for (String role : ra.roles()) {
            Role known = registered.get(role);
            if (known == null) {
                errors.add(new FieldError("runAs.roles", FieldErrorCode.UNKNOWN_OPTION, "unknown role '"
                        + RuleChecker.shown(role) + "' (register it with Workflow.Builder.roles)"));
            } else {
                roles.add(known);
            }
        }
        // an unusable run-as is refused already; its access is not checked on top
        return errors.size() > before ? null : new Principal(ra.userId(), roles, ra.teams(), false);
    }

    boolean restricted() {
        return principal != null;
    }

    String who() {
        return principal == null ? Principal.SYSTEM_ID : principal.id();
    }

    boolean can(String type, Permission p) {
        if (principal == null) {
            return true;
        }
        for (Role role : principal.roles()) {
            ObjectGrant g = role.grantFor(type).orElse(null);
            if (g != null && g.allows(p)) {
                return true;
            }
        }
        return false;
    }

    /** Decided by the engine, as for sessions (formulas included), never by a copy of its rules here. */
    FieldAccess field(String type, String field) {
        return principal == null ? FieldAccess.EDITABLE : context.fieldAccess(principal, type, field);
    }

    /** The type with only the fields the principal can read (the type itself when it sees them all). */
    ObjectType view(ObjectType type) {
        List<Field> visible = new ArrayList<>();
        for (Field f : type.fields()) {
            if (field(type.name(), f.name()) != FieldAccess.HIDDEN) {
                visible.add(f);
            }
        }
        if (visible.size() == type.fields().size()) {
            return type;
        }
        if (views.size() > MAX_VIEWS) {
            views.clear();
        }
        return views.computeIfAbsent(List.of(type, List.copyOf(visible)), k -> type.withFields(visible));
    }

    /** Adds an error on {@code path} unless the principal has permission {@code p} on {@code type}. */
    void require(String type, Permission p, String path, List<FieldError> errors) {
        if (!can(type, p)) {
            String what = p == Permission.TRANSFER ? "set the owner or team of" : p.name().toLowerCase(Locale.ROOT);
            errors.add(new FieldError(path, p == Permission.READ ? FieldErrorCode.UNSUPPORTED_OPERATION
                    : FieldErrorCode.READ_ONLY,
                    "the rule runs as " + who() + ", who may not " + what + " " + type
                            + " records"));
        }
    }

    /** Adds an error on {@code path} unless the principal may write {@code field} (a field it can read) of the type. */
    void requireEditable(String type, String field, String path, List<FieldError> errors) {
        if (field(type, field) != FieldAccess.EDITABLE) {
            errors.add(new FieldError(path, FieldErrorCode.READ_ONLY, field + " is read-only for " + who()
                    + ", whom the rule runs as"));
        }
    }
}
