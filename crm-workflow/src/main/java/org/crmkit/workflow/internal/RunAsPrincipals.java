package org.crmkit.workflow.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.workflow.Rule;
import org.crmkit.workflow.RunAs;

/** The principal a rule runs as when a job of it runs, with the roles registered on this node under its role names. */
final class RunAsPrincipals {
    private final Map<String, Role> roles;

    RunAsPrincipals(Map<String, Role> roles) {
        this.roles = Map.copyOf(roles);
    }

    /** Whom {@code rule} runs as; a rule naming no one or a role this node does not know fails its job for good. */
    Principal of(Rule rule) {
        RunAs r = rule.runAs();
        if (r == null) {
            throw new JobFailure("rule " + rule.name() + " records no principal to run as", true);
        }
        if (r.isSystem()) {
            return Principal.SYSTEM;
        }
        List<Role> found = new ArrayList<>();
        for (String name : r.roles()) {
            Role role = roles.get(name);
            if (role == null) {
                throw new JobFailure("rule " + rule.name() + " runs as role " + name + ", which this node does not "
                        + "know", true);
            }
            found.add(role);
        }
        return new Principal(r.userId(), found, r.teams(), false);
    }
}
