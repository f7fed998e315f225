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

    Tx(StorageTransaction storage, UUID id) {
        this.storage = storage;
        this.id = id;
    }

    void log(ChangeLogEntry entry) {
        staged.add(entry);
        storage.appendChange(entry);
    }

    boolean hasChanges() {
        return !staged.isEmpty();
    }
}
