package org.crmkit.workflow;

import java.util.List;

/** The host's teams, for {@link Action.AssignOwner} by team: the user ids of a team's members, in a stable order. */
@FunctionalInterface
public interface TeamDirectory {
    List<String> members(String team);
}
