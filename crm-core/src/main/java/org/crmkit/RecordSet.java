package org.crmkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.annotations.Incubating;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.TimelinePage;
import org.crmkit.event.TimelineQuery;
import org.crmkit.merge.FieldChoices;
import org.crmkit.merge.MergeResult;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;

/**
 * The records of one object type as seen by one session's principal. Writes take plain maps of field API name
 * to value (see {@link org.crmkit.schema.FieldType} for what each type accepts); a value of null or blank text
 * clears a field. Every write is validated completely: all problems come back at once in a
 * {@link org.crmkit.error.ValidationException}, and nothing is written. Records outside the principal's
 * scope behave exactly as missing ones.
 */
public interface RecordSet {
    /** The object type's API name. */
    String objectType();

    /**
     * Creates a record; {@code owner} and {@code team} may be given only with the TRANSFER permission. When the type's
     * duplicate rules are in {@link org.crmkit.duplicate.DuplicateMode#BLOCK} mode and the record would duplicate
     * records the principal may see, throws {@link org.crmkit.duplicate.DuplicateException} and writes nothing; in
     * WARN mode it does not check (use {@link #createChecked}).
     */
    Record create(Map<String, ?> values);

    /**
     * {@link #create}, returning with the record the duplicates found in
     * {@link org.crmkit.duplicate.DuplicateMode#WARN} mode (the write succeeds all the same); in OFF mode the list is
     * empty, in BLOCK mode a duplicate throws as {@code create} does.
     */
    org.crmkit.duplicate.CheckedWrite createChecked(Map<String, ?> values);

    /**
     * The records the principal may see that duplicate {@code values} (field to value, as a create takes them; fields
     * outside the duplicate rules are ignored) under the type's duplicate rules, whatever their mode: best first, at
     * most 20, each with its score and the fields that matched. Fields hidden from the principal are not used for
     * their matching at all (they neither add to a score nor show as matched). Uses the search engine when one is
     * installed (what it has indexed), the storage otherwise. Empty for a type without rules. Needs READ; a value a
     * create would refuse (a malformed phone, say) is a {@link org.crmkit.error.ValidationException}.
     */
    java.util.List<org.crmkit.duplicate.DuplicateCandidate> findDuplicates(Map<String, ?> values);

    /**
     * Creates a record from each row, in batches: {@link #importRecords(String, Iterable, ImportOptions)} with
     * {@link ImportOptions#defaults()}.
     */
    default ImportResult importRecords(String importId, Iterable<? extends Map<String, ?>> rows) {
        return importRecords(importId, rows, ImportOptions.defaults());
    }

    /**
     * Creates a record from each row, as {@link #create} would (same conversion, defaults, validation, record
     * rules and access checks), committing {@link ImportOptions#batchSize()} rows per transaction; listeners hear
     * of each batch after it commits. A row that {@code create} would refuse is reported in
     * {@link ImportResult#errors()} under its row number (from 1, in iteration order) and not written; the other
     * rows are written all the same, also when a row of their batch repeats a unique value (that row alone is
     * reported, {@code NOT_UNIQUE}).
     *
     * <p>{@code importId} (1 to 100 characters, no control characters) names the import: the storage records which
     * rows each batch created, so running it again with the same id (after a failure, say) skips the rows
     * already created and returns their ids in {@link ImportResult#skippedIds()}. An import id belongs to the
     * principal and the object type that used it: the same id used by another principal, or by this one for another
     * type, is another import, whose ledger is neither read nor skipped. Rows are matched by number only: a skipped
     * row's values are not looked at.
     * Two runs of one import at once create each row once (the later commit re-reads what the other created and
     * skips it); a {@link org.crmkit.error.ConflictException} escapes only if it loses that race twice in one
     * batch. That, or a failure of the storage or of {@code rows}, ends the import with the exception; the
     * batches committed before it stay, and running the import again finishes it.
     *
     * <p>{@link ImportOptions#dryRun()} checks every row and writes nothing (see {@link ImportResult});
     * {@link ImportOptions#progress()} is told after each batch, with that batch's errors. For CSV files see
     * {@link CrmSession#csvImport(String)}.
     *
     * <p>A reference field takes record ids, unless {@link ImportOptions#references()} says rows name the record by a
     * unique field of its type ({@link org.crmkit.record.ReferenceLookup}: a company by its ERP number, say), looked
     * up per batch as the caller sees the records; an unknown key is a row error ({@code INVALID_REFERENCE}), or,
     * with {@code createMissing}, the record is created once per key in the batch's transaction, from the key and
     * the row's {@code <reference>.<field>} columns.
     *
     * <p>Needs the CREATE permission ({@link org.crmkit.error.AccessDeniedException} before anything is read).
     * Bad arguments (null, an import id or options out of range) are a {@link org.crmkit.error.ValidationException}
     * naming each of them. Cannot run inside {@link CrmSession#inTransaction} ({@link IllegalStateException}): it
     * commits batch by batch.
     */
    ImportResult importRecords(String importId, Iterable<? extends Map<String, ?>> rows, ImportOptions options);

