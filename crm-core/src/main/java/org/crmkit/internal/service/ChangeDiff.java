package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.crmkit.event.FieldChange;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/** What changed between two versions of a record, as the field changes of its change-log entry. */
final class ChangeDiff {
    private ChangeDiff() {}

    /** The field changes between two versions of a record (before null: a create), owner and team included. */
    static List<FieldChange> between(@Nullable Record before, Record after) {
        List<FieldChange> out = new ArrayList<>();
        Map<String, Object> old = before == null ? Map.of() : before.values();
        Set<String> names = new TreeSet<>(old.keySet());
        names.addAll(after.values().keySet());
        for (String n : names) {
            Object a = old.get(n);
            Object b = after.values().get(n);
            if (!Objects.equals(a, b)) {
                out.add(new FieldChange(n, a, b));
            }
        }
        if (before == null || !before.owner().equals(after.owner())) {
            out.add(new FieldChange("owner", before == null ? null : before.owner(), after.owner()));
        }
        if (before == null ? after.team() != null : !Objects.equals(before.team(), after.team())) {
            out.add(new FieldChange("team", before == null ? null : before.team(), after.team()));
        }
        return out;
    }

    /** Every value of a purged record, each going to null, by field name. */
    static List<FieldChange> removed(Record r) {
        List<FieldChange> removed = new ArrayList<>();
        r.values().forEach((k, v) -> removed.add(new FieldChange(k, v, null)));
        return removed.stream().sorted(Comparator.comparing(FieldChange::field)).toList();
    }
}
