package org.crmkit.internal.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.backup.BackupManifest;
import org.crmkit.backup.RestorePoint;
import org.crmkit.error.BackupException;
import org.crmkit.error.BackupException.Problem;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.storage.spi.DocumentStore.StoredDocument;
import org.crmkit.storage.spi.ImportedRow;
import org.crmkit.storage.spi.MergeLink;
import org.jspecify.annotations.Nullable;

/**
 * The state of an archive at a {@link RestorePoint}, reached by undoing the change-log entries after it.
 *
 * <p>The point is a sequence N of the archive's change log at a transaction's end: {@code sequence(n)} names it,
 * {@code at(t)} stops before the first transaction (in commit order) with an entry stamped after t. Records the entries
 * after N never touched are as in the snapshot. A touched record's state at N is its snapshot state (or, if purged
 * after N, the values its PURGE entry holds) with the field changes of its entries after N undone newest first (each
 * entry holds every changed value before and after, owner and team included), its version, update time and author
 * those of its last entry up to N, its deletion time that of its DELETE entry if it was deleted then, its creation
 * those of the snapshot or of its CREATE entry; records created after N are left out. Merge links, the import ledger
 * and documents follow (documents by their time stamps). This is exact because a write stamps the record and its entry
 * with one instant; an archive where they differ (written before CRMKit did so) is refused, as are points before the
 * last schema change (undoing one is not supported) and points the archive does not hold. The tail (the entries after
 * N) is held in memory; everything else streams.
 */
final class PointInTime {
    private static final Set<String> NOT_VALUES = Set.of("owner", "team", "merged_into", "merged_from");

    /** The restored change log's last sequence. */
    final long sequence;
    /** Documents stamped after this are left out; null: none is. */
    final @Nullable Instant cut;
    private final Map<UUID, List<ChangeLogEntry>> tail = new HashMap<>();
    private final Map<UUID, Before> before = new HashMap<>();
    private final Set<UUID> createdAfter = new HashSet<>();
    private long undone;

    /** What the entries up to N say of a record touched after N. */
    private static final class Before {
        @Nullable
        ChangeLogEntry create;
        @Nullable
        ChangeLogEntry last;
        @Nullable
        ChangeLogEntry lastDelete;
        boolean deleted;
        @Nullable
        String owner;
        @Nullable
        String team;
    }

    private PointInTime(long sequence, @Nullable Instant cut) {
        this.sequence = sequence;
        this.cut = cut;
    }

    /** The plan for {@code point} of the checked archive {@code a}; refuses a point it cannot reach. */
    static PointInTime plan(ArchiveReader a, Verified v, RestorePoint point) {
        BackupManifest m = a.manifest();
        long last = m.snapshotSequence();
        if (point instanceof RestorePoint.AtSequence s && s.sequence() < v.wholeFrom() - 1) {
            throw pruned(a, point, v);
        }
        PointInTime p = switch (point) {
            case RestorePoint.Latest l -> new PointInTime(last, null);
            case RestorePoint.AtSequence s -> atSequence(a, s.sequence());
            case RestorePoint.AtInstant t -> atInstant(a, t.instant());
        };
        if (p.sequence < v.wholeFrom() - 1) {
            throw pruned(a, point, v);
        }
        if (p.sequence == last && p.cut == null) {
            return p;
        }
        if (p.cut != null) {
            for (SchemaChangeEntry e : v.history()) {
                if (e.at().isAfter(p.cut)) {
                    throw unreachable(a, point, "the schema changed after it (version " + e.version() + ", "
                            + e.change().describe() + ", at " + e.at() + "); undoing a schema change is not supported: "
                            + "restore a backup taken before it, or choose a later point");
                }
            }
        }
        p.collect(a, point);
        return p;
    }

    private static PointInTime atSequence(ArchiveReader a, long n) {
        long last = a.manifest().snapshotSequence();
        if (n > last) {
            throw unreachable(a, RestorePoint.sequence(n), "the archive's change log ends at sequence " + last);
        }
        if (n == last) {
            return new PointInTime(n, null);
        }
        ChangeLogEntry[] around = new ChangeLogEntry[2];
        a.lines(ArchiveLayout.CHANGE_LOG, a.codec::readEntry, (e, line) -> {
            if (e.sequence() == n) {
                around[0] = e;
            } else if (e.sequence() == n + 1) {
                around[1] = e;
            }
        });
        ChangeLogEntry at = around[0];
        ChangeLogEntry next = Objects.requireNonNull(around[1], "verified: the log is contiguous");
        if (at != null && at.transactionId().equals(next.transactionId())) {
            throw unreachable(a, RestorePoint.sequence(n), "sequence " + n + " is inside transaction "
                    + next.transactionId() + "; a restore point ends a transaction");
        }
        return new PointInTime(n, at == null ? Instant.MIN : at.at());
    }

