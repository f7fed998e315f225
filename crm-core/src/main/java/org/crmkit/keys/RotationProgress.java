package org.crmkit.keys;

/**
 * How far a re-encryption is.
 *
 * @param recordsScanned   records looked at so far
 * @param recordsRewritten records whose stored values were re-encrypted (or encrypted for the first time)
 * @param entriesScanned   change-log entries looked at so far
 * @param entriesRewritten change-log entries whose values were re-encrypted
 * @param left             records or entries that could not be rewritten (a record written concurrently over and
 *                         over, a storage that cannot rewrite its change log): run {@code rotate()} again
 * @param done             whether this is the last report
 */
public record RotationProgress(long recordsScanned, long recordsRewritten, long entriesScanned,
        long entriesRewritten, long left, boolean done) {}
