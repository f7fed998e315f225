package org.crmkit.internal.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.duplicate.CheckedWrite;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.error.ConflictException;
import org.crmkit.error.NotFoundException;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.internal.schema.RecordHooks;
import org.crmkit.record.ImportOptions;
import org.crmkit.record.ImportResult;
import org.crmkit.record.Record;
import org.crmkit.record.UpsertResult;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Permission;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;

/**
 * The write pipeline of a {@link Records}: create, import, update, delete and restore. A create or update is
 * access → {@link RecordValidator#convert conversion and defaults} → the type's
 * {@link org.crmkit.internal.schema.RecordHook hook} → {@link RecordValidator#check required, references, rules}
 * → {@link DuplicateGuard duplicate check} → storage (with the expected version) → change log, all in the caller's
 * transaction.
 */
final class RecordWrites {
    private final RecordContext ctx;
    private final RecordValidator validator;
    private final RecordStamps stamps;
    private final RecordHooks hooks;
    private final DuplicateGuard duplicates;

    RecordWrites(RecordContext ctx, RecordStamps stamps) {
        this.ctx = ctx;
        this.validator = new RecordValidator(ctx);
        this.stamps = stamps;
        this.hooks = ctx.engine().schema.recordHooks();
        this.duplicates = new DuplicateGuard(ctx);
    }

    DuplicateGuard duplicates() {
        return duplicates;
    }

    String objectType() {
        return ctx.type();
    }

    /** A create; with {@code report}, the duplicates found in WARN mode come back with the record. */
    CheckedWrite create(Map<String, ?> values, boolean report) {
        Access access = ctx.access();
        access.require(Permission.CREATE);
        return ctx.session().inTx(access, tx -> {
            CompiledSchema cs = ctx.schema();
            Record created = newRecord(tx, access, cs, values);
            List<DuplicateCandidate> found = duplicates.check(tx, access, cs, created, null, report, List.of());
            tx.insert(created);
            logCreated(tx, created);
            tx.saw(created);
            return new CheckedWrite(ctx.visible(created, access, cs), found);
        });
    }

    ImportResult importRecords(String importId, Iterable<? extends Map<String, ?>> rows, ImportOptions options) {
        RecordImport.checkArguments(ctx.type(), importId, rows, options);
        if (ctx.session().inOpenTransaction()) {
            throw new IllegalStateException("importRecords commits batch by batch; it cannot run inside inTransaction");
        }
        Access access = ctx.access();
        access.require(Permission.CREATE);
        return new RecordImport(ctx.engine(), this, access, importId, options).run(rows);
    }

    /**
     * An import that keeps totals only ({@link RecordImport#count}): for the CSV import, which hears of every refused
     * row through the options' progress listener.
     */
    RecordImport.Counts importCounting(String importId, Iterable<? extends Map<String, ?>> rows,
            ImportOptions options) {
        RecordImport.checkArguments(ctx.type(), importId, rows, options);
        if (ctx.session().inOpenTransaction()) {
            throw new IllegalStateException("a CSV import commits batch by batch; it cannot run inside inTransaction");
        }
        Access access = ctx.access();
        access.require(Permission.CREATE);
        return new RecordImport(ctx.engine(), this, access, importId, options).count(rows);
    }

    /**
     * The first half of a create, shared with imports: checks and converts {@code values} (access, defaults,
     * validation, record rules) and returns the record to insert, or throws every problem in a
     * {@link org.crmkit.error.ValidationException}.
     */
    Record newRecord(Tx tx, Access access, CompiledSchema cs, Map<String, ?> values) {
        return write(tx, access, cs, null, values);
    }

    /** The second half of a create, after the insert: its change-log entry. */
    void logCreated(Tx tx, Record created) {
        tx.log(stamps.entry(tx, created, Operation.CREATE, ChangeDiff.between(null, created)));
    }

    /**
     * Creates or updates a record from each row by its key ({@link RecordUpsert}); needs CREATE and UPDATE, and
     * commits batch by batch.
     */
    UpsertResult upsert(@Nullable String keyField, Iterable<? extends Map<String, ?>> rows, ImportOptions options) {
        Access access = ctx.access();
        access.require(Permission.CREATE);
        access.require(Permission.UPDATE);
        Field key = RecordUpsert.checkArguments(ctx.objectTypeIn(ctx.schema()), access, keyField, rows, options);
        if (ctx.session().inOpenTransaction()) {
            throw new IllegalStateException("upsert commits batch by batch; it cannot run inside inTransaction");
        }
        return new RecordUpsert(ctx.engine(), this, access, key, options).run(rows);
    }

