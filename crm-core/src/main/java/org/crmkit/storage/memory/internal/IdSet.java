package org.crmkit.storage.memory.internal;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * A set of record ids in one open-addressing array (linear probing, at most three quarters full), for the values of
 * {@link FieldIndexes} that many records share (an owner, a common last name): about 6 bytes an id where a
 * {@code HashSet} takes about 40. Not thread-safe, like the indexes; its iterator does not remove.
 */
final class IdSet extends AbstractSet<UUID> {
    private UUID[] table = new UUID[8];
    private int size;

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof UUID id && table[slot(table, id)] != null;
    }

    @Override
    public boolean add(UUID id) {
        int i = slot(table, id);
        if (table[i] != null) {
            return false;
        }
        table[i] = id;
        if (++size * 4 > table.length * 3) {
            grow();
        }
        return true;
    }

    @Override
    public boolean remove(Object o) {
        if (!(o instanceof UUID id)) {
            return false;
        }
        int i = slot(table, id);
        if (table[i] == null) {
            return false;
        }
        table[i] = null;
        size--;
        int mask = table.length - 1;
        // shift back the ids that probed past the freed slot
        for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            UUID moved = table[j];
            table[j] = null;
            table[slot(table, moved)] = moved;
        }
        return true;
    }

    @Override
    public Iterator<UUID> iterator() {
        UUID[] t = table;
        return new Iterator<>() {
            private int i = next(0);

            private int next(int from) {
                int j = from;
                while (j < t.length && t[j] == null) {
                    j++;
                }
                return j;
            }

            @Override
            public boolean hasNext() {
                return i < t.length;
            }

            @Override
            public UUID next() {
                if (i >= t.length) {
                    throw new NoSuchElementException();
                }
                UUID id = t[i];
                i = next(i + 1);
                return id;
            }
        };
    }

    /** The slot holding {@code id}, or the empty slot where it would go. */
    private static int slot(UUID[] table, UUID id) {
        int mask = table.length - 1;
        int h = id.hashCode() * 0x9E3779B9;
        int i = (h ^ (h >>> 16)) & mask;
        while (table[i] != null && !table[i].equals(id)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        UUID[] old = table;
        table = new UUID[old.length * 2];
        for (UUID id : old) {
            if (id != null) {
                table[slot(table, id)] = id;
            }
        }
    }
}
