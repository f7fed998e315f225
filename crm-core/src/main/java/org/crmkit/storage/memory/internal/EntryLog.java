package org.crmkit.storage.memory.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.FieldChange;
import org.jspecify.annotations.Nullable;

/**
 * The committed change log of an in-memory storage, encoded ({@link EntryCodec}): entries in sequence order in two
 * parallel arrays (a deleted entry leaves a gap until the arrays are compacted) and, per record, its entries. Not
 * thread-safe: the store reads it under its read lock and changes it under its write lock.
 */
final class EntryLog {
    private final EntryCodec codec;
    private long[] sequences = new long[256];
    private StoredEntry[] entries = new StoredEntry[256];
    private int size;
    private int gaps;
    /**
     * record id -> its entry, or a {@code StoredEntry[]} of its entries in sequence order followed by empty (null)
     * slots for the next ones ({@link #count}).
     */
    private final Map<UUID, Object> byRecord = new HashMap<>();

    EntryLog(EntryCodec codec) {
        this.codec = codec;
    }

    /** Appends an entry, whose sequence must follow the last; {@code row} is its record's, to share bytes with. */
    void add(ChangeLogEntry e, @Nullable StoredRow row) {
        if (size > 0 && e.sequence() <= sequences[size - 1]) {
            throw new IllegalStateException("change-log entry " + e.sequence() + " does not follow "
                    + sequences[size - 1]);
        }
        if (size == entries.length) {
            sequences = Arrays.copyOf(sequences, size * 2);
            entries = Arrays.copyOf(entries, size * 2);
        }
        StoredEntry s = codec.encode(e, row);
        sequences[size] = s.sequence;
        entries[size++] = s;
        Object of = byRecord.get(s.recordId);
        if (of == null) {
            byRecord.put(s.recordId, s);
        } else {
            StoredEntry[] list = of instanceof StoredEntry one ? new StoredEntry[] {one, null} : (StoredEntry[]) of;
            int n = count(list);
            if (n == list.length) { // doubled, not grown by one: a record updated k times costs O(k), not O(k^2)
                list = Arrays.copyOf(list, n * 2);
            }
            list[n] = s;
            byRecord.put(s.recordId, list);
        }
    }

    /** The entries after a sequence, decoded as they are iterated. */
    Iterable<ChangeLogEntry> after(long after) {
        int from = firstAfter(after);
        return () -> new Iterator<>() {
            private int i = skipGaps(from);

            @Override
            public boolean hasNext() {
                return i < size;
            }

            @Override
            public ChangeLogEntry next() {
                if (i >= size) {
                    throw new NoSuchElementException();
                }
                ChangeLogEntry e = codec.decode(entries[i]);
                i = skipGaps(i + 1);
                return e;
            }
        };
    }

    List<ChangeLogEntry> after(long after, int limit) {
        List<ChangeLogEntry> out = new ArrayList<>(Math.min(limit, 1024));
        for (ChangeLogEntry e : after(after)) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    List<ChangeLogEntry> of(UUID recordId) {
        Object of = byRecord.get(recordId);
        if (of == null) {
            return List.of();
        }
        if (of instanceof StoredEntry one) {
            return List.of(codec.decode(one));
        }
        StoredEntry[] list = (StoredEntry[]) of;
        return Arrays.stream(list, 0, count(list)).map(codec::decode).toList();
    }

    /** The entries in a record's array: its slots up to the first empty one (empty slots only trail). */
    private static int count(StoredEntry[] list) {
        int low = 0;
        int high = list.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (list[mid] == null) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** Every entry as it is now, in order, decoded when read (the list holds the immutable encoded entries). */
    List<ChangeLogEntry> frozen() {
        StoredEntry[] live = new StoredEntry[size - gaps];
        int j = 0;
        for (int i = 0; i < size; i++) {
            if (entries[i] != null) {
                live[j++] = entries[i];
            }
        }
        return new RowTable.Decoded<>(live.length, i -> codec.decode(live[i]));
    }

    int size() {
        return size - gaps;
    }

    /** Replaces the changes of an entry, if it is still there. */
    void rewrite(long sequence, List<FieldChange> changes) {
        int i = indexOf(sequence);
        if (i < 0) {
            return;
        }
        ChangeLogEntry e = codec.decode(entries[i]);
        StoredEntry now = codec.encode(new ChangeLogEntry(e.sequence(), e.at(), e.principalId(), e.objectType(),
                e.recordId(), e.operation(), e.version(), changes, e.transactionId()), null);
        entries[i] = now;
        replace(now.recordId, sequence, now);
    }

    /** Deletes an entry, if it is still there. */
    void delete(long sequence) {
        int i = indexOf(sequence);
        if (i < 0) {
            return;
        }
        UUID recordId = entries[i].recordId;
        entries[i] = null;
        gaps++;
        replace(recordId, sequence, null);
        if (gaps > 1024 && gaps > size / 2) {
            compact();
        }
    }

    void clear() {
        sequences = new long[256];
        entries = new StoredEntry[256];
        size = 0;
        gaps = 0;
        byRecord.clear();
    }

    /** Puts {@code now} (null: nothing) where a record's entry of {@code sequence} is. */
    private void replace(UUID recordId, long sequence, @Nullable StoredEntry now) {
        Object of = byRecord.get(recordId);
        if (of instanceof StoredEntry one) {
            if (one.sequence == sequence) {
                if (now == null) {
                    byRecord.remove(recordId);
                } else {
                    byRecord.put(recordId, now);
                }
            }
        } else if (of instanceof StoredEntry[] list) {
            List<StoredEntry> kept = new ArrayList<>(Arrays.asList(list));
            kept.removeIf(java.util.Objects::isNull); // the empty slots
            kept.replaceAll(x -> x.sequence == sequence ? now : x);
            kept.removeIf(java.util.Objects::isNull);
            if (kept.isEmpty()) {
                byRecord.remove(recordId);
            } else {
                byRecord.put(recordId, kept.size() == 1 ? kept.get(0) : kept.toArray(new StoredEntry[0]));
            }
        }
    }

    /** The index of the first slot with a sequence above {@code after}. */
    private int firstAfter(long after) {
        int i = Arrays.binarySearch(sequences, 0, size, after);
        return i >= 0 ? i + 1 : -i - 1;
    }

    private int indexOf(long sequence) {
        int i = Arrays.binarySearch(sequences, 0, size, sequence);
        return i >= 0 && entries[i] != null ? i : -1;
    }

    private int skipGaps(int i) {
        while (i < size && entries[i] == null) {
            i++;
        }
        return i;
    }

    private void compact() {
        int j = 0;
        for (int i = 0; i < size; i++) {
            if (entries[i] != null) {
                sequences[j] = sequences[i];
                entries[j++] = entries[i];
            }
        }
        Arrays.fill(entries, j, size, null);
        size = j;
        gaps = 0;
    }
}
