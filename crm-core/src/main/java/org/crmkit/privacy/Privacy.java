package org.crmkit.privacy;

import java.io.OutputStream;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Data-protection operations ({@link org.crmkit.CrmSession#privacy()}): access to (GDPR Art. 15) and erasure of
 * (Art. 17) everything held about a person, a record of erasures (Art. 30), and retention of the change log.
 *
 * <p><b>Who may.</b> Every method needs {@link org.crmkit.security.AdminPermission#MANAGE_PRIVACY} ({@code Role.ADMIN}
 * and {@code Principal.SYSTEM} have it); without it each throws {@link org.crmkit.error.AccessDeniedException}
 * before reading anything. The answers are complete whatever the caller's field access and record scope (a data
 * subject's copy must be), which is why the permission is needed; give it to the data-protection officer, not to
 * users.
 *
 * <p><b>What is about the person</b> ({@link SubjectData}): the records named by id; records of every type but
 * {@code company} whose email or phone fields (standard or custom) hold one of the subject's emails or phones; and
 * the activities and tasks whose {@code contact} or {@code lead} is one of those, as Salesforce deletes a contact's
 * tasks and events with it. A company is an organisation, not a person: a company field holding the person's phone
 * or email is emptied, the company kept. Records of other people or organisations that only point at the person (a
 * deal's contact) are kept and the reference cleared, as a purge clears it. Values are only matched whole, in their
 * stored form: free text that quotes an address elsewhere (a note on another record) is not searched.
 *
 * <p><b>Storage.</b> {@link #find} and {@link #export} work on every storage. {@link #erase}, {@link #prune},
 * {@link #erasures} and the retention settings need a storage that keeps the privacy extension and documents (the
 * in-memory and JDBC storages do); elsewhere they throw {@link org.crmkit.error.UnsupportedFeatureException} with
 * feature {@code PRIVACY}.
 */
public interface Privacy {
    /**
     * Everything held about the subject. An empty subject, or a malformed email or phone, is a
     * {@link org.crmkit.error.ValidationException} naming {@code subject}, {@code email} or {@code phone}; ids of no
     * record are simply not found.
     */
    SubjectData find(Subject subject);

    /**
     * {@link #find} as one JSON document (UTF-8 for a stream; the target is flushed, not closed): {@code subject}
     * (identifiers), {@code records} (every field, typed as the record exports type them), {@code history} and
     * {@code mentions} (change-log entries with old and new values), {@code cleared} and {@code references}. A
     * failing target is an {@link java.io.UncheckedIOException}.
     */
    void export(Subject subject, Writer out);

    /** {@link #export(Subject, Writer)} onto a stream, as UTF-8. */
    void export(Subject subject, OutputStream out);

    /**
     * Erases the subject, in one transaction: purges its records through the engine's purge (references to them
     * cleared, roll-ups, summaries and caches kept right, their change-log entries written with no values), empties
     * the fields of kept records that held its values, redacts the values of every email and phone of the subject
     * and its records from every change-log entry (all values of the records' own entries), from workflow job
     * payloads and errors, and records the erasure ({@link Erasure}, nothing about whom). After the commit it drops
     * report summaries that still mention a value and waits (up to 30 s) for this node's search index to apply the
     * purge and rewrite its files without the documents. Erasures run one at a time across nodes. A subject that
     * names nothing held is erased all the same (an empty erasure is recorded).
     */
    Erasure erase(Subject subject);

    /** The record of every erasure, oldest first. */
    List<Erasure> erasures();

    /**
     * Sets how long change-log entries of {@code objectType} are kept before {@link #prune} deletes them; null keeps
     * them for ever (the default). Stored with the storage's documents, with who changed it and when. An unknown
     * type is a {@link org.crmkit.error.SchemaException}; an age that is not positive a
     * {@link org.crmkit.error.ValidationException} on {@code maxAge}.
     */
    void retain(String objectType, @Nullable Duration maxAge);

    /** The retention period of each type that has one. */
    Map<String, Duration> retention();

    /**
     * Deletes the change-log entries older than their type's retention period, oldest first, in transactions of at
     * most 10,000 sequences. The newest entry of the log is always kept, so the log's last sequence never goes back:
     * consumers that follow the log by sequence (search indexes, feeds) go on from where they are. Timelines and
     * field history lose what was pruned. Call it from a scheduled job (a workflow schedule rule, or the host's
     * scheduler).
     */
    Pruning prune();
}
