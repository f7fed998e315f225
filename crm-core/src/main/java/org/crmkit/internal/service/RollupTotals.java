package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.crmkit.storage.spi.RollupTotalsStore;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.spi.SummaryStore;
import org.jspecify.annotations.Nullable;

/**
 * The exact totals of the count and sum roll-ups of each parent ({@link RollupDelta}): beside the parent record
 * where the storage can keep them there ({@link RollupTotalsStore}: the JDBC storage's column of the parent's row,
 * read with its lock and written with its update), else in the storage's {@link SummaryStore} under the summary
 * {@code rollup:<parent type>} (report names cannot hold a colon), one row per parent keyed by its id. The text is
 * {@code key=total} pairs joined by {@code ;}, a key being a roll-up field's name and definition fingerprint
 * ({@link RollupDelta#key}), a total a plain decimal.
 *
 * <p>The texts are derived data: a missing or unreadable one only means the keeper recomputes that parent. They are
 * read and written only while the parent is locked ({@code lockForUpdate}), which orders every writer of a text.
 * Storages with neither store keep no totals; their roll-ups are always recomputed.
 */
final class RollupTotals {
    static final String PREFIX = "rollup:";

    private final CrmEngine engine;

    RollupTotals(CrmEngine engine) {
        this.engine = engine;
    }

    /** Whether the storage keeps totals (beside the records, or in a summary store). */
    boolean kept() {
        return besideRecords().isPresent() || store().isPresent();
    }

    /** Whether totals go with their record, so a purged parent's go with it. */
    boolean purgedWithRecord() {
        return besideRecords().isPresent();
    }

    private Optional<RollupTotalsStore> besideRecords() {
        return engine.storage.extension(RollupTotalsStore.class);
    }

    private Optional<SummaryStore> store() {
        return engine.storage.extension(SummaryStore.class);
    }

    /** The totals of these parents as {@code transaction} sees them, by parent; parents without any left out. */
    Map<UUID, Map<String, BigDecimal>> read(StorageTransaction transaction, String parentType,
            Collection<UUID> parents) {
        if (parents.isEmpty()) {
            return Map.of();
        }
        RollupTotalsStore beside = besideRecords().orElse(null);
        if (beside != null) {
            Map<UUID, Map<String, BigDecimal>> out = new HashMap<>();
            beside.read(transaction, parentType, parents).forEach((id, text) -> {
                Map<String, BigDecimal> totals = decode(text);
                if (!totals.isEmpty()) {
                    out.put(id, totals);
                }
            });
            return out;
        }
        SummaryStore store = store().orElse(null);
        if (store == null) {
            return Map.of();
        }
        List<String> keys = new ArrayList<>(parents.size());
        parents.forEach(p -> keys.add(p.toString()));
        Map<UUID, Map<String, BigDecimal>> out = new HashMap<>();
        store.rows(transaction, PREFIX + parentType, keys).forEach((id, text) -> {
            Map<String, BigDecimal> totals = decode(text);
            if (!totals.isEmpty()) {
                out.put(UUID.fromString(id), totals);
            }
        });
        return out;
    }

    /** Writes the totals of these parents in {@code transaction}; a null or empty map deletes the parent's row. */
    void write(StorageTransaction transaction, String parentType,
            Map<UUID, @Nullable Map<String, BigDecimal>> totals) {
        if (totals.isEmpty()) {
            return;
        }
        RollupTotalsStore beside = besideRecords().orElse(null);
        if (beside != null) {
            Map<UUID, @Nullable String> texts = new LinkedHashMap<>();
            totals.forEach((id, t) -> texts.put(id, t == null || t.isEmpty() ? null : encode(t)));
            beside.write(transaction, parentType, texts);
            return;
        }
        SummaryStore store = store().orElse(null);
        if (store == null) {
            return;
        }
        Map<String, @Nullable String> rows = new LinkedHashMap<>();
        totals.forEach((id, t) -> rows.put(id.toString(), t == null || t.isEmpty() ? null : encode(t)));
        store.write(transaction, PREFIX + parentType, rows);
    }

    static String encode(Map<String, BigDecimal> totals) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(totals).forEach((key, total) -> {
            if (!out.isEmpty()) {
                out.append(';');
            }
            out.append(key).append('=').append(total.toPlainString());
        });
        return out.toString();
    }

    /** The totals a row's text holds; pairs that do not read are left out (the keeper recomputes those). */
    static Map<String, BigDecimal> decode(String text) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (String pair : text.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.put(pair.substring(0, eq), new BigDecimal(pair.substring(eq + 1)));
            } catch (NumberFormatException e) {
                // not a total: left out
            }
        }
        return out;
    }
}
