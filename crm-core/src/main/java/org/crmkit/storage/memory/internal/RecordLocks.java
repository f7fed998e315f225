package org.crmkit.storage.memory.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;

/**
 * Exclusive record locks held by memory transactions until they end, the in-memory {@code SELECT ... FOR UPDATE}
 * ({@link MemoryTransaction#lockForUpdate}). One call takes its locks in id order, so two calls never deadlock each
 * other; a thread interrupted while waiting gets a {@link CrmException} and holds none of the call's new locks.
 */
final class RecordLocks {
    private final Map<UUID, Object> owners = new HashMap<>();

    /** Takes the locks on {@code ids} for {@code owner}, waiting for other owners to release them. */
    synchronized void lock(Object owner, Collection<UUID> ids) {
        List<UUID> taken = new ArrayList<>();
        try {
            for (UUID id : new TreeSet<>(ids)) {
                while (owners.containsKey(id) && owners.get(id) != owner) {
                    wait();
                }
                if (owners.putIfAbsent(id, owner) == null) {
                    taken.add(id);
                }
            }
        } catch (InterruptedException e) {
            taken.forEach(owners::remove);
            notifyAll();
            Thread.currentThread().interrupt();
            throw new CrmException(ErrorCode.CLOSED, "interrupted while waiting for a record lock");
        }
    }

    /** Releases every lock {@code owner} holds. */
    synchronized void releaseAll(Object owner) {
        if (owners.values().removeIf(o -> o == owner)) {
            notifyAll();
        }
    }
}