    /**
     * Creates or updates a record from each row by its key: {@link #upsert(String, Iterable, ImportOptions)} with
     * {@link ImportOptions#defaults()}.
     */
    default org.crmkit.record.UpsertResult upsert(String keyField, Iterable<? extends Map<String, ?>> rows) {
        return upsert(keyField, rows, ImportOptions.defaults());
    }

    /**
     * Creates or updates a record from each row by the value of {@code keyField}, a unique field such as an
     * external id ({@link org.crmkit.schema.Field#externalId}): the live record in the principal's scope holding
     * the row's key (converted as the field converts values) is updated with the row's values, as {@link #update}
     * would (fields the row leaves out keep their values, null clears); without one a record is created, as
     * {@link #create} would. Rows are applied in order, {@link ImportOptions#batchSize()} per transaction, so a key
     * given twice creates the record once and then updates it. A row without a key, or that the create or update
     * would refuse, is reported in {@link org.crmkit.record.UpsertResult#errors()} and not written; the other rows
     * are written all the same. A record holding the key that the principal cannot see, or a soft-deleted one (it
     * keeps its unique values), is not matched: the row is reported {@code NOT_UNIQUE} on the key, as a create
     * would be; restore or purge a deleted one first. Two upserts of one key at once
     * create it once (the later one finds it and updates it); a {@link org.crmkit.error.ConflictException}
     * escapes only if a row loses the race for one record twice. The batches committed before it stay. Reference
     * fields resolve as in {@link #importRecords(String, Iterable, ImportOptions)}
     * ({@link ImportOptions#references()}).
     *
     * <p>Needs the CREATE and UPDATE permissions ({@link org.crmkit.error.AccessDeniedException} before anything
     * is read). A key field that is not a unique field of the type the principal may read and write, and bad
     * arguments, are a {@link org.crmkit.error.ValidationException} naming each. Cannot run inside
     * {@link CrmSession#inTransaction} ({@link IllegalStateException}): it commits batch by batch.
     */
    default org.crmkit.record.UpsertResult upsert(String keyField, Iterable<? extends Map<String, ?>> rows,
            ImportOptions options) {
        throw new UnsupportedOperationException("upsert is not supported by " + getClass().getName());
    }

    /**
     * The live record; throws {@link org.crmkit.error.NotFoundException}, or for a record merged into another its
     * subclass {@link org.crmkit.error.RecordMergedException} naming the survivor ({@link #merge}).
     */
    Record get(UUID id);

    /** The live record, if it exists and the principal may see it. */
    Optional<Record> find(UUID id);

    /**
     * Changes the given fields of a record at {@code expectedVersion}; throws
     * {@link org.crmkit.error.ConflictException} when the record has moved on. A write that changes nothing
     * returns the record as it is, without a new version.
     */
    Record update(UUID id, long expectedVersion, Map<String, ?> changes);

    /**
     * {@link #update(UUID, long, Map)}, returning with the record the duplicates found in
     * {@link org.crmkit.duplicate.DuplicateMode#WARN} mode when the update changes a field of the duplicate rules.
     * Plain {@code update} checks only in BLOCK mode (throwing {@link org.crmkit.duplicate.DuplicateException}).
     */
    org.crmkit.duplicate.CheckedWrite updateChecked(UUID id, long expectedVersion, Map<String, ?> changes);

    /** {@link #update(UUID, long, Map)} at the version of {@code record}. */
    default Record update(Record record, Map<String, ?> changes) {
        return update(record.id(), record.version(), changes);
    }

    /** Soft-deletes a record; it can be restored and is still listed with {@link Query.Deleted#ONLY}. */
    Record delete(UUID id, long expectedVersion);

