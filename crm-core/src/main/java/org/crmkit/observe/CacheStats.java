package org.crmkit.observe;

/**
 * Counts of the engine's record cache since the {@code Crm} started ({@code crm.admin().recordCacheStats()}): an
 * update at a version the cache holds needs no read before its write (a hit); a miss reads the storage.
 *
 * @param hits      lookups that found the record at the version asked for
 * @param misses    lookups that did not
 * @param size      records held now (an estimate)
 * @param maximum   the most it holds (0: the cache is off)
 */
public record CacheStats(long hits, long misses, long size, long maximum) {
    /** Hits over lookups, 0 to 1 (1 before the first lookup). */
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 1.0 : (double) hits / lookups;
    }
}
