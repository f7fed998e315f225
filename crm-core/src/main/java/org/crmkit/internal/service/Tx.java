package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.storage.spi.StorageTransaction;

/**
 * One service-level transaction: the storage transaction, its id, the change-log entries it staged, and the record
 * writes it made. Writes go through {@link #insert}, {@link #insertAll}, {@link #update} and {@link #purge}, never
 * straight to the storage, so that the roll-ups they move are recomputed before the commit ({@link RollupKeeper}).
 */
final class Tx {
    final StorageTransaction storage;
    final UUID id;
    private final List<ChangeLogEntry> staged = new ArrayList<>();
    private final java.util.Map<UUID, org.crmkit.record.Record> seen = new java.util.HashMap<>();
    private final java.util.Set<UUID> purged = new java.util.HashSet<>();
    private final List<Written> written = new ArrayList<>();
    /** The same writes, for the report summaries, which look at them after the roll-ups' own writes. */
    private final List<Written> forSummaries = new ArrayList<>();

    /** One record write: the state before (null: created) and after (null: purged). */
    record Written(org.crmkit.record.@org.jspecify.annotations.Nullable Record before,
            org.crmkit.record.@org.jspecify.annotations.Nullable Record after) {}

    private final org.crmkit.internal.chain.ChangeChain chain;

    Tx(StorageTransaction storage, UUID id, org.crmkit.internal.chain.ChangeChain chain) {
        this.storage = storage;
        this.id = id;
        this.chain = chain;
    }

    void insert(org.crmkit.record.Record created) {
        storage.insert(created);
        wrote(new Written(null, created));
    }

    void insertAll(List<org.crmkit.record.Record> created) {
        storage.insertAll(created);
        created.forEach(r -> wrote(new Written(null, r)));
    }

    /** Replaces {@code before} (the stored state, read by this transaction) with {@code after}. */
    void update(org.crmkit.record.Record after, org.crmkit.record.Record before) {
        storage.update(after, before);
        wrote(new Written(before, after));
    }

    /** Removes the stored state {@code r} for good. */
    void purge(org.crmkit.record.Record r) {
        storage.purge(r.type(), r.id(), r.version());
        wrote(new Written(r, null));
    }

    private void wrote(Written w) {
        written.add(w);
        forSummaries.add(w);
    }

    /** The writes made since the last call, for the report summaries ({@link SummaryKeeper}), forgotten here. */
    List<Written> takeWrittenForSummaries() {
        List<Written> out = List.copyOf(forSummaries);
        forSummaries.clear();
        return out;
    }

    /** The writes made since the last call, forgotten here. */
    List<Written> takeWritten() {
        List<Written> out = List.copyOf(written);
        written.clear();
        return out;
    }

    void log(ChangeLogEntry entry) {
        staged.add(entry);
        org.crmkit.storage.spi.ChangeSealing sealing = chain.sealing(entry);
        if (sealing == null) {
            storage.appendChange(entry);
        } else {
            storage.appendChange(entry, sealing);
        }
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
