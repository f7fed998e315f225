package org.crmkit.internal.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.internal.schema.RecordHooks;
import org.crmkit.merge.FieldChoices;
import org.crmkit.merge.MergeResult;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Permission;
import org.crmkit.storage.spi.StorageFeature;

/**
 * {@link org.crmkit.RecordSet#merge}: in one transaction, the survivor takes the merged values ({@link MergeValues},
 * then the type's hook and the validator's checks of required fields, references and record rules), every
 * reference and relation to the merged records is re-pointed to the survivor ({@link ReferenceRepointer}, which
 * moves activities and tasks with the rest), and the merged records are soft-deleted with a merge link to the
 * survivor (a unique value the survivor takes from one of them leaves that one, so that it stays unique). Every
 * write carries the version it read, so a concurrent edit of any record involved fails the merge
 * with a {@link org.crmkit.error.ConflictException} and nothing of it is kept. All change-log entries share the
 * transaction; the survivor's holds {@value MergeMarks#MERGED_FROM}, each merged record's deletion
 * {@value MergeMarks#MERGED_INTO}.
 */
final class RecordMerge {
    /** The most records merged into one at once. */
    static final int MAX_OTHERS = 100;

    private final RecordContext ctx;
    private final RecordStamps stamps;
    private final RecordValidator validator;
    private final RecordHooks hooks;

    RecordMerge(RecordContext ctx, RecordStamps stamps) {
        this.ctx = ctx;
        this.stamps = stamps;
        this.validator = new RecordValidator(ctx);
        this.hooks = ctx.engine().schema.recordHooks();
    }

    MergeResult merge(UUID survivorId, List<UUID> others, FieldChoices choices) {
        checkArguments(survivorId, others);
        Access access = ctx.access();
        access.require(Permission.UPDATE);
        access.require(Permission.DELETE);
        if (!ctx.engine().storage.capabilities().supports(StorageFeature.MERGE_LINKS)) {
            throw StorageFeature.MERGE_LINKS.refused();
        }
        return ctx.session().inTx(access, tx -> {
            CompiledSchema cs = ctx.schema();
            ObjectType t = ctx.objectTypeIn(cs);
            Record survivor = live(tx, access, survivorId);
            List<Record> merged = new ArrayList<>();
            for (UUID id : others) {
                merged.add(live(tx, access, id));
            }
            MergeValues.Merged values = new MergeValues(ctx.type(), ctx.engine().converter).merge(access, t,
                    survivor, merged, choices);
            RecordValidator.Draft draft = values.draft();
            Record base = stamps.next(survivor, values.base(), survivor.owner(), survivor.team());
            hooks.forType(t).ifPresent(hook -> hook.beforeChecks(cs.snapshot, base, draft.values(), draft.given(),
                    draft.errors()));
            validator.check(tx, access, cs, t, base, draft);

            Set<UUID> gone = new LinkedHashSet<>(others);
            // the merged records first: a unique value the survivor takes leaves them before it arrives
            Instant now = ctx.engine().clock.instant();
            List<Record> deletions = new ArrayList<>();
            for (Record r : merged) {
                Map<String, Object> kept = new HashMap<>(r.values());
                for (Field f : t.fields()) {
                    Object v = ReferenceRepointer.pointedAt(f, kept.get(f.name()), gone, survivorId);
                    if (f.unique() && v != null && v.equals(draft.values().get(f.name()))) {
                        kept.remove(f.name());
                    } else if (v != null && ctx.type().equals(f.target())) {
                        kept.put(f.name(), v);
                    }
                }
                Record deleted = stamps.nextDeleted(r, kept, now);
                tx.update(deleted, r);
                tx.storage.linkMerged(ctx.type(), r.id(), survivorId);
                tx.saw(deleted);
                deletions.add(deleted);
            }
            Record after = stamps.next(survivor, draft.values(), survivor.owner(), survivor.team());
            tx.update(after, survivor);
            tx.saw(after);
            List<FieldChange> changes = new ArrayList<>(ChangeDiff.between(survivor, after));
            changes.add(new FieldChange(MergeMarks.MERGED_FROM, null, List.copyOf(gone)));
            tx.log(stamps.entry(tx, after, Operation.UPDATE, changes));
            for (int i = 0; i < merged.size(); i++) {
                List<FieldChange> marks = new ArrayList<>(ChangeDiff.between(merged.get(i), deletions.get(i)));
                marks.add(new FieldChange(MergeMarks.MERGED_INTO, null, survivorId));
                tx.log(stamps.entry(tx, deletions.get(i), Operation.DELETE, marks));
            }
            Set<UUID> skip = new HashSet<>(gone);
            skip.add(survivorId);
            new ReferenceRepointer(ctx, stamps).repoint(tx, gone, survivorId, skip);
            return new MergeResult(ctx.visible(after, access, cs), List.copyOf(others), tx.id);
        });
    }

    /** A live record of the type in the caller's scope; otherwise NotFound (a merged one: where it went). */
    private Record live(Tx tx, Access access, UUID id) {
        Record r = tx.storage.find(ctx.type(), id).filter(x -> !x.isDeleted() && access.inScope(x)).orElse(null);
        if (r == null) {
            throw new MergeTrail(ctx).notFound(tx, access, id);
        }
        return access.writable(r, org.crmkit.security.Permission.UPDATE);
    }

    private void checkArguments(UUID survivorId, List<UUID> others) {
        List<FieldError> errors = new ArrayList<>();
        if (others.isEmpty() || others.size() > MAX_OTHERS) {
            errors.add(new FieldError("others", FieldErrorCode.OUT_OF_RANGE, "merge 1 to " + MAX_OTHERS
                    + " records at once, not " + others.size()));
        }
        Set<UUID> seen = new HashSet<>();
        for (UUID id : others) {
            if (id == null) {
                errors.add(new FieldError("others", FieldErrorCode.REQUIRED, "others must not hold null"));
            } else if (id.equals(survivorId)) {
                errors.add(new FieldError("others", FieldErrorCode.OUT_OF_RANGE, "the survivor " + survivorId
                        + " cannot be merged into itself"));
            } else if (!seen.add(id)) {
                errors.add(new FieldError("others", FieldErrorCode.OUT_OF_RANGE, id + " is named twice"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(ctx.type(), errors);
        }
    }
}