    private static PointInTime atInstant(ArchiveReader a, Instant t) {
        BackupManifest m = a.manifest();
        if (t.isAfter(m.createdAt())) {
            throw unreachable(a, RestorePoint.at(t), "the archive was taken at " + m.createdAt()
                    + " and knows nothing after it");
        }
        // transactions in commit order: N ends the last one before the first with an entry stamped after t
        long[] state = {0, 0, 0}; // N, start of the current transaction, found (1)
        UUID[] tx = {null};
        boolean[] late = {false};
        a.lines(ArchiveLayout.CHANGE_LOG, a.codec::readEntry, (e, line) -> {
            if (state[2] == 1) {
                return;
            }
            if (!e.transactionId().equals(tx[0])) {
                if (tx[0] != null && late[0]) {
                    state[2] = 1;
                    return;
                }
                state[0] = e.sequence() - 1;
                state[1] = e.sequence();
                tx[0] = e.transactionId();
                late[0] = false;
            }
            late[0] |= e.at().isAfter(t);
        });
        long n = state[2] == 1 || late[0] ? state[0] : m.snapshotSequence();
        return new PointInTime(n, t);
    }

    private static BackupException pruned(ArchiveReader a, RestorePoint point, Verified v) {
        return unreachable(a, point, "change-log entries after it were pruned (the log is whole from sequence "
                + v.wholeFrom() + "); restore a backup taken before they were");
    }

    private static BackupException unreachable(ArchiveReader a, RestorePoint point, String why) {
        return new BackupException(Problem.POINT_UNREACHABLE, "backup " + a.path() + " cannot be restored to " + point
                + ": " + why);
    }

    /** Reads the entries after N (the tail) and what the entries up to N say of the records they touch. */
    private void collect(ArchiveReader a, RestorePoint point) {
        a.lines(ArchiveLayout.CHANGE_LOG, a.codec::readEntry, (e, line) -> {
            if (e.sequence() > sequence) {
                tail.computeIfAbsent(e.recordId(), k -> new ArrayList<>()).add(e);
                if (e.operation() == Operation.CREATE) {
                    createdAfter.add(e.recordId());
                }
                undone++;
            }
        });
        a.lines(ArchiveLayout.CHANGE_LOG, a.codec::readEntry, (e, line) -> {
            if (e.sequence() <= sequence && tail.containsKey(e.recordId())) {
                Before b = before.computeIfAbsent(e.recordId(), k -> new Before());
                b.last = e;
                switch (e.operation()) {
                    case CREATE -> b.create = e;
                    case DELETE -> {
                        b.deleted = true;
                        b.lastDelete = e;
                    }
                    case RESTORE -> b.deleted = false;
                    default -> {}
                }
                for (FieldChange c : e.changes()) {
                    if (c.field().equals("owner")) {
                        b.owner = (String) c.newValue();
                    } else if (c.field().equals("team")) {
                        b.team = (String) c.newValue();
                    }
                }
            }
        });
        for (Map.Entry<UUID, List<ChangeLogEntry>> e : tail.entrySet()) {
            if (createdAfter.contains(e.getKey())) {
                continue;
            }
            Before b = before.get(e.getKey());
            ChangeLogEntry first = e.getValue().get(0);
            if (b == null || b.last == null) {
                throw unreachable(a, point, first.objectType() + " " + e.getKey() + " has no change-log entry up to "
                        + "the point; the archive's change log does not reach back to its creation");
            }
            long expected = first.operation() == Operation.PURGE ? first.version() : first.version() - 1;
            if (b.last.version() != expected) {
                throw unreachable(a, point, first.objectType() + " " + e.getKey() + " is at version "
                        + b.last.version() + " at the point, but its next entry follows version " + expected
                        + "; the archive's change log is not complete");
            }
        }
    }

    /** How many change-log entries were undone. */
    long undone() {
        return undone;
    }

