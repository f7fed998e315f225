package org.crmkit.storage.jdbc.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.storage.spi.RollupTotalsStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/**
 * Roll-up totals in a column of the parent's own row ({@link RecordTable#rollupTotals}), so that the engine's
 * parent lock reads them ({@link JdbcTransaction#lockForUpdate} selects the column too) and the parent's update
 * writes them ({@link WriteBuffer} sets the column in the same {@code UPDATE}): a roll-up write costs no statement
 * of its own for them. Totals of a record the transaction did not lock or write are read with one query.
 */
public final class JdbcRollupTotals implements RollupTotalsStore {
    private final JdbcStore store;

    public JdbcRollupTotals(JdbcStore store) {
        this.store = store;
    }

    private JdbcTransaction of(StorageTransaction transaction) {
        if (!(transaction.unwrap() instanceof JdbcTransaction t)) {
            throw new IllegalArgumentException("not a transaction of this storage: " + transaction);
        }
        t.joined(store);
        return t;
    }

    @Override
    public Map<UUID, String> read(StorageTransaction transaction, String type, Collection<UUID> ids) {
        JdbcTransaction tx = of(transaction);
        RecordTable t = tx.tableOrNull(type);
        Map<UUID, String> out = new HashMap<>();
        org.jooq.Field<String> column = t == null ? null : t.rollupTotals;
        if (t == null || column == null) {
            return out;
        }
        Map<UUID, Optional<String>> known = tx.writes().knownTotals();
        List<UUID> unread = new ArrayList<>();
        for (UUID id : ids) {
            Optional<String> text = known.get(id);
            if (text != null) {
                text.ifPresent(v -> out.put(id, v));
            } else {
                unread.add(id);
            }
        }
        if (unread.isEmpty()) {
            return out;
        }
        try {
            for (org.jooq.Record2<UUID, String> r : tx.writer().select(t.id, column).from(t.table())
                    .where(t.id.in(unread)).fetch()) {
                known.put(r.value1(), Optional.ofNullable(r.value2()));
                if (r.value2() != null) {
                    out.put(r.value1(), r.value2());
                }
            }
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, new SqlErrors.Target(type, unread.get(0), -1),
                    "reading the roll-up totals of " + type + " records");
        }
        return out;
    }

    @Override
    public void write(StorageTransaction transaction, String type, Map<UUID, @Nullable String> totals) {
        JdbcTransaction tx = of(transaction);
        RecordTable t = tx.tableOrNull(type);
        if (t == null || t.rollupTotals == null) {
            throw new IllegalArgumentException("the type " + type + " holds no roll-ups");
        }
        Map<UUID, Optional<String>> known = tx.writes().knownTotals();
        totals.forEach((id, text) -> {
            tx.writes().writeTotals(type, Objects.requireNonNull(id, "id"), text);
            known.put(id, Optional.ofNullable(text));
        });
    }
}
