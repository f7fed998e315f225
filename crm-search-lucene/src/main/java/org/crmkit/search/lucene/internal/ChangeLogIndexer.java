package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.lucene.index.Term;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.crmkit.event.Operation;
import org.crmkit.query.Filters;
import org.crmkit.query.Query.Deleted;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.spi.SearchContext;
import org.crmkit.search.support.SearchFields;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the change log to the index in the manner of Hibernate Search's outbox processing: reads the entries after
 * the position the index has applied, reloads each changed record by id (in its current state, once per batch)
 * and replaces or deletes its document, re-indexes the records whose searchable references name a renamed,
 * reassigned, deleted or restored record, and makes each batch searchable. Re-applying an entry is harmless, since
 * documents are replaced by record id. Runs on the indexer thread.
 */
final class ChangeLogIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeLogIndexer.class);
    private static final int MAX_REFERRERS = 10_000;

    private final SearchContext context;
    private final IndexStore store;
    private final DocumentMapper mapper;
    private final RecordLoader loader;
    private final int batchSize;

    ChangeLogIndexer(SearchContext context, IndexStore store, DocumentMapper mapper, LuceneSettings settings) {
        this.context = context;
        this.store = store;
        this.mapper = mapper;
        this.loader = new RecordLoader(settings.batchSize());
        this.batchSize = settings.batchSize();
    }

    /** Applies every committed change after the applied position, batch by batch, refreshing after each. */
    void catchUp() throws IOException {
        Storage storage = context.storage();
        while (!store.isClosing()) {
            List<ChangeLogEntry> entries = storage.readChangeLog(store.applied(), batchSize);
            if (entries.isEmpty()) {
                return;
            }
            apply(entries);
            store.applied(entries.get(entries.size() - 1));
            store.refresh();
        }
    }

    /** Re-indexes each record the entries touched (once, in its current state) and the records naming it. */
    private void apply(List<ChangeLogEntry> entries) throws IOException {
        SchemaSnapshot schema = context.schema();
        Map<String, Set<UUID>> byType = new LinkedHashMap<>();
        Map<String, Set<UUID>> referrersOf = new LinkedHashMap<>();
        for (ChangeLogEntry e : entries) {
            if (e.operation() == Operation.PURGE) {
                store.purged();
            }
            byType.computeIfAbsent(e.objectType(), k -> new LinkedHashSet<>()).add(e.recordId());
            ObjectType type = schema.findObjectType(e.objectType()).orElse(null);
            if (type != null && namesChanged(type, e)) {
                referrersOf.computeIfAbsent(e.objectType(), k -> new LinkedHashSet<>()).add(e.recordId());
            }
        }
        try (StorageTransaction tx = context.storage().begin()) {
            for (Map.Entry<String, Set<UUID>> target : referrersOf.entrySet()) {
                for (Map.Entry<String, Set<UUID>> r : referrers(schema, tx, target.getKey(), target.getValue())
                        .entrySet()) {
                    byType.computeIfAbsent(r.getKey(), k -> new LinkedHashSet<>()).addAll(r.getValue());
                }
            }
            for (Map.Entry<String, Set<UUID>> e : byType.entrySet()) {
                ObjectType type = schema.findObjectType(e.getKey()).orElse(null);
                if (type == null || !SearchFields.isSearched(schema, type)) {
                    for (UUID id : e.getValue()) {
                        store.writer().deleteDocuments(new Term(IndexFields.ID, id.toString()));
                    }
                    continue;
                }
                Map<UUID, Record> found = loader.load(schema, tx, type.name(), e.getValue(), Deleted.INCLUDE);
                List<Record> live = found.values().stream().filter(r -> !r.isDeleted()).toList();
                Map<UUID, Record> referenced = loader.referenced(schema, tx, type, live);
                for (UUID id : e.getValue()) {
                    Record r = found.get(id);
                    if (r == null || r.isDeleted()) {
                        store.writer().deleteDocuments(new Term(IndexFields.ID, id.toString()));
                    } else {
                        store.writer().updateDocument(new Term(IndexFields.ID, id.toString()),
                                mapper.document(schema, type, r, referenced));
                    }
                }
            }
        }
    }

    /**
     * Whether a change alters what records referencing this one index: its name, whether it is live, or its owner
     * or team (which decide whose scope it is in).
     */
    private static boolean namesChanged(ObjectType type, ChangeLogEntry e) {
        if (e.operation() != Operation.UPDATE) {
            return e.operation() != Operation.CREATE;
        }
        for (FieldChange c : e.changes()) {
            if (c.field().equals("owner") || c.field().equals("team")) {
                return true;
            }
            for (Field f : SearchFields.nameFields(type)) {
                if (c.field().equals(f.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The records of searched types whose searchable references point at these records, by type. */
    private static Map<String, Set<UUID>> referrers(SchemaSnapshot schema, StorageTransaction tx, String targetType,
            Set<UUID> targets) {
        Map<String, Set<UUID>> out = new LinkedHashMap<>();
        for (ObjectType type : schema.types()) {
            for (Field ref : SearchFields.searchableReferences(schema, type)) {
                if (!targetType.equals(ref.target())) {
                    continue;
                }
                List<Record> rows = tx.query(type.name(), StorageQuery.resolve(schema, type.name(),
                        Filters.where(ref.name()).in(List.copyOf(targets)), List.of(Sort.asc("id")), MAX_REFERRERS,
                        null, Deleted.EXCLUDE));
                if (rows.size() == MAX_REFERRERS) {
                    LOG.warn("more than {} {} records reference a renamed or reassigned {}; the rest keep its old "
                            + "name, owner and team until they change or the index is rebuilt", MAX_REFERRERS,
                            type.name(), targetType);
                }
                rows.forEach(r -> out.computeIfAbsent(type.name(), k -> new LinkedHashSet<>()).add(r.id()));
            }
        }
        return out;
    }
}