    /**
     * The first half of an update, shared with upserts: checks and converts {@code changes} to {@code before} and
     * returns the record to write, or throws every problem in a {@link org.crmkit.error.ValidationException}.
     */
    Record changedRecord(Tx tx, Access access, CompiledSchema cs, Record before, Map<String, ?> changes) {
        return write(tx, access, cs, before, changes);
    }

    /** The second half of an update, after the write: its change-log entry. */
    void logUpdated(Tx tx, Record after, List<FieldChange> diff) {
        tx.log(stamps.entry(tx, after, Operation.UPDATE, diff));
    }

    /** An update; with {@code report}, the duplicates found in WARN mode come back with the record. */
    CheckedWrite update(UUID id, long expectedVersion, Map<String, ?> changes, boolean report) {
        Access access = ctx.access();
        access.require(Permission.UPDATE);
        return ctx.session().inTx(access, tx -> {
            CompiledSchema cs = ctx.schema();
            Record before = atVersion(tx, access, id, expectedVersion);
            Record after = write(tx, access, cs, before, changes);
            List<FieldChange> diff = ChangeDiff.between(before, after);
            if (diff.isEmpty()) {
                return new CheckedWrite(ctx.visible(before, access, cs), List.of());
            }
            List<DuplicateCandidate> found = duplicates.check(tx, access, cs, after, before, report, List.of());
            tx.update(after, before);
            logUpdated(tx, after, diff);
            tx.saw(after);
            return new CheckedWrite(ctx.visible(after, access, cs), found);
        });
    }

    Record delete(UUID id, long expectedVersion) {
        Access access = ctx.access();
        access.require(Permission.DELETE);
        return ctx.session().inTx(access, tx -> {
            Record before = atVersion(tx, access, id, expectedVersion);
            Record after = stamps.deleted(before, ctx.engine().clock.instant());
            tx.update(after, before);
            tx.log(stamps.entry(tx, after, Operation.DELETE, List.of()));
            tx.saw(after);
            return ctx.visible(after, access, ctx.schema());
        });
    }

    Record restore(UUID id, long expectedVersion) {
        Access access = ctx.access();
        access.require(Permission.DELETE);
        return ctx.session().inTx(access, tx -> {
            Record before = tx.storage.find(ctx.type(), id).filter(r -> r.isDeleted() && access.inScope(r))
                    .orElseThrow(() -> new NotFoundException(ctx.type(), id));
            access.writable(before, Permission.DELETE);
            checkVersion(before, expectedVersion);
            Record after = stamps.deleted(before, null);
            tx.update(after, before);
            if (ctx.engine().storage.capabilities().supports(StorageFeature.MERGE_LINKS)
                    && tx.storage.mergedInto(ctx.type(), id).isPresent()) {
                tx.storage.linkMerged(ctx.type(), id, null);
            }
            tx.log(stamps.entry(tx, after, Operation.RESTORE, List.of()));
            tx.saw(after);
            return ctx.visible(after, access, ctx.schema());
        });
    }

    /**
     * Checks and converts a write and returns the record it produces (not yet stored): the validator converts the
     * input, the type's hook completes it, the validator checks it and throws every problem together.
     */
    private Record write(Tx tx, Access access, CompiledSchema cs, @Nullable Record before, Map<String, ?> input) {
        ObjectType t = ctx.objectTypeIn(cs);
        RecordValidator.Draft draft = validator.convert(access, t, before, input);
        hooks.forType(t).ifPresent(hook -> hook.beforeChecks(cs.snapshot, before, draft.values(), draft.given(),
                draft.errors()));
        validator.check(tx, access, cs, t, before, draft);
        return before == null ? stamps.created(draft.values(), draft.owner(), draft.team())
                : stamps.next(before, draft.values(), draft.owner(), draft.team());
    }

    /**
     * The live record at {@code expectedVersion} as the caller may see it: from the engine's cache of committed
     * states when it holds exactly that version (the storage's version check at write time then decides whether it
     * is still current), else read; throws NotFound or Conflict.
     */
    private Record atVersion(Tx tx, Access access, UUID id, long expectedVersion) {
        Record cached = ctx.engine().recordCache.at(ctx.type(), id, expectedVersion).orElse(null);
        if (cached != null) {
            if (cached.isDeleted() || !access.inScope(cached)) {
                throw new NotFoundException(ctx.type(), id);
            }
            return access.writable(cached, Permission.UPDATE);
        }
        Record before = tx.storage.find(ctx.type(), id).filter(r -> !r.isDeleted() && access.inScope(r))
                .orElseThrow(() -> new NotFoundException(ctx.type(), id));
        access.writable(before, Permission.UPDATE);
        checkVersion(before, expectedVersion);
        return before;
    }

    private void checkVersion(Record r, long expected) {
        if (r.version() != expected) {
            throw new ConflictException(ctx.type(), r.id(), expected, r.version());
        }
    }
}
