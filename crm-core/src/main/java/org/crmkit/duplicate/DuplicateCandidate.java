package org.crmkit.duplicate;

import java.util.List;
import java.util.Objects;
import org.crmkit.record.Record;

/**
 * An existing record that looks like the same thing as the values checked.
 *
 * @param record        the record as the caller may see it
 * @param score         from the rule's threshold to 1: the weighted similarity of the fields compared
 * @param matchedFields the fields whose values matched (similarity above 0), in rule order; only fields the caller
 *                      may see
 */
public record DuplicateCandidate(Record record, double score, List<String> matchedFields) {
    public DuplicateCandidate {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(matchedFields, "matchedFields");
        matchedFields = List.copyOf(matchedFields);
    }
}
