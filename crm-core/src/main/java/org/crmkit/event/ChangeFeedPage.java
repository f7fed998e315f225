package org.crmkit.event;

import java.util.List;
import java.util.Objects;

/**
 * One page of a session's change feed ({@link org.crmkit.CrmSession#changes(long, int)}): the change-log entries the
 * session's principal may see, and where to go on from.
 *
 * @param entries   the visible entries, in sequence order, each holding only the field changes the principal may see
 * @param nextAfter the {@code after} to pass for the next page: the last log sequence this page looked at, past the
 *                  entries it left out (so a client following the feed never reads them again and never loops); equal
 *                  to the {@code after} asked when the log held nothing new
 * @param more      whether the log held entries past {@code nextAfter} when the page was read (false: caught up)
 */
public record ChangeFeedPage(List<ChangeLogEntry> entries, long nextAfter, boolean more) {
    public ChangeFeedPage {
        Objects.requireNonNull(entries, "entries");
        entries = List.copyOf(entries);
    }
}
