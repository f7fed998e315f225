package org.crmkit.internal.service;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.RecordMergedException;
import org.crmkit.record.Record;
import org.crmkit.storage.spi.StorageFeature;

/**
 * What a caller is told about a record that is not live: {@link RecordMergedException} naming the survivor when the
 * record was merged away, the caller may see it (its type, and the record in their scope) and the survivor (merges
 * of merges followed to the last one) is live and in their scope; else the plain {@link NotFoundException} every
 * missing record gets, so the answer tells nothing about records outside the caller's scope.
 */
final class MergeTrail {
    /** The longest chain of merges followed. */
    private static final int MAX_HOPS = 32;

    private final RecordContext ctx;

    MergeTrail(RecordContext ctx) {
        this.ctx = ctx;
    }

    /** The error for a record the caller asked for and that is not live, in its own transaction if needed. */
    NotFoundException notFound(UUID id) {
        return ctx.session().inTx(tx -> notFound(tx, ctx.access(), id));
    }

    NotFoundException notFound(Tx tx, Access access, UUID id) {
        return survivor(tx, access, id).<NotFoundException>map(s -> new RecordMergedException(ctx.type(), id, s))
                .orElseGet(() -> new NotFoundException(ctx.type(), id));
    }

    /** The live survivor in the caller's scope that a soft-deleted, merged record of their scope went into. */
    Optional<UUID> survivor(Tx tx, Access access, UUID id) {
        if (!ctx.engine().storage.capabilities().supports(StorageFeature.MERGE_LINKS)) {
            return Optional.empty();
        }
        Set<UUID> seen = new HashSet<>();
        UUID current = id;
        for (int hop = 0; hop <= MAX_HOPS && seen.add(current); hop++) {
            Record r = tx.storage.find(ctx.type(), current).filter(access::inScope).orElse(null);
            if (r == null) {
                return Optional.empty();
            }
            if (!r.isDeleted()) {
                return current.equals(id) ? Optional.empty() : Optional.of(current);
            }
            Optional<UUID> next = tx.storage.mergedInto(ctx.type(), current);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
        }
        return Optional.empty();
    }
}
