package org.crmkit.storage.spi;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The exact totals of a record's count and sum roll-ups, kept beside the record itself: an optional extension of a
 * storage ({@code storage.extension(RollupTotalsStore.class)}). The engine keeps one opaque text per parent record
 * (its totals, as it encodes them) and reads and writes it only while the record is locked
 * ({@link StorageTransaction#lockForUpdate}).
 *
 * <p>A storage implements it when it can keep the text with the record's own row, so that the lock that reads the
 * parent also reads its totals and the update that writes the parent also writes them (the JDBC storage: one column
 * of the type's table). A storage without it keeps the totals in its {@link SummaryStore}, at the price of more
 * statements per write; one with neither recomputes every roll-up.
 *
 * <p>The text is derived data: a missing one only makes the engine recompute that parent. It goes when the record
 * is purged.
 */
public interface RollupTotalsStore {
    /**
     * The totals of these records of {@code type} as {@code transaction} sees them (including what it wrote),
     * by record id; records without any are left out. The records are locked by the transaction.
     */
    Map<UUID, String> read(StorageTransaction transaction, String type, Collection<UUID> ids);

    /**
     * Writes the totals of these records of {@code type} in {@code transaction}; a null text clears them. The
     * storage may hold the texts until the transaction sends the records' own updates, and must have written them
     * all by its commit. A record the transaction purged keeps nothing.
     */
    void write(StorageTransaction transaction, String type, Map<UUID, @Nullable String> totals);
}
