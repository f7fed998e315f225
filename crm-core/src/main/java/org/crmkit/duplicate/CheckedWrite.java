package org.crmkit.duplicate;

import java.util.List;
import java.util.Objects;
import org.crmkit.record.Record;

/**
 * What {@link org.crmkit.RecordSet#createChecked} or {@link org.crmkit.RecordSet#updateChecked} wrote, and the
 * possible duplicates found (in {@link DuplicateMode#WARN}; always empty in {@link DuplicateMode#OFF}).
 *
 * @param record     the record written, as the caller may see it
 * @param duplicates candidates the caller may see, best first
 */
public record CheckedWrite(Record record, List<DuplicateCandidate> duplicates) {
    public CheckedWrite {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(duplicates, "duplicates");
        duplicates = List.copyOf(duplicates);
    }
}