    /**
     * The state at N of a record of the snapshot, or empty when it did not exist then. Refuses a record whose stamps
     * do not match its last entry (see the class description).
     */
    Optional<Record> atPoint(ArchiveReader a, Record snapshot) {
        List<ChangeLogEntry> entries = tail.get(snapshot.id());
        if (entries == null) {
            return Optional.of(snapshot);
        }
        if (createdAfter.contains(snapshot.id())) {
            return Optional.empty();
        }
        ChangeLogEntry newest = entries.get(entries.size() - 1);
        if (!newest.at().equals(snapshot.updatedAt()) || !newest.principalId().equals(snapshot.updatedBy())
                || newest.version() != snapshot.version()) {
            throw new BackupException(Problem.POINT_UNREACHABLE, "backup " + a.path() + ": " + snapshot.type() + " "
                    + snapshot.id() + " was last written at " + snapshot.updatedAt() + " by " + snapshot.updatedBy()
                    + " (version " + snapshot.version() + ") but its last change-log entry says " + newest.at() + " by "
                    + newest.principalId() + " (version " + newest.version() + "); its earlier state cannot be rebuilt "
                    + "exactly (data written before CRMKit stamped a write and its entry alike?)");
        }
        Map<String, Object> values = new HashMap<>(snapshot.values());
        String[] ownerTeam = {snapshot.owner(), snapshot.team()};
        undo(entries, values, ownerTeam);
        Before b = Objects.requireNonNull(before.get(snapshot.id()), "checked in collect");
        return Optional.of(state(snapshot.id(), snapshot.type(), values, Objects.requireNonNull(ownerTeam[0]),
                ownerTeam[1], snapshot.createdAt(), snapshot.createdBy(), b));
    }

    /** The records of {@code type} that existed at N and were purged after it, rebuilt from their entries. */
    List<Record> purgedAfter(ArchiveReader a, String type) {
        List<Record> out = new ArrayList<>();
        for (Map.Entry<UUID, List<ChangeLogEntry>> e : tail.entrySet()) {
            List<ChangeLogEntry> entries = e.getValue();
            ChangeLogEntry newest = entries.get(entries.size() - 1);
            if (!newest.objectType().equals(type) || newest.operation() != Operation.PURGE
                    || createdAfter.contains(e.getKey())) {
                continue;
            }
            Before b = Objects.requireNonNull(before.get(e.getKey()), "checked in collect");
            ChangeLogEntry create = b.create;
            if (create == null || b.owner == null) {
                throw unreachable(a, RestorePoint.sequence(sequence), type + " " + e.getKey() + " was purged after the "
                        + "point and the archive's change log does not reach back to its creation");
            }
            Map<String, Object> values = new HashMap<>();
            for (FieldChange c : newest.changes()) {
                if (!NOT_VALUES.contains(c.field()) && c.oldValue() != null) {
                    values.put(c.field(), c.oldValue());
                }
            }
            undo(entries.subList(0, entries.size() - 1), values, new String[] {b.owner, b.team});
            out.add(state(e.getKey(), type, values, b.owner, b.team, create.at(), create.principalId(), b));
        }
        return out;
    }

    private static void undo(List<ChangeLogEntry> entries, Map<String, Object> values, @Nullable String[] ownerTeam) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            for (FieldChange c : entries.get(i).changes()) {
                switch (c.field()) {
                    case "owner" -> ownerTeam[0] = (String) c.oldValue();
                    case "team" -> ownerTeam[1] = (String) c.oldValue();
                    case "merged_into", "merged_from" -> {}
                    default -> {
                        if (c.oldValue() == null) {
                            values.remove(c.field());
                        } else {
                            values.put(c.field(), c.oldValue());
                        }
                    }
                }
            }
        }
    }

    private static Record state(UUID id, String type, Map<String, Object> values, String owner, @Nullable String team,
            Instant createdAt, String createdBy, Before b) {
        ChangeLogEntry last = Objects.requireNonNull(b.last, "checked in collect");
        ChangeLogEntry deletion = b.lastDelete;
        return new Record(id, type, last.version(), owner, team, createdAt, createdBy, last.at(), last.principalId(),
                b.deleted && deletion != null ? deletion.at() : null, values);
    }

    /** Whether a merge link of the snapshot still held at N (links of touched records are rebuilt instead). */
    boolean keeps(MergeLink link) {
        return !tail.containsKey(link.recordId());
    }

    /** The merge links at N of the records touched after it. */
    List<MergeLink> rebuiltLinks() {
        List<MergeLink> out = new ArrayList<>();
        before.forEach((id, b) -> {
            ChangeLogEntry deletion = b.lastDelete;
            if (b.deleted && deletion != null) {
                deletion.change("merged_into").map(FieldChange::newValue).filter(UUID.class::isInstance)
                        .ifPresent(s -> out.add(new MergeLink(deletion.objectType(), id, (UUID) s)));
            }
        });
        return out;
    }

    boolean keeps(ImportedRow row) {
        return !createdAfter.contains(row.recordId());
    }

    boolean keeps(StoredDocument d) {
        return cut == null || !d.at().isAfter(cut);
    }

    boolean keeps(ChangeLogEntry e) {
        return e.sequence() <= sequence;
    }

    boolean keeps(org.crmkit.storage.spi.ChangeSeal s) {
        return s.sequence() <= sequence;
    }
}
