package org.crmkit.privacy;

import java.util.List;
import java.util.Objects;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;

/**
 * Everything a {@code Crm} holds about a {@link Subject} ({@link Privacy#find}), whatever the caller's field access
 * or record scope: what {@link Privacy#export} writes as JSON and what {@link Privacy#erase} removes.
 *
 * @param identifiers the subject as searched: its emails (normal form) and phones (E.164), with the email and phone
 *                    values of the records it named by id, and those record ids
 * @param records     the records about the person, every field, soft-deleted ones too: those named by id, those of
 *                    any type but {@code company} with an email or phone field holding one of the identifiers, and
 *                    the activities and tasks whose {@code contact} or {@code lead} is one of them. Erasure purges
 *                    them.
 * @param cleared     fields of records that are not about the person (a company whose phone is the person's) that
 *                    hold one of the identifiers: erasure empties them and keeps the record
 * @param references  fields of other records (deals, companies, custom types) that reference one of the records:
 *                    erasure keeps those records and clears the reference, as a purge does
 * @param history     every change-log entry of the records, in sequence order
 * @param mentions    change-log entries of other records whose old or new values hold one of the identifiers (or an
 *                    email or phone of the records)
 */
public record SubjectData(Subject identifiers, List<Record> records, List<RecordField> cleared,
        List<RecordField> references, List<ChangeLogEntry> history, List<ChangeLogEntry> mentions) {
    public SubjectData {
        Objects.requireNonNull(identifiers, "identifiers");
        records = List.copyOf(records);
        cleared = List.copyOf(cleared);
        references = List.copyOf(references);
        history = List.copyOf(history);
        mentions = List.copyOf(mentions);
    }
}
