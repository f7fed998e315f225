package org.crmkit.internal.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.crmkit.backup.BackupManifest;
import org.crmkit.backup.RestorePoint;
import org.crmkit.backup.RestoreResult;
import org.crmkit.error.BackupException;
import org.crmkit.error.BackupException.Problem;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.DocumentStore.StoredDocument;
import org.crmkit.storage.spi.ImportedRow;
import org.crmkit.storage.spi.ChangeSeal;
import org.crmkit.storage.spi.MergeLink;
import org.crmkit.storage.spi.RestoreTarget;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageFeature;
import org.crmkit.storage.spi.StoredChanges;
import org.jspecify.annotations.Nullable;

/**
 * Restores an archive: {@link #verify} reads all of it (every part's size, line count and checksum; every line decoded
 * but the records', which are decoded once, as they are written; sequences and schema versions without gaps), the
 * point is planned ({@link PointInTime}) and the target checked (empty, able to hold the schema and the optional
 * data), all before anything is written. Then the target is cleared and written: the schema; then in two lanes at
 * once the records without their references and then the references, and the change log, documents, merge links and
 * import ledger; then it is finished. If writing fails (a record line that does not decode included: its
 * {@code CORRUPT} error is thrown as it is) the target is cleared again ({@link RestoreTarget#wipe}) and the engine
 * puts back the schema a new {@code Crm} starts with: the restore is all or nothing by clean-up, since DDL commits on
 * its own on H2 and MariaDB and a million records do not belong in one transaction.
 */
public final class Restorer {
    /**
     * Records, entries or rows per target call (a transaction each on SQL): enough that commits cost little beside
     * the rows, few enough that a call's items and its {@code COPY} text stay a few megabytes.
     */
    static final int BATCH = 5_000;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    /** What the engine does around a restore. */
    public interface Engine {
        /** Whether the storage's schema is the one a new {@code Crm} creates (else it is not empty). */
        boolean schemaIsFresh();

        /** Document kinds the engine keeps for itself: neither backed up nor wiped. */
        Set<String> ownDocumentKinds();

        StorageCapabilities capabilities();

        /** After a restore: reload the schema, forget caches, rebuild summaries and the search index. */
        void restored();

        /** After a failed restore cleared the storage: create the standard schema again and reload. */
        void cleared();
    }

    private final Engine engine;

    public Restorer(Engine engine) {
        this.engine = engine;
    }

