package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.duplicate.DuplicateException;
import org.crmkit.duplicate.DuplicateMode;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.FieldMatch;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.duplicate.Scorer;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * Duplicate detection on the record paths of one {@link Records}: {@code findDuplicates}, and the check a create,
 * update or import row makes in its type's {@link DuplicateMode}: OFF checks nothing; WARN checks only when the caller
 * asked for the candidates ({@code createChecked}, {@code updateChecked}, imports); BLOCK checks every write and throws
 * {@link DuplicateException} before anything is stored. An update checks only when it changes a rule field. Only
 * candidates the caller may see count, so a record outside their reach never blocks them or shows in an error.
 */
final class DuplicateGuard {
    private final RecordContext ctx;

    DuplicateGuard(RecordContext ctx) {
        this.ctx = ctx;
    }

    /** {@code RecordSet.findDuplicates}: converts the values of the visible rule fields and finds their candidates. */
    List<DuplicateCandidate> find(Map<String, ?> values) {
        Access access = ctx.access();
        access.require(org.crmkit.security.Permission.READ);
        CompiledSchema cs = ctx.schema();
        ObjectType type = ctx.objectTypeIn(cs);
        DuplicateRules rules = DuplicateFinder.visibleRules(type, access).orElse(null);
        if (rules == null) {
            return List.of();
        }
        Map<String, Object> probe = new java.util.HashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (FieldMatch m : rules.fields()) {
            Object raw = values.get(m.field());
            Field f = type.findField(m.field()).orElseThrow();
            if (raw != null) {
                Object v = ctx.engine().converter.convert(f, raw, errors);
                if (v != null) {
                    probe.put(m.field(), v);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(ctx.type(), errors);
        }
        return ctx.session().inTx(access,
                tx -> new DuplicateFinder(ctx.engine()).find(tx, access, cs, type, rules, probe,
                        new java.util.UUID(0, 0), r -> ctx.visible(r, access, cs)));
    }

    /**
     * The check of a write about to store {@code written} ({@code before}: its previous state for an update):
     * throws {@link DuplicateException} in BLOCK mode when it has candidates; returns them in WARN mode when
     * {@code report}; else nothing. {@code batch} holds records written earlier in the same import batch, not stored
     * yet, that count as existing ones.
     */
    List<DuplicateCandidate> check(Tx tx, Access access, CompiledSchema cs, Record written, @Nullable Record before,
            boolean report, List<Record> batch) {
        ObjectType type = ctx.objectTypeIn(cs);
        DuplicateMode mode = SchemaService.effectiveDuplicateRules(type).map(DuplicateRules::mode)
                .orElse(DuplicateMode.OFF);
        if (mode == DuplicateMode.OFF || (mode == DuplicateMode.WARN && !report)) {
            return List.of();
        }
        Optional<DuplicateRules> visible = DuplicateFinder.visibleRules(type, access);
        if (visible.isEmpty() || (before != null && !changesRuleField(visible.get(), before, written))) {
            return List.of();
        }
        DuplicateRules rules = visible.get();
        List<DuplicateCandidate> found = new ArrayList<>(new DuplicateFinder(ctx.engine()).find(tx, access, cs, type,
                rules, written.values(), written.id(), r -> ctx.visible(r, access, cs)));
        Scorer scorer = new Scorer(rules);
        for (Record earlier : batch) {
            Scorer.Score s = scorer.score(written.values(), earlier.values());
            if (s.isDuplicate(rules)) {
                found.add(new DuplicateCandidate(ctx.visible(earlier, access, cs), Math.min(1, s.score()),
                        s.matched()));
            }
        }
        if (mode == DuplicateMode.BLOCK && !found.isEmpty()) {
            throw new DuplicateException(ctx.type(), before == null ? null : before.id(), found);
        }
        return List.copyOf(found);
    }

    /** The row error an import reports for a row refused as a duplicate. */
    static FieldError rowError(DuplicateException e) {
        return new FieldError(FieldError.RECORD, FieldErrorCode.DUPLICATE, "duplicates "
                + e.candidates().stream().map(c -> c.record().id().toString()).toList());
    }

    private static boolean changesRuleField(DuplicateRules rules, Record before, Record after) {
        return rules.fields().stream().anyMatch(f -> !java.util.Objects.equals(before.get(f.field()),
                after.get(f.field())));
    }
}