    /** Restores a soft-deleted record. */
    Record restore(UUID id, long expectedVersion);

    /**
     * Removes a record for good. References to it from other records are cleared (each such record gets a new
     * version and a change-log entry); the change log keeps its history.
     */
    void purge(UUID id);

    Page<Record> query(Query query);

    /** The first page of records matching {@code filter}, in id (creation) order. */
    default Page<Record> query(Filter filter) {
        return query(Query.where(filter));
    }

    long count(Filter filter);

    List<AggregateRow> aggregate(Aggregation aggregation, Filter filter);

    /** Searches this type only: {@code session.search(SearchQuery.of(text).types(objectType()))}. */
    @Incubating
    org.crmkit.search.SearchResult search(String text);

    /**
     * The record's history from the change log, oldest first, as the principal may see it: each entry holds only
     * {@code owner}, {@code team} and the fields that exist and the principal can read now; an update that changed
     * none of those is left out (deletes, restores and the create are always there). Throws
     * {@link org.crmkit.error.NotFoundException} for a record that is missing or outside the principal's scope now.
     */
    List<ChangeLogEntry> timeline(UUID id);

    /**
     * A page of the record's timeline: its own change-log entries, or with {@link TimelineQuery#includeRelated()} also
     * those of its related records (the records that reference it, such as the contacts, deals, activities and tasks
     * of a company, and the records that reference those, such as the activities of its contacts and deals), merged
     * in commit order, oldest or newest first, paged by a signed cursor. Access applies to every record as in
     * {@link #timeline(UUID)}: a related record is included only through reference fields the principal can see,
     * when its type is readable and it is in the principal's scope, and each entry holds only what the principal may
     * see of its type. A merge shows as {@code merged_from} (the survivor's update) and {@code merged_into} (the
     * merged record's delete), naming only records in the principal's scope. Throws
     * {@link org.crmkit.error.NotFoundException} as {@link #timeline(UUID)} does, and a
     * {@link org.crmkit.error.ValidationException} for a page size out of range ({@code limit}), a related-record
     * limit out of range ({@code maxRelated}) or a cursor of another timeline or principal ({@code cursor}). A
     * roll-up covers at most {@link TimelineQuery#maxRelated()} related records, the nearest first;
     * {@link TimelinePage#relatedTruncated()} says when the record has more.
     */
    TimelinePage timeline(UUID id, TimelineQuery query);

    /**
     * Merges {@code others} into the record {@code survivorId}, all of this type, in one transaction: the survivor's
     * fields take the values {@code choices} names and otherwise keep the survivor's, or, where that is empty, the
     * first non-empty value of the others in the order given (see {@link FieldChoices}); the result is validated as
     * an update is (required fields, references, record rules), all problems together. Every reference and
     * relation of every type that points at one of the others, custom types and soft-deleted records included, is
     * re-pointed to the survivor (so activities, tasks, deals and contacts move with them); the others are
     * soft-deleted and linked to the survivor: {@link #get} on one of them throws
     * {@link org.crmkit.error.RecordMergedException} naming the survivor (for a principal who may see both).
     * Restoring a merged record makes it live again and drops its link; its references stay with the survivor.
     *
     * <p>All of it is one change-log transaction: an update of the survivor (with {@code merged_from}), a delete of
     * each merged record (with {@code merged_into}), an update of each re-pointed record. A concurrent change to
     * any record involved makes the merge fail with {@link org.crmkit.error.ConflictException}, with nothing
     * written. Needs the UPDATE and DELETE permissions; every record merged must be live and in the principal's
     * scope ({@link org.crmkit.error.NotFoundException}; for one already merged, the
     * {@link org.crmkit.error.RecordMergedException}); 1 to 100 others, none named twice nor the survivor
     * ({@link org.crmkit.error.ValidationException} on {@code others}). Storages without the optional feature
     * {@code MERGE_LINKS} refuse it ({@link org.crmkit.error.UnsupportedFeatureException}).
     */
    MergeResult merge(UUID survivorId, List<UUID> others, FieldChoices choices);

    /** {@link #merge(UUID, List, FieldChoices)} with {@link FieldChoices#defaults()}. */
    default MergeResult merge(UUID survivorId, List<UUID> others) {
        return merge(survivorId, others, FieldChoices.defaults());
    }
}
