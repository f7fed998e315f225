package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.TimelinePage;
import org.crmkit.event.TimelineQuery;
import org.crmkit.record.Record;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.ResolvedPath;
import org.jspecify.annotations.Nullable;

/**
 * Reads a record's timeline for one caller: its own change-log entries, and with
 * {@link TimelineQuery#includeRelated()} those of its {@link RelatedRecords}, merged in sequence (commit) order,
 * oldest or newest first, a page at a time. Every entry is shown as {@link VisibleChanges} keeps it for its own type
 * (fields hidden from the caller removed, updates with nothing left out), with the {@link MergeMarks} naming only
 * records the caller may know. The cursor is the last sequence shown, signed by {@link CursorCodec} for the record,
 * the caller (id, roles, teams) and the query's options, so it cannot be forged or replayed elsewhere.
 */
final class TimelineReader {
    private static final ResolvedPath SEQUENCE = new ResolvedPath("sequence", List.of(), "change_log", "version",
            null, null, FieldType.INTEGER);

    private final RecordContext ctx;

    TimelineReader(RecordContext ctx) {
        this.ctx = ctx;
    }

    /** The whole timeline of one record, oldest first (the existing {@code timeline(id)}). */
    List<ChangeLogEntry> all(UUID id) {
        Access access = ctx.access();
        access.require(Permission.READ);
        CompiledSchema cs = ctx.schema();
        return ctx.session().inTx(access, tx -> {
            root(tx, access, id);
            return shown(tx, cs, ctx.engine().storage.changesOf(ctx.type(), id), new HashMap<>());
        });
    }

    TimelinePage page(UUID id, TimelineQuery query) {
        Access access = ctx.access();
        access.require(Permission.READ);
        if (query.limit() < 1 || query.limit() > TimelineQuery.MAX_LIMIT) {
            throw new ValidationException(ctx.type(), new FieldError("limit", FieldErrorCode.OUT_OF_RANGE,
                    "page size must be 1 to " + TimelineQuery.MAX_LIMIT));
        }
        if (query.maxRelated() < 1 || query.maxRelated() > TimelineQuery.MAX_RELATED) {
            throw new ValidationException(ctx.type(), new FieldError("maxRelated", FieldErrorCode.OUT_OF_RANGE,
                    "the most related records must be 1 to " + TimelineQuery.MAX_RELATED));
        }
        String binding = binding(id, query);
        Long after = null;
        if (query.after() != null) {
            List<@Nullable Object> key = ctx.engine().cursors.decode(binding, query.after(), List.of(SEQUENCE));
            if (key == null || !(key.get(0) instanceof Long seq) || !id.equals(key.get(1))) {
                throw new ValidationException(ctx.type(), new FieldError("cursor", FieldErrorCode.WRONG_TYPE,
                        "not a cursor of this timeline"));
            }
            after = seq;
        }
        CompiledSchema cs = ctx.schema();
        Long from = after;
        boolean[] truncated = {false};
        List<ChangeLogEntry> entries = ctx.session().inTx(access, tx -> {
            Record root = root(tx, access, id);
            Map<UUID, String> records = Map.of(id, ctx.type());
            if (query.includeRelated()) {
                RelatedRecords.Related related = new RelatedRecords(ctx.session(), cs).of(tx, root,
                        query.maxRelated());
                records = related.records();
                truncated[0] = related.truncated();
            }
            List<ChangeLogEntry> log = records.size() == 1 ? ctx.engine().storage.changesOf(ctx.type(), id)
                    : ctx.engine().storage.changesOf(records);
            List<ChangeLogEntry> out = new ArrayList<>();
            for (ChangeLogEntry e : shown(tx, cs, log, new HashMap<>())) {
                if (from == null || (query.descending() ? e.sequence() < from : e.sequence() > from)) {
                    out.add(e);
                }
            }
            Comparator<ChangeLogEntry> order = Comparator.comparingLong(ChangeLogEntry::sequence);
            out.sort(query.descending() ? order.reversed() : order);
            return out;
        });
        String next = null;
        if (entries.size() > query.limit()) {
            entries = entries.subList(0, query.limit());
            next = ctx.engine().cursors.encode(binding, List.of(entries.get(entries.size() - 1).sequence(), id));
        }
        return new TimelinePage(entries, next, truncated[0], query);
    }

    /** The record whose timeline is read: any record of the type in the caller's scope, soft-deleted or not. */
    private Record root(Tx tx, Access access, UUID id) {
        return tx.storage.find(ctx.type(), id).filter(access::inScope)
                .orElseThrow(() -> new org.crmkit.error.NotFoundException(ctx.type(), id));
    }

    /** The entries (of records of any types) as the caller may see them, in the order given. */
    private List<ChangeLogEntry> shown(Tx tx, CompiledSchema cs, List<ChangeLogEntry> log,
            Map<String, Optional<Access>> accessByType) {
        List<ChangeLogEntry> out = new ArrayList<>();
        for (ChangeLogEntry e : log) {
            Access access = accessOf(cs, e.objectType(), accessByType);
            ObjectType t = cs.snapshot.findObjectType(e.objectType()).orElse(null);
            if (access == null || t == null) {
                continue;
            }
            Predicate<UUID> known = other -> tx.storage.find(t.name(), other).filter(access::inScope).isPresent();
            Optional<ChangeLogEntry> visible = VisibleChanges.of(e, access, t);
            ChangeLogEntry shown = MergeMarks.withMarks(e, visible.orElseGet(() -> e.onlyFields(f -> false)), known);
            if (visible.isPresent() || !shown.changes().isEmpty()) {
                out.add(shown);
            }
        }
        return out;
    }

    private @Nullable Access accessOf(CompiledSchema cs, String type, Map<String, Optional<Access>> cache) {
        return cache.computeIfAbsent(type, k -> {
            Access a = new Access(ctx.principal(), k, cs, ctx.engine().accessModels);
            return a.can(Permission.READ) ? Optional.of(a) : Optional.empty();
        }).orElse(null);
    }

    /** What a timeline cursor is bound to: the record, the caller and the query's options. */
    private String binding(UUID id, TimelineQuery query) {
        StringBuilder b = new StringBuilder("timeline;");
        Principal p = ctx.principal();
        for (Object part : List.of(ctx.type(), id, p.id(), p.roles().stream().map(Role::name).toList(), p.teams(),
                p.system(), query.includeRelated(), query.descending(), query.maxRelated())) {
            String text = part.toString();
            b.append(text.length()).append(':').append(text).append(';');
        }
        return b.toString();
    }
}
