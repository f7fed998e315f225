package org.crmkit.internal.service;

import java.util.Optional;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.schema.ObjectType;

/**
 * What of one change-log entry a caller may see, for timelines and the session feed: the changes of {@code owner},
 * {@code team} and of the fields that exist now and that the caller can read now; nothing at all for an update
 * none of whose changes is left (an empty {@code UPDATE} would tell that a hidden field changed). Creates,
 * deletes, restores and purges are kept: the operation itself is what they say. Record scope is the caller's
 * business: this class only looks at fields.
 */
final class VisibleChanges {
    private VisibleChanges() {}

    /** The entry as {@code access} may see it on {@code type} (the entry's type as the schema holds it now). */
    static Optional<ChangeLogEntry> of(ChangeLogEntry entry, Access access, ObjectType type) {
        ChangeLogEntry shown = entry.onlyFields(f -> f.equals("owner") || f.equals("team")
                || type.findField(f).isPresent() && access.canSee(f));
        if (shown.operation() == Operation.UPDATE && shown.changes().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(shown);
    }
}
