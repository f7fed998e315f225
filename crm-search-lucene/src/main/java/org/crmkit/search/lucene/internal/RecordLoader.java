package org.crmkit.search.lucene.internal;

import java.util.Objects;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.crmkit.query.Filters;
import org.crmkit.query.Query.Deleted;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.support.SearchFields;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;

/** Reads records to index by id, and the records their searchable references name, in pages of the batch size. */
final class RecordLoader {
    private final int batchSize;

    RecordLoader(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Records of one type by id, in pages of the batch size. */
    Map<UUID, Record> load(SchemaSnapshot schema, StorageTransaction tx, String type, Collection<UUID> ids,
            Deleted deleted) {
        Map<UUID, Record> out = new HashMap<>();
        List<UUID> all = List.copyOf(ids);
        for (int i = 0; i < all.size(); i += batchSize) {
            List<UUID> page = all.subList(i, Math.min(all.size(), i + batchSize));
            for (Record r : tx.query(type, StorageQuery.resolve(schema, type, Filters.where("id").in(page),
                    List.of(Sort.asc("id")), page.size(), null, deleted))) {
                out.put(r.id(), r);
            }
        }
        return out;
    }

    /** The live records the searchable references of these records point at. */
    Map<UUID, Record> referenced(SchemaSnapshot schema, StorageTransaction tx, ObjectType type,
            List<Record> records) {
        Map<UUID, Record> titles = new HashMap<>();
        for (Field ref : SearchFields.searchableReferences(schema, type)) {
            ObjectType target = schema
                    .findObjectType(Objects.requireNonNull(ref.target(), "a reference field has a target"))
                    .orElseThrow();
            Set<UUID> ids = new LinkedHashSet<>();
            for (Record r : records) {
                if (r.get(ref.name()) instanceof UUID id && !titles.containsKey(id)) {
                    ids.add(id);
                }
            }
            if (!ids.isEmpty()) {
                titles.putAll(load(schema, tx, target.name(), ids, Deleted.EXCLUDE));
            }
        }
        return titles;
    }
}
