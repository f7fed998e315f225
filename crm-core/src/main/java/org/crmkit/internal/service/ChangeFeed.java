package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeFeedPage;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Permission;
import org.jspecify.annotations.Nullable;

/**
 * One read of a session's change feed ({@link org.crmkit.CrmSession#changes}): the raw change log, filtered by the
 * principal's access. An entry is shown when its type exists and the principal may read it, and its record is in the
 * principal's scope as the record is now (a purged record: as it was when purged, from its own log entries); it shows
 * only the fields {@link VisibleChanges} keeps, and an update with none of them is left out; a merge's
 * {@link MergeMarks} are kept, naming only the records of the type the principal may know. Scope is judged on the
 * record now, not at the change: a record that left the scope takes its whole history with it, and one that entered it
 * brings its history along, as its timeline does.
 *
 * <p>The page ends when it holds {@code limit} entries, when the log has nothing more, or after {@value #SCAN_LIMIT}
 * log entries were looked at (so one call costs a bounded amount of work however few entries the principal may
 * see); {@link ChangeFeedPage#nextAfter()} is the last sequence looked at in every case. {@link #visible(List)}
 * filters entries the caller already read from the log, by the same steps.
 */
final class ChangeFeed {
    /** The largest page a caller may ask for. */
    static final int MAX_LIMIT = 1_000;
    /** The most log entries one call looks at. */
    static final int SCAN_LIMIT = 2_000;
    /** The fewest log entries read at once (pages of few entries among many left out need fewer reads). */
    private static final int MIN_CHUNK = 100;

    /**
     * Owner and team of a record, for the scope check, and the stored record when it still exists (so that sharing
     * rules and manual shares reach it as they reach it in queries).
     */
    private record Holder(String owner, @Nullable String team, org.crmkit.record.@Nullable Record stored) {
        Holder(String owner, @Nullable String team) {
            this(owner, team, null);
        }

        boolean reachedBy(Access access) {
            return stored != null ? access.inScope(stored) : access.inScope(owner, team);
        }
    }

    private final Session session;
    private final CrmEngine engine;
    private final CompiledSchema compiled;
    private final SchemaSnapshot schema;
    private final Map<String, Optional<Access>> readable = new HashMap<>();
    private final Map<UUID, Optional<Holder>> holders = new HashMap<>();

    ChangeFeed(Session session) {
        this.session = session;
        this.engine = session.engine;
        this.compiled = engine.schema.compiled();
        this.schema = compiled.snapshot;
    }

    /** Throws one {@link ValidationException} naming every bad argument. */
    static void checkArguments(long after, int limit) {
        List<FieldError> problems = new ArrayList<>();
        if (after < 0) {
            problems.add(new FieldError("after", FieldErrorCode.OUT_OF_RANGE,
                    "after must be a change-log sequence (0 or more), not " + after));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            problems.add(new FieldError("limit", FieldErrorCode.OUT_OF_RANGE, "limit must be 1 to " + MAX_LIMIT
                    + ", not " + limit));
        }
        if (!problems.isEmpty()) {
            throw new ValidationException("changes", problems);
        }
    }

    ChangeFeedPage read(long after, int limit) {
        checkArguments(after, limit);
        List<ChangeLogEntry> page = new ArrayList<>();
        long cursor = after;
        int scanned = 0;
        boolean ended = false;
        while (page.size() < limit && scanned < SCAN_LIMIT && !ended) {
            List<ChangeLogEntry> chunk = engine.storage.readChangeLog(cursor, Math.min(SCAN_LIMIT - scanned,
                    Math.max(limit, MIN_CHUNK)));
            ended = chunk.isEmpty();
            resolveHolders(chunk);
            for (ChangeLogEntry e : chunk) {
                cursor = e.sequence();
                scanned++;
                visible(e).ifPresent(page::add);
                if (page.size() == limit) {
                    break;
                }
            }
        }
        return new ChangeFeedPage(page, cursor, engine.storage.lastSequence() > cursor);
    }

    /** What {@link #read} would show of {@code chunk}, log entries already read, in sequence order. */
    List<ChangeLogEntry> visible(List<ChangeLogEntry> chunk) {
        resolveHolders(chunk);
        List<ChangeLogEntry> shown = new ArrayList<>();
        for (ChangeLogEntry e : chunk) {
            visible(e).ifPresent(shown::add);
        }
        return shown;
    }

    /** The access to the entry's type now, if the type exists and the principal may read it. */
    private Optional<Access> readable(String objectType) {
        return readable.computeIfAbsent(objectType, t -> {
            if (schema.findObjectType(t).isEmpty()) {
                return Optional.empty();
            }
            Access a = new Access(session.principal(), t, compiled, session.engine.accessModels);
            return a.can(Permission.READ) ? Optional.of(a) : Optional.empty();
        });
    }

    /**
     * Finds owner and team of the chunk's records of readable types: the stored records in one transaction, then,
     * for records that are gone, their own log entries (read after that transaction, which holds a connection).
     */
    private void resolveHolders(List<ChangeLogEntry> chunk) {
        Map<UUID, String> wanted = new LinkedHashMap<>();
        for (ChangeLogEntry e : chunk) {
            if (!holders.containsKey(e.recordId()) && readable(e.objectType()).isPresent()) {
                wanted.putIfAbsent(e.recordId(), e.objectType());
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Map<UUID, Holder> stored = session.inTx(tx -> {
            Map<UUID, Holder> found = new HashMap<>();
            wanted.forEach((id, type) -> tx.storage.find(type, id)
                    .ifPresent(r -> found.put(id, new Holder(r.owner(), r.team(), r))));
            return found;
        });
        wanted.forEach((id, type) -> holders.put(id, stored.containsKey(id) ? Optional.of(stored.get(id))
                : lastHolder(type, id)));
    }

    private Optional<ChangeLogEntry> visible(ChangeLogEntry e) {
        Access access = readable(e.objectType()).orElse(null);
        if (access == null) {
            return Optional.empty();
        }
        Holder holder = holders.getOrDefault(e.recordId(), Optional.empty()).orElse(null);
        if (holder == null || !holder.reachedBy(access)) {
            return Optional.empty();
        }
        Optional<ChangeLogEntry> shown = VisibleChanges.of(e, access, schema.findObjectType(e.objectType())
                .orElseThrow());
        ChangeLogEntry marked = MergeMarks.withMarks(e, shown.orElseGet(() -> e.onlyFields(f -> false)),
                other -> known(e.objectType(), other, access));
        return shown.isPresent() || !marked.changes().isEmpty() ? Optional.of(marked) : Optional.empty();
    }

    /** Whether a record named by a merge mark is one the principal may know: of the type, in their scope now. */
    private boolean known(String type, UUID id, Access access) {
        return session.inTx(tx -> tx.storage.find(type, id).filter(access::inScope).isPresent());
    }

    /** Owner and team of a record that is gone (purged), as its own log entries last set them. */
    private Optional<Holder> lastHolder(String type, UUID id) {
        String owner = null;
        String team = null;
        for (ChangeLogEntry past : engine.storage.changesOf(type, id)) {
            for (FieldChange c : past.changes()) {
                if (c.field().equals("owner") && c.newValue() instanceof String o) {
                    owner = o;
                } else if (c.field().equals("team")) {
                    team = c.newValue() instanceof String t ? t : null;
                }
            }
        }
        return owner == null ? Optional.empty() : Optional.of(new Holder(owner, team));
    }
}
