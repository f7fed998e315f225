package org.crmkit.storage.memory.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One store's dictionary of the small strings its rows repeat (field names, type names, principals): each gets a
 * number, so an encoded row names a field in a byte or two, and one shared {@link String}, so that decoded records
 * and entries do not each hold a copy. It only grows; readers may decode without the store's lock.
 */
final class Names {
    private final Map<String, Integer> codes = new ConcurrentHashMap<>();
    private volatile String[] names = new String[64];
    private int count;

    /** The number of a name, given one if it has none yet. */
    int code(String name) {
        Integer code = codes.get(name);
        return code != null ? code : add(name);
    }

    /** The name of a number that {@link #code} gave. */
    String name(int code) {
        return names[code];
    }

    /** The dictionary's own copy of a string (equal to it). */
    String intern(String s) {
        int code = code(s); // first: it may grow the array
        return names[code];
    }

    private synchronized int add(String name) {
        Integer code = codes.get(name);
        if (code != null) {
            return code;
        }
        String[] now = names;
        if (count == now.length) {
            now = Arrays.copyOf(now, count * 2);
        }
        now[count] = name;
        names = now; // a volatile write after the element's: readers that got the code see the name
        codes.put(name, count);
        return count++;
    }
}
