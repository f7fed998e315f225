package org.crmkit.storage.jdbc.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.storage.spi.PrivacyStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.impl.DSL;

/**
 * The privacy extension on SQL: searches {@code crmkit_change_log.changes_json} and the job table's payload and
 * last error with a case-insensitive {@code LIKE} (jOOQ's {@code containsIgnoreCase}, which escapes the text), rewrites
 * those columns in place, and deletes old change-log rows within a sequence window (a range of the primary key). The
 * lock is the {@code crmkit_counter} row {@value #LOCK}, raised and so locked until the transaction ends.
 */
public final class JdbcPrivacy implements PrivacyStore {
    static final String LOCK = "crmkit_privacy";

    private final JdbcStore store;
    private final JdbcJobQueue jobs;
    private final SystemTables sys;
    private final JobTables t;

    public JdbcPrivacy(JdbcStore store, JdbcJobQueue jobs) {
        this.store = store;
        this.jobs = jobs;
        this.sys = store.sys();
        this.t = new JobTables(store.naming());
    }

    private DSLContext in(StorageTransaction transaction) {
        return JdbcJobQueue.joined(store, transaction);
    }

    private static Condition holdsOneOf(Field<String> column, Collection<String> texts) {
        return DSL.or(texts.stream().map(column::containsIgnoreCase).toList());
    }

    @Override
    public void lock(StorageTransaction transaction) {
        jobs.next(in(transaction), LOCK);
    }

    @Override
    public List<ChangeLogEntry> changesMentioning(Collection<String> texts, long afterSequence, int limit) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return store.read("searching the change log", dsl -> dsl.select(store.changeLogFields())
                .from(sys.changeLog).where(sys.seq.gt(afterSequence)).and(holdsOneOf(sys.changesJson, texts))
                .orderBy(sys.seq.asc()).limit(limit).fetch(store::entry));
    }

    @Override
    public void rewriteChanges(StorageTransaction transaction, Map<Long, List<FieldChange>> changes) {
        if (changes.isEmpty()) {
            return;
        }
        DSLContext d = in(transaction);
        store.errors().mapping("redacting the change log", () -> {
            List<Query> updates = new ArrayList<>();
            changes.forEach((seq, c) -> updates.add(d.update(sys.changeLog)
                    .set(sys.changesJson, store.json().writeChanges(c)).where(sys.seq.eq(seq))));
            return d.batch(updates).execute();
        });
    }

    @Override
    public List<Long> pruneChanges(StorageTransaction transaction, String objectType, Instant before,
            long afterSequence, long throughSequence) {
        DSLContext d = in(transaction);
        return store.errors().mapping("pruning the change log", () -> {
            Condition doomed = sys.seq.gt(afterSequence).and(sys.seq.le(throughSequence))
                    .and(sys.objectType.eq(objectType))
                    .and(sys.occurredAt.lt(Objects.requireNonNull(RecordTable.utc(before))));
            // read, then delete, in the window the privacy lock holds: the engine marks the seals of these
            List<Long> seqs = d.select(sys.seq).from(sys.changeLog).where(doomed).orderBy(sys.seq).fetch(sys.seq);
            if (!seqs.isEmpty()) {
                d.deleteFrom(sys.changeLog).where(doomed).and(sys.seq.le(seqs.get(seqs.size() - 1))).execute();
            }
            return seqs;
        });
    }

    @Override
    public List<JobText> jobsMentioning(Collection<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return store.read("searching the job queue", dsl -> dsl.select(t.id, t.payload, t.lastError).from(t.job)
                .where(holdsOneOf(t.payload, texts).or(holdsOneOf(t.lastError, texts)))
                .fetch(r -> new JobText(r.get(t.id), r.get(t.payload), r.get(t.lastError))));
    }

    @Override
    public void rewriteJobs(StorageTransaction transaction, List<JobText> texts) {
        if (texts.isEmpty()) {
            return;
        }
        DSLContext d = in(transaction);
        store.errors().mapping("redacting the job queue", () -> {
            List<Query> updates = new ArrayList<>();
            for (JobText j : texts) {
                updates.add(d.update(t.job).set(t.payload, j.payload()).set(t.lastError, j.lastError())
                        .where(t.id.eq(j.id())));
            }
            return d.batch(updates).execute();
        });
    }
}
