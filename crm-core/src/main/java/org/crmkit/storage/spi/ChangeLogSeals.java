package org.crmkit.storage.spi;

import java.util.List;
import java.util.Map;

/**
 * The seals that make a storage's change log tamper-evident: an optional extension
 * ({@code storage.extension(ChangeLogSeals.class)}) that a storage offers when it can keep them. A seal is written
 * with its entry at commit ({@link StorageTransaction#appendChange(org.crmkit.event.ChangeLogEntry, ChangeSealing)})
 * and outlives it: retention deletes old entries but not their seals, so the chain stays whole. The
 * {@code ChangeLogChainContract} of {@code crm-testkit} is the executable contract.
 */
public interface ChangeLogSeals {
    /** Up to {@code limit} committed seals with a sequence greater than {@code afterSequence}, in order. */
    List<ChangeSeal> read(long afterSequence, int limit);

    /**
     * Sets, with {@code transaction}, the {@link ChangeSeal#mark() mark} of seals by sequence; a sequence without a
     * seal is skipped.
     */
    void mark(StorageTransaction transaction, Map<Long, String> marks);
}
