package org.crmkit.storage.jdbc.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Versioned documents on SQL ({@code crmkit_document}, {@code crmkit_document_history}). A save first takes the
 * kind's revision counter ({@code crmkit_counter} row {@code document:<kind>}), which serialises the saves of a kind
 * across nodes until commit, then checks the document's version under that lock.
 */
public final class JdbcDocuments implements DocumentStore {
    private final JdbcStore store;
    private final JdbcJobQueue jobs;
    private final JobTables t;

    public JdbcDocuments(JdbcStore store, JdbcJobQueue jobs) {
        this.store = store;
        this.jobs = jobs;
        this.t = jobs.t;
    }

    @Override
    public StoredDocument save(StorageTransaction transaction, String kind, String name, long expectedVersion,
            @Nullable String body, String principalId, Instant at) {
        DSLContext d = JdbcJobQueue.joined(store, transaction);
        long revision = jobs.next(d, "document:" + kind);
        try {
            Long stored = d.select(t.docVersion).from(t.document).where(t.docKind.eq(kind)).and(t.docName.eq(name))
                    .fetchOptional(t.docVersion).orElse(0L);
            if (stored != expectedVersion) {
                throw new CrmException(ErrorCode.CONFLICT, kind + " " + name + " is at version " + stored
                        + ", not the expected version " + expectedVersion);
            }
            long version = expectedVersion + 1;
            var when = RecordTable.utc(at);
            if (expectedVersion == 0) {
                d.insertInto(t.document, t.docKind, t.docName, t.docVersion, t.docRevision, t.docBody, t.docPrincipal,
                        t.docSavedAt).values(kind, name, version, revision, body, principalId, when).execute();
            } else {
                d.update(t.document).set(t.docVersion, version).set(t.docRevision, revision).set(t.docBody, body)
                        .set(t.docPrincipal, principalId).set(t.docSavedAt, when).where(t.docKind.eq(kind))
                        .and(t.docName.eq(name)).execute();
            }
            d.insertInto(t.documentHistory, t.docKind, t.docRevision, t.docName, t.docVersion, t.docBody,
                    t.docPrincipal, t.docSavedAt).values(kind, revision, name, version, body, principalId, when)
                    .execute();
            return new StoredDocument(kind, name, version, revision, body, principalId, at);
        } catch (CrmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw store.errors().map(e, null, null, "saving " + kind + " " + name);
        }
    }

    private List<org.jooq.Field<?>> columns() {
        return List.of(t.docKind, t.docName, t.docVersion, t.docRevision, t.docBody, t.docPrincipal, t.docSavedAt);
    }

    private StoredDocument doc(org.jooq.Record r) {
        return new StoredDocument(r.get(t.docKind), r.get(t.docName), r.get(t.docVersion), r.get(t.docRevision),
                r.get(t.docBody), r.get(t.docPrincipal), RecordTable.requiredInstant(r.get(t.docSavedAt)));
    }

    @Override
    public List<StoredDocument> list(String kind) {
        return store.read("listing " + kind, d -> d.select(columns()).from(t.document).where(t.docKind.eq(kind))
                .and(t.docBody.isNotNull()).orderBy(t.docName).fetch(this::doc));
    }

    @Override
    public Optional<StoredDocument> find(String kind, String name) {
        return store.read("reading " + kind + " " + name, d -> d.select(columns()).from(t.document)
                .where(t.docKind.eq(kind)).and(t.docName.eq(name)).and(t.docBody.isNotNull()).fetchOptional(this::doc));
    }

    @Override
    public List<StoredDocument> history(String kind, String name) {
        return store.read("reading the history of " + kind + " " + name, d -> d.select(columns())
                .from(t.documentHistory).where(t.docKind.eq(kind)).and(t.docName.eq(name)).orderBy(t.docVersion)
                .fetch(this::doc));
    }

    @Override
    public long revision(String kind) {
        return store.read("reading the revision of " + kind, d -> d.select(t.counterValue).from(t.counter)
                .where(t.counterName.eq("document:" + kind)).fetchOptional(t.counterValue).orElse(0L));
    }

    /**
     * The statement of {@link #committedVersions} for one list of kinds, rendered once (it runs per operation), with
     * the counter names it binds.
     */
    private record VersionsRead(List<String> kinds, Object[] names, RenderedStatement statement) {}

    private volatile @Nullable VersionsRead versionsRead;

    /**
     * The committed schema version ({@code max(version)} of the schema history, one lookup in its primary key) and
     * the revisions of {@code kinds}, in one statement. It runs before every operation, so jOOQ renders it once per
     * list of kinds ({@link RenderedStatement}; rendering it each time was a fifth of an operation's own CPU).
     */
    org.crmkit.storage.spi.CommittedVersions committedVersions(java.util.Collection<String> kinds) {
        java.util.Map<String, Long> revisions = new java.util.LinkedHashMap<>();
        kinds.forEach(k -> revisions.put(k, 0L));
        long[] schemaVersion = {0};
        store.read("reading the schema version and the document revisions", d -> {
            VersionsRead held = versionsRead(d, kinds);
            return d.connectionResult(c -> held.statement().rows(c, row -> {
                String name = row.getString(1);
                long value = row.getLong(2);
                if (name.equals(SCHEMA_ROW)) {
                    schemaVersion[0] = value; // 0 (getLong of a null max) before the first schema
                } else {
                    revisions.put(name.substring("document:".length()), value);
                }
                return name;
            }, held.names()));
        });
        return new org.crmkit.storage.spi.CommittedVersions(schemaVersion[0], revisions);
    }

    /** The name of the row holding the schema version in {@link #committedVersions}' result. */
    private static final String SCHEMA_ROW = "schema";

    /** The read for {@code kinds}: the one held while callers ask for the same kinds (its one caller always does). */
    private VersionsRead versionsRead(DSLContext d, java.util.Collection<String> kinds) {
        VersionsRead held = versionsRead;
        if (held == null || !held.kinds().equals(kinds)) {
            List<String> names = kinds.stream().map(k -> "document:" + k).toList();
            SystemTables sys = store.sys();
            var query = d.select(DSL.inline(SCHEMA_ROW, String.class).as("name"),
                    DSL.max(sys.schemaVersion).as("value")).from(sys.schemaHistory)
                    .unionAll(DSL.select(t.counterName, t.counterValue).from(t.counter)
                            .where(t.counterName.in(names)));
            held = new VersionsRead(List.copyOf(kinds), names.toArray(), new RenderedStatement(d, query, names));
            versionsRead = held;
        }
        return held;
    }

    @Override
    public java.util.Map<String, Long> revisions(java.util.Collection<String> kinds) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        kinds.forEach(k -> out.put(k, 0L));
        List<String> names = kinds.stream().map(k -> "document:" + k).toList();
        store.read("reading the revisions of " + kinds, d -> d.select(t.counterName, t.counterValue).from(t.counter)
                .where(t.counterName.in(names)).fetch()).forEach(r -> out.put(
                        r.get(t.counterName).substring("document:".length()), r.get(t.counterValue)));
        return out;
    }
}
