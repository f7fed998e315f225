package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.crmkit.record.Record;
import org.crmkit.report.ReportDefinition;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.SummaryStore;
import org.jspecify.annotations.Nullable;

/**
 * Keeps report summaries exact in the transaction that changes their records: before the commit (after the
 * roll-ups, whose writes it sees too) it turns the transaction's record writes into each summary's row changes (the
 * contribution of the states after minus those before, {@link SummaryLayout#changes}), and when a summary has any,
 * locks it (summaries in name order, the last locks the transaction takes), reads the rows concerned and writes them
 * back changed. The summary thus moves with the commit that moved its records, on every node, and a crash cannot
 * leave it behind: there is nothing to catch up. A write that changes nothing a summary counts (another field, a
 * record outside its filter) takes no lock.
 */
final class SummaryKeeper {
    private final CrmEngine engine;
    private final ReportSummaries summaries;

    SummaryKeeper(CrmEngine engine, ReportSummaries summaries) {
        this.engine = engine;
        this.summaries = summaries;
    }

    void beforeCommit(Tx tx) {
        if (summaries.none()) {
            return; // the common case: no report is summarised
        }
        List<Tx.Written> written = tx.takeWrittenForSummaries();
        if (written.isEmpty()) {
            return;
        }
        Map<String, List<Tx.Written>> byType = new HashMap<>();
        for (Tx.Written w : written) {
            Record any = w.after() != null ? w.after() : java.util.Objects.requireNonNull(w.before());
            byType.computeIfAbsent(any.type(), k -> new ArrayList<>()).add(w);
        }
        Map<String, Map.Entry<ReportDefinition, List<Tx.Written>>> touched = new TreeMap<>();
        for (Map.Entry<String, List<Tx.Written>> e : byType.entrySet()) {
            for (ReportDefinition d : summaries.on(e.getKey())) {
                touched.put(d.name(), Map.entry(d, e.getValue()));
            }
        }
        if (touched.isEmpty()) {
            return;
        }
        SchemaSnapshot schema = engine.schema.compiled().snapshot;
        SummaryStore store = summaries.store().orElseThrow();
        for (Map.Entry<ReportDefinition, List<Tx.Written>> e : touched.values()) {
            apply(tx, store, schema, e.getKey(), e.getValue());
        }
    }

    private void apply(Tx tx, SummaryStore store, SchemaSnapshot schema, ReportDefinition known,
            List<Tx.Written> writes) {
        List<Record> before = new ArrayList<>();
        List<Record> after = new ArrayList<>();
        for (Tx.Written w : writes) {
            if (w.before() != null) {
                before.add(w.before());
            }
            if (w.after() != null) {
                after.add(w.after());
            }
        }
        SummaryLayout layout = summaries.layout(known, schema);
        Map<List<@Nullable Object>, SummaryLayout.Row> changes = layout.changes(before, after);
        if (changes.isEmpty()) {
            return;
        }
        Optional<String> header = store.lock(tx.storage, known.name());
        if (header.isEmpty()) {
            return; // dropped meanwhile
        }
        Optional<ReportDefinition> builtFor = summaries.definition(header.get());
        if (builtFor.isEmpty()) {
            return; // being built: the build, which waits for this commit, counts these records
        }
        if (builtFor.get().version() != known.version()) {
            // saved again (maybe on another node): the definition the summary was built for is the one to follow
            layout = summaries.layout(builtFor.get(), schema);
            changes = layout.changes(before, after);
            if (!builtFor.get().objectType().equals(known.objectType()) || changes.isEmpty()) {
                return;
            }
        }
        Map<String, List<@Nullable Object>> keys = new LinkedHashMap<>();
        for (List<@Nullable Object> group : changes.keySet()) {
            keys.put(layout.key(group), group);
        }
        Map<String, String> stored = store.rows(tx.storage, known.name(), keys.keySet());
        Map<String, @Nullable String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<@Nullable Object>> k : keys.entrySet()) {
            SummaryLayout.Row change = java.util.Objects.requireNonNull(changes.get(k.getValue()));
            String text = stored.get(k.getKey());
            SummaryLayout.Row row = text == null ? change : SummaryLayout.plus(layout.read(text), change);
            out.put(k.getKey(), row.count() == 0 ? null : layout.write(row));
        }
        store.write(tx.storage, known.name(), out);
    }
}