    /** Reads and checks the whole archive (see the class description). */
    public Verified verify(ArchiveReader a) {
        BackupManifest m = a.manifest();
        BackupCodec c = a.codec;
        List<SchemaSnapshot> schema = new ArrayList<>();
        a.lines(ArchiveLayout.SCHEMA, c::readSchema, (s, line) -> schema.add(s));
        List<SchemaChangeEntry> history = new ArrayList<>();
        a.lines(ArchiveLayout.SCHEMA_HISTORY, c::readSchemaEntry, (e, line) -> {
            if (e.version() != line) {
                throw a.corrupt(ArchiveLayout.SCHEMA_HISTORY, line, "version " + e.version() + " where " + line
                        + " follows on");
            }
            history.add(e);
        });
        SchemaSnapshot current = schema.isEmpty() ? null : schema.get(0);
        long version = current == null ? 0 : current.version();
        if (version != m.schemaVersion() || history.size() != version) {
            throw new BackupException(Problem.CORRUPT, "backup " + a.path() + ": the schema is at version " + version
                    + " with " + history.size() + " history entries, the manifest says version " + m.schemaVersion());
        }
        List<String> types = a.recordTypes();
        List<String> expected = current == null ? List.of() : current.types().stream().map(ObjectType::name).toList();
        if (!Set.copyOf(types).equals(Set.copyOf(expected))) {
            throw new BackupException(Problem.CORRUPT, "backup " + a.path() + " has records of " + types
                    + " but its schema has the types " + expected);
        }
        // the record parts are checked (size, line count, checksum; their lines are decoded as they are written) on a
        // thread of their own while this one decodes the rest; their error comes first, as it would one after another
        ExecutorService side = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("crmkit-restore-check").factory());
        try {
            Future<?> records = side.submit(() -> types.forEach(t -> a.checkLines(ArchiveLayout.recordsPart(t))));
            Verified rest;
            try {
                rest = verifyRest(a, current, history);
            } catch (RuntimeException | Error e) {
                Futures.join(records, "checking a backup's records");
                throw e;
            }
            Futures.join(records, "checking a backup's records");
            return rest;
        } finally {
            side.shutdownNow();
        }
    }

    /** {@link #verify} after the schema and the records: the change log, seals, documents, links and ledger. */
    private Verified verifyRest(ArchiveReader a, @Nullable SchemaSnapshot current, List<SchemaChangeEntry> history) {
        BackupManifest m = a.manifest();
        BackupCodec c = a.codec;
        // sequences rise; gaps are entries pruned by retention or before it (PrivacyStore.pruneChanges)
        long[] log = {0, 1}; // the last sequence read, the first of the gapless run that ends it
        a.lines(ArchiveLayout.CHANGE_LOG, c::readEntry, (e, line) -> {
            if (e.sequence() <= log[0]) {
                throw a.corrupt(ArchiveLayout.CHANGE_LOG, line, "sequence " + e.sequence() + " after " + log[0]
                        + " (sequences must rise)");
            }
            if (e.sequence() != log[0] + 1) {
                log[1] = e.sequence();
            }
            log[0] = e.sequence();
        });
        if (log[0] != m.snapshotSequence()) {
            throw new BackupException(Problem.CORRUPT, "backup " + a.path() + ": the change log does not end at the "
                    + "snapshot's sequence " + m.snapshotSequence());
        }
        if (a.manifest().part(ArchiveLayout.SEALS).isPresent()) {
            long[] seal = {0};
            a.lines(ArchiveLayout.SEALS, c::readSeal, (s, line) -> {
                if (s.sequence() <= seal[0] || s.sequence() > m.snapshotSequence()) {
                    throw a.corrupt(ArchiveLayout.SEALS, line, "sequence " + s.sequence() + " after " + seal[0]
                            + " (seals rise and end at the snapshot's sequence)");
                }
                seal[0] = s.sequence();
            });
        }
        long[] counts = new long[3];
        a.lines(ArchiveLayout.DOCUMENTS, c::readDocument, (d, line) -> counts[0]++);
        a.lines(ArchiveLayout.MERGE_LINKS, c::readMergeLink, (l, line) -> counts[1]++);
        a.lines(ArchiveLayout.IMPORTS, c::readImported, (r, line) -> counts[2]++);
        return new Verified(current, List.copyOf(history), counts[1], counts[2], counts[0], log[1]);
    }

    /** Verifies, plans, checks the target and restores; see the class description. */
    public RestoreResult restore(ArchiveReader a, RestoreTarget target, RestorePoint point) {
        Verified v = verify(a);
        PointInTime plan = PointInTime.plan(a, v, point);
        checkTarget(a, target, v);
        long[] written = new long[2];
        try {
            write(a, target, v, plan, written);
        } catch (RuntimeException e) {
            try {
                target.wipe(engine.ownDocumentKinds());
                engine.cleared();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof BackupException archive && archive.problem() != Problem.RESTORE_FAILED) {
                throw archive; // the archive's own fault, found while writing (a bad record line): the storage is empty
            }
            throw new BackupException(Problem.RESTORE_FAILED, "restoring backup " + a.path() + " failed while "
                    + "writing; the storage was emptied again: " + e.getMessage(), e);
        }
        engine.restored();
        return new RestoreResult(a.manifest(), point, plan.sequence, written[0], written[1], plan.undone());
    }

    private void checkTarget(ArchiveReader a, RestoreTarget target, Verified v) {
        RestoreTarget.Contents c = target.contents();
        List<String> held = new ArrayList<>();
        c.records().forEach((type, n) -> held.add(n + " " + type + " record(s)"));
        if (c.changeLogEntries() > 0) {
            held.add(c.changeLogEntries() + " change-log entries");
        }
        c.documents().forEach((kind, n) -> {
            if (!engine.ownDocumentKinds().contains(kind)) {
                held.add(n + " " + kind + " document version(s)");
            }
        });
        if (c.mergeLinks() > 0) {
            held.add(c.mergeLinks() + " merge links");
        }
        if (c.importedRows() > 0) {
            held.add(c.importedRows() + " import-ledger rows");
        }
        if (!engine.schemaIsFresh()) {
            held.add("schema changes made after it was created");
        }
        if (!held.isEmpty()) {
            throw new BackupException(Problem.TARGET_NOT_EMPTY, "the storage to restore into is not empty: it holds "
                    + String.join(", ", held) + "; restore into a new, empty storage");
        }
        StorageCapabilities caps = engine.capabilities();
        need(caps, StorageFeature.MERGE_LINKS, v.mergeLinks(), "merge links");
        need(caps, StorageFeature.IMPORT_LEDGER, v.importedRows(), "import-ledger rows");
        SchemaSnapshot schema = v.schema();
        if (schema == null) {
            return;
        }
        for (ObjectType t : schema.types()) {
            checkName(t.name(), t.name());
            for (Field f : t.fields()) {
                checkName(t.name() + "." + f.name(), f.name());
                if (f.rollup() != null) {
                    need(caps, StorageFeature.ROW_LOCKS, 1, "roll-up field " + t.name() + "." + f.name());
                    need(caps, StorageFeature.AGGREGATES, 1, "roll-up field " + t.name() + "." + f.name());
                }
            }
        }
        target.checkSchema(schema);
    }

    private static void checkName(String where, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new BackupException(Problem.TARGET_CANNOT_HOLD, "the archive's schema names " + where.substring(0,
                    Math.min(where.length(), 120)) + ", which is not an identifier CRMKit can hold ([a-z][a-z0-9_], at "
                    + "most 40 characters)");
        }
    }

    private static void need(StorageCapabilities caps, StorageFeature feature, long items, String what) {
        if (items > 0 && !caps.supports(feature)) {
            throw new BackupException(Problem.TARGET_CANNOT_HOLD, "the archive holds " + what + " but the storage "
                    + caps.name() + " declines the feature " + feature);
        }
    }

    /**
     * Writes in two lanes, each reading its parts and handing batches to a writer thread of its own
     * ({@link WriterThread}): this thread the records and their references, a second one the change log, seals,
     * documents, merge links and import ledger, which refer to no record table, so that the database loads two tables
     * at once (the change log is as large as the records). Both lanes end before this returns or throws.
     */
    private void write(ArchiveReader a, RestoreTarget target, Verified v, PointInTime plan, long[] written) {
        target.wipe(engine.ownDocumentKinds());
        SchemaSnapshot schema = v.schema();
        if (schema != null) {
            target.writeSchema(v.history(), schema);
        }
        ExecutorService lane = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("crmkit-restore-lane").factory());
        AtomicBoolean failed = new AtomicBoolean();
        try (WriterThread recordWriter = new WriterThread("crmkit-restore-records");
                WriterThread logWriter = new WriterThread("crmkit-restore-log")) {
            Future<?> log = lane.submit(() -> {
                writeLogAndRest(a, target, plan, written, logWriter, failed);
                logWriter.await();
            });
            try {
                if (schema != null) {
                    writeRecords(a, target, schema, plan, written, recordWriter);
                }
                recordWriter.await();
            } catch (RuntimeException | Error e) {
                failed.set(true);
                throw e;
            }
            Futures.join(log, "restoring the change log");
        } finally {
            Futures.finish(lane); // the second lane ends before any clean-up
        }
        target.finish();
    }

    private void writeRecords(ArchiveReader a, RestoreTarget target, SchemaSnapshot schema, PointInTime plan,
            long[] written, WriterThread writer) {
        BackupCodec c = a.codec;
        for (ObjectType t : schema.types()) {
            List<String> refs = t.fields().stream()
                    .filter(f -> f.type() == FieldType.REFERENCE || f.type() == FieldType.RELATION)
                    .map(Field::name).toList();
            Batch<Record> records = new Batch<>(writer, target::writeRecords);
            Batch<Record> references = new Batch<>(writer, target::writeReferences);
            boolean[] linked = {false}; // whether a record written holds a reference or relation value
            Consumer<Record> write = r -> {
                written[0]++;
                if (!refs.isEmpty() && hasAny(r, refs)) {
                    linked[0] = true;
                    records.add(without(r, refs));
                } else {
                    records.add(r);
                }
            };
            a.lines(ArchiveLayout.recordsPart(t.name()), n -> c.readRecord(n, t.name()),
                    (r, line) -> plan.atPoint(a, r).ifPresent(write));
            plan.purgedAfter(a, t.name()).forEach(write);
            records.flush();
            if (linked[0]) { // a second pass for the references, only when there are some
                a.lines(ArchiveLayout.recordsPart(t.name()), n -> c.readRecord(n, t.name()),
                        (r, line) -> plan.atPoint(a, r).filter(x -> hasAny(x, refs)).ifPresent(references::add));
                plan.purgedAfter(a, t.name()).stream().filter(x -> hasAny(x, refs)).forEach(references::add);
                references.flush();
            }
        }
    }

    /** The second lane: everything but the records; stops early once the first lane has {@code failed}. */
    private void writeLogAndRest(ArchiveReader a, RestoreTarget target, PointInTime plan, long[] written,
            WriterThread writer, AtomicBoolean failed) {
        BackupCodec c = a.codec;
        // verify decoded every entry: this pass hands their field changes on as the text the archive holds
        Batch<StoredChanges> log = new Batch<>(writer, target::writeStoredChanges);
        a.lines(ArchiveLayout.CHANGE_LOG, c::readStoredEntry, (e, line) -> {
            if (failed.get()) {
                throw new java.util.concurrent.CancellationException("the records could not be written");
            }
            if (plan.keeps(e.entry())) {
                written[1]++;
                log.add(e);
            }
        });
        log.flush();
        if (a.manifest().part(ArchiveLayout.SEALS).isPresent()) {
            Batch<ChangeSeal> seals = new Batch<>(writer, target::writeSeals);
            a.lines(ArchiveLayout.SEALS, c::readSeal, (s, line) -> {
                if (plan.keeps(s)) {
                    seals.add(s);
                }
            });
            seals.flush();
        }
        List<StoredDocument> docs = new ArrayList<>();
        a.lines(ArchiveLayout.DOCUMENTS, c::readDocument, (d, line) -> {
            if (plan.keeps(d) && !engine.ownDocumentKinds().contains(d.kind())) {
                docs.add(d);
            }
        });
        docs.sort(java.util.Comparator.comparing(StoredDocument::kind).thenComparingLong(StoredDocument::revision));
        if (!docs.isEmpty()) {
            writer.await();
            target.writeDocuments(docs);
        }
        Batch<MergeLink> links = new Batch<>(writer, target::writeMergeLinks);
        a.lines(ArchiveLayout.MERGE_LINKS, c::readMergeLink, (l, line) -> {
            if (plan.keeps(l)) {
                links.add(l);
            }
        });
        plan.rebuiltLinks().forEach(links::add);
        links.flush();
        Batch<ImportedRow> imports = new Batch<>(writer, target::writeImportedRows);
        a.lines(ArchiveLayout.IMPORTS, c::readImported, (r, line) -> {
            if (plan.keeps(r)) {
                imports.add(r);
            }
        });
        imports.flush();
    }

    private static Record without(Record r, List<String> fields) {
        if (!hasAny(r, fields)) {
            return r;
        }
        Map<String, Object> values = new java.util.HashMap<>(r.values());
        fields.forEach(values::remove);
        return new Record(r.id(), r.type(), r.version(), r.owner(), r.team(), r.createdAt(), r.createdBy(),
                r.updatedAt(), r.updatedBy(), r.deletedAt(), values);
    }

    private static boolean hasAny(Record r, List<String> fields) {
        for (String f : fields) {
            if (r.has(f)) {
                return true;
            }
        }
        return false;
    }
}
