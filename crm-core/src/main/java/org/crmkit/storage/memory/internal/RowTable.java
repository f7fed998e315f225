package org.crmkit.storage.memory.internal;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.crmkit.record.Record;
import org.jspecify.annotations.Nullable;

/**
 * The committed records of one object type, kept as {@link StoredRow}s and read as {@link Record}s (decoded on each
 * read, so callers get immutable values as before). Reads need no lock; the store writes under its write lock.
 */
final class RowTable {
    private final String type;
    private final RowCodec codec;
    private final Map<UUID, StoredRow> rows = new ConcurrentHashMap<>();

    RowTable(String type, RowCodec codec) {
        this.type = codec.names.intern(type);
        this.codec = codec;
    }

    @Nullable
    Record get(UUID id) {
        StoredRow row = rows.get(id);
        return row == null ? null : codec.decode(id, type, row);
    }

    /** The encoded row of a record, or null. */
    @Nullable
    StoredRow row(UUID id) {
        return rows.get(id);
    }

    boolean containsKey(UUID id) {
        return rows.containsKey(id);
    }

    void put(UUID id, Record r) {
        if (!r.type().equals(type) || !r.id().equals(id)) {
            throw new IllegalStateException("record " + r.type() + " " + r.id() + " written as " + type + " " + id);
        }
        rows.put(id, codec.encode(r));
    }

    void remove(UUID id) {
        rows.remove(id);
    }

    int size() {
        return rows.size();
    }

    /**
     * The records as they are now, by id, decoded when read: the list holds the (immutable) rows, not records, so a
     * backup's copy of a big table costs an array, not the table again.
     */
    List<Record> frozen() {
        List<Map.Entry<UUID, StoredRow>> all = new ArrayList<>(rows.entrySet());
        all.sort(Map.Entry.comparingByKey());
        UUID[] ids = new UUID[all.size()];
        StoredRow[] frozen = new StoredRow[all.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = all.get(i).getKey();
            frozen[i] = all.get(i).getValue();
        }
        return new Frozen(List.of(ids), i -> codec.decode(ids[i], type, frozen[i]));
    }

    /** The records of {@link #frozen}, with their ids at hand without decoding them. */
    static final class Frozen extends Decoded<Record> {
        private final List<UUID> ids;

        Frozen(List<UUID> ids, java.util.function.IntFunction<Record> item) {
            super(ids.size(), item);
            this.ids = ids;
        }

        /** The records' ids, in the list's order (rising). */
        List<UUID> ids() {
            return ids;
        }
    }

    /** A fixed list whose items are decoded each time they are read. */
    static class Decoded<T> extends java.util.AbstractList<T> implements java.util.RandomAccess {
        private final int size;
        private final java.util.function.IntFunction<T> item;

        Decoded(int size, java.util.function.IntFunction<T> item) {
            this.size = size;
            this.item = item;
        }

        @Override
        public T get(int index) {
            java.util.Objects.checkIndex(index, size);
            return item.apply(index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** The records, decoded as they are iterated. */
    Collection<Record> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Record> iterator() {
                Iterator<Map.Entry<UUID, StoredRow>> it = rows.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Record next() {
                        Map.Entry<UUID, StoredRow> e = it.next();
                        return codec.decode(e.getKey(), type, e.getValue());
                    }
                };
            }

            @Override
            public int size() {
                return rows.size();
            }
        };
    }
}
