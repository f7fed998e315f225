package org.crmkit.internal.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.privacy.Erasure;
import org.crmkit.privacy.RecordField;
import org.crmkit.record.Record;
import org.crmkit.report.ReportDefinition;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.PrivacyStore;
import org.crmkit.storage.spi.SummaryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One erasure ({@code Privacy.erase}). In one transaction, under the storage's privacy lock: finds the records
 * ({@link SubjectFinder}), empties the organisation fields holding the person's values, purges the records through
 * {@link RecordPurge} (references cleared, roll-ups, summaries and caches kept right) with their entries written
 * without values, redacts the committed change-log entries of the records (every value) and of other records (the
 * person's values), redacts the job rows, and records the erasure. After the commit: drops report summaries that
 * still hold a value, and waits for this node's search index to expunge the purged documents.
 */
final class SubjectErasure {
    private static final Logger LOG = LoggerFactory.getLogger(SubjectErasure.class);
    /** How long an erasure waits for this node's search index. */
    static final Duration SEARCH_WAIT = Duration.ofSeconds(30);
    /** Change-log entries read per call. */
    private static final int CHUNK = 1000;

    private final CrmEngine engine;
    private final PrivacyStore privacy;
    private final DocumentStore documents;
    private final PrivacyDocuments json = new PrivacyDocuments();

    SubjectErasure(CrmEngine engine, PrivacyStore privacy, DocumentStore documents) {
        this.engine = engine;
        this.privacy = privacy;
        this.documents = documents;
    }

    /** What the transaction did. */
    private record Done(Erasure erasure, SubjectRedaction redaction) {}

    Erasure erase(SubjectFinder.Identifiers given, Principal caller) {
        UUID id = UUID.randomUUID();
        // the system's rights under the caller's id: records, entries and documents name who erased
        Principal actor = new Principal(caller.id(), caller.roles(), caller.teams(), true);
        Done done = engine.transaction(tx -> {
            privacy.lock(tx.storage);
            Instant at = engine.clock.instant();
            SchemaSnapshot schema = engine.schema.compiled().snapshot;
            SubjectFinder.Found found = new SubjectFinder(tx.storage, schema).find(given);
            SubjectRedaction redaction = new SubjectRedaction(values(schema, found));
            Session session = new Session(engine, actor, tx);
            Set<UUID> erased = found.records().keySet();
            java.util.function.UnaryOperator<ChangeLogEntry> logged = e -> erased.contains(e.recordId())
                    ? SubjectRedaction.blank(e) : redaction.redact(e);
            int cleared = clearValues(tx, session, found.cleared(), logged);
            Map<String, Integer> counts = new TreeMap<>();
            for (Record stale : found.records().values()) {
                Optional<Record> now = tx.storage.find(stale.type(), stale.id());
                if (now.isEmpty()) {
                    continue;
                }
                RecordContext ctx = new RecordContext(session, stale.type());
                new RecordPurge(ctx, new RecordStamps(ctx)).purgeIn(tx, now.get(), logged);
                counts.merge(stale.type(), 1, Integer::sum);
            }
            int changes = redactChanges(tx, found.records(), redaction);
            int jobs = redactJobs(tx, redaction);
            Erasure erasure = new Erasure(id, at, caller.id(), counts, cleared, found.references().size(), changes,
                    jobs, 0, false);
            documents.save(tx.storage, PrivacyDocuments.ERASURE_KIND, id.toString(), 0, json.erasureJson(erasure),
                    caller.id(), at);
            return new Done(erasure, redaction);
        });
        int dropped = dropSummaries(done.redaction());
        boolean expunged = expungeSearch();
        Erasure e = done.erasure();
        Erasure complete = new Erasure(e.id(), e.at(), e.principalId(), e.recordsErased(), e.valuesCleared(),
                e.referencesCleared(), e.changesRedacted(), e.jobsRedacted(), dropped, expunged);
        engine.transaction(tx -> documents.save(tx.storage, PrivacyDocuments.ERASURE_KIND, id.toString(), 1,
                json.erasureJson(complete), caller.id(), engine.clock.instant()));
        LOG.info("erasure {} by {}: {} records purged, {} change-log entries and {} jobs redacted", id, caller.id(),
                complete.records(), complete.changesRedacted(), complete.jobsRedacted());
        return complete;
    }

    /** The person's values: current ones, and the emails and phones their records had before. */
    static Set<String> values(SchemaSnapshot schema, SubjectFinder.Found found, CrmEngine engine) {
        Map<UUID, String> types = new LinkedHashMap<>();
        found.records().values().forEach(r -> types.put(r.id(), r.type()));
        Set<String> out = new java.util.LinkedHashSet<>(found.values());
        if (!types.isEmpty()) {
            out.addAll(SubjectFinder.pastValues(schema, engine.storage.changesOf(types)));
        }
        return out;
    }

    private Set<String> values(SchemaSnapshot schema, SubjectFinder.Found found) {
        return values(schema, found, engine);
    }

    /** Empties the email and phone fields of records kept that hold the person's values, each change logged without them. */
    private int clearValues(Tx tx, Session session, List<RecordField> fields,
            java.util.function.UnaryOperator<ChangeLogEntry> logged) {
        Map<UUID, List<RecordField>> byRecord = new LinkedHashMap<>();
        fields.forEach(f -> byRecord.computeIfAbsent(f.recordId(), k -> new ArrayList<>()).add(f));
        int cleared = 0;
        for (List<RecordField> of : byRecord.values()) {
            RecordField first = of.get(0);
            Record r = tx.storage.find(first.objectType(), first.recordId()).orElse(null);
            if (r == null) {
                continue;
            }
            Map<String, Object> values = new HashMap<>(r.values());
            of.forEach(f -> values.remove(f.field()));
            RecordStamps stamps = new RecordStamps(new RecordContext(session, r.type()));
            Record after = stamps.next(r, values, r.owner(), r.team());
            tx.update(after, r);
            tx.saw(after);
            tx.log(logged.apply(stamps.entry(tx, after, Operation.UPDATE, ChangeDiff.between(r, after))));
            cleared += of.size();
        }
        return cleared;
    }

    /**
     * Rewrites the committed entries of the erased records without values, and the other entries that mention a
     * value without it. Returns how many entries changed.
     */
    private int redactChanges(Tx tx, Map<UUID, Record> erased, SubjectRedaction redaction) {
        Map<Long, List<FieldChange>> rewrites = new LinkedHashMap<>();
        List<ChangeLogEntry> rewritten = new java.util.ArrayList<>();
        Map<UUID, String> types = new LinkedHashMap<>();
        erased.values().forEach(r -> types.put(r.id(), r.type()));
        for (ChangeLogEntry e : types.isEmpty() ? List.<ChangeLogEntry>of() : engine.storage.changesOf(types)) {
            List<FieldChange> blank = SubjectRedaction.blank(e.changes());
            if (!blank.equals(e.changes())) {
                rewrites.put(e.sequence(), blank);
                rewritten.add(withChanges(e, blank));
            }
        }
        for (ChangeLogEntry e : mentions(engine, privacy, redaction)) {
            if (!erased.containsKey(e.recordId())) {
                List<FieldChange> redacted = redaction.redact(e.changes());
                if (!redacted.equals(e.changes())) {
                    rewrites.put(e.sequence(), redacted);
                    rewritten.add(withChanges(e, redacted));
                }
            }
        }
        if (!rewrites.isEmpty()) {
            privacy.rewriteChanges(tx.storage, rewrites);
            engine.chain.markRedacted(tx.storage, rewritten);
        }
        return rewrites.size();
    }

    private static ChangeLogEntry withChanges(ChangeLogEntry e, List<FieldChange> changes) {
        return new ChangeLogEntry(e.sequence(), e.at(), e.principalId(), e.objectType(), e.recordId(), e.operation(),
                e.version(), changes, e.transactionId());
    }

    /**
     * The committed entries whose values mention one of the redaction's values, checked one by one: through the
     * privacy store's search where there is one, else by reading the whole log.
     */
    static List<ChangeLogEntry> mentions(CrmEngine engine, @org.jspecify.annotations.Nullable PrivacyStore privacy,
            SubjectRedaction redaction) {
        List<ChangeLogEntry> out = new ArrayList<>();
        if (redaction.needles().isEmpty()) {
            return out;
        }
        long after = 0;
        while (true) {
            List<ChangeLogEntry> chunk = privacy != null
                    ? privacy.changesMentioning(redaction.searchTexts(), after, CHUNK)
                    : engine.storage.readChangeLog(after, CHUNK);
            if (chunk.isEmpty()) {
                return out;
            }
            for (ChangeLogEntry e : chunk) {
                if (redaction.mentions(e)) {
                    out.add(e);
                }
            }
            after = chunk.get(chunk.size() - 1).sequence();
        }
    }

    /** Redacts the job rows that mention a value; returns how many. */
    private int redactJobs(Tx tx, SubjectRedaction redaction) {
        if (redaction.needles().isEmpty()) {
            return 0;
        }
        List<PrivacyStore.JobText> changed = new ArrayList<>();
        for (PrivacyStore.JobText j : privacy.jobsMentioning(redaction.searchTexts())) {
            String error = j.lastError();
            PrivacyStore.JobText r = new PrivacyStore.JobText(j.id(), redaction.redactText(j.payload()),
                    error == null ? null : redaction.redactText(error));
            if (!r.equals(j)) {
                changed.add(r);
            }
        }
        if (!changed.isEmpty()) {
            privacy.rewriteJobs(tx.storage, changed);
        }
        return changed.size();
    }

    /**
     * Drops the committed summaries of summarised reports that still hold a value (the purge took the person's
     * records out of every group, so this only finds a value shared with records kept); such a report runs live
     * until it is rebuilt. Returns how many were dropped.
     */
    private int dropSummaries(SubjectRedaction redaction) {
        Optional<SummaryStore> store = engine.summaries.store();
        if (store.isEmpty() || redaction.needles().isEmpty()) {
            return 0;
        }
        int dropped = 0;
        for (ObjectType t : engine.schema.compiled().snapshot.types()) {
            for (ReportDefinition d : engine.summaries.on(t.name())) {
                Optional<SummaryStore.Stored> s = store.get().read(d.name());
                if (s.isPresent() && (redaction.mentions(s.get().header())
                        || s.get().rows().values().stream().anyMatch(redaction::mentions))) {
                    engine.summaries.drop(d.name());
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** Waits for this node's search index to apply the purge and expunge the documents from its files. */
    private boolean expungeSearch() {
        try {
            return engine.search.backend().expungeDeleted(engine.storage.lastSequence(), SEARCH_WAIT);
        } catch (RuntimeException e) {
            LOG.warn("the search index could not expunge erased documents now; it keeps them out of results and "
                    + "drops them from its files at its next merge", e);
            return false;
        }
    }
}
