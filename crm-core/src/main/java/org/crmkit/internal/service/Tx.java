package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.StorageTransaction;

/** One service-level transaction: the storage transaction, its id, and the change-log entries it staged. */
final class Tx {
    final StorageTransaction storage;
    final UUID id;
    private final List<ChangeLogEntry> staged = new ArrayList<>();
    private final java.util.Map<UUID, org.crmkit.record.Record> seen = new java.util.HashMap<>();
    private final java.util.Set<UUID> purged = new java.util.HashSet<>();

    Tx(StorageTransaction storage, UUID id) {
        this.storage = storage;
        this.id = id;
    }

    void log(ChangeLogEntry entry) {
        staged.add(entry);
        storage.appendChange(entry);
    }

    /**
     * Notes a stored state this transaction read or wrote; once it commits, each such state is committed (another
     * transaction's, or its own), so the engine may remember it ({@link RecordCache}).
     */
    void saw(org.crmkit.record.Record stored) {
        seen.merge(stored.id(), stored, (a, b) -> b.version() >= a.version() ? b : a);
        purged.remove(stored.id());
    }

    void sawPurge(UUID id) {
        seen.remove(id);
        purged.add(id);
    }

    java.util.Collection<org.crmkit.record.Record> seen() {
        return seen.values();
    }

    java.util.Set<UUID> purged() {
        return purged;
    }

    /** The entries staged so far, in order. */
    List<ChangeLogEntry> staged() {
        return java.util.Collections.unmodifiableList(staged);
    }

    boolean hasChanges() {
        return !staged.isEmpty();
    }
}
