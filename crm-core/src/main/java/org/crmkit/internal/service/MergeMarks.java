package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;

/**
 * The marks a merge leaves in the change log, beside the field changes: the entry that soft-deletes a merged record
 * holds {@value #MERGED_INTO} (null to the survivor's id), the survivor's entry {@value #MERGED_FROM} (null to the
 * list of merged ids). Both names are reserved field names. A timeline shows a mark only with the ids its reader may
 * know (records of the type in the reader's scope); a mark left with no id is dropped.
 */
final class MergeMarks {
    static final String MERGED_INTO = "merged_into";
    static final String MERGED_FROM = "merged_from";

    private MergeMarks() {}

    static boolean isMark(String field) {
        return field.equals(MERGED_INTO) || field.equals(MERGED_FROM);
    }

    /**
     * {@code shown} (an entry as {@link VisibleChanges} keeps it) with the merge marks of {@code original} put back,
     * each holding only the ids {@code known} accepts.
     */
    static ChangeLogEntry withMarks(ChangeLogEntry original, ChangeLogEntry shown, Predicate<UUID> known) {
        List<FieldChange> marks = new ArrayList<>();
        for (FieldChange c : original.changes()) {
            if (c.field().equals(MERGED_INTO) && c.newValue() instanceof UUID survivor && known.test(survivor)) {
                marks.add(c);
            } else if (c.field().equals(MERGED_FROM) && c.newValue() instanceof List<?> ids) {
                List<UUID> kept = ids.stream().filter(UUID.class::isInstance).map(UUID.class::cast).filter(known)
                        .toList();
                if (!kept.isEmpty()) {
                    marks.add(new FieldChange(MERGED_FROM, null, kept));
                }
            }
        }
        if (marks.isEmpty()) {
            return shown;
        }
        List<FieldChange> changes = new ArrayList<>(shown.changes());
        changes.addAll(marks);
        return new ChangeLogEntry(shown.sequence(), shown.at(), shown.principalId(), shown.objectType(),
                shown.recordId(), shown.operation(), shown.version(), changes, shown.transactionId());
    }
}
