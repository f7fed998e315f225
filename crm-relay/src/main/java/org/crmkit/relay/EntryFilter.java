package org.crmkit.relay;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.crmkit.event.ChangeLogEntry;

/**
 * Decides what of each change-log entry a relay publishes: the entry as it is, a narrowed copy, or nothing (the
 * entry is skipped and the position moves past it). The relay publishes the system's full entries, hidden fields
 * included, unless a filter takes them out: a host drops sensitive fields here before they leave the process.
 * Called on the relay's thread, once per entry and attempt; it must be deterministic.
 */
@FunctionalInterface
public interface EntryFilter {
    /** The entry to publish in place of {@code entry}, or empty to publish nothing for it. */
    Optional<ChangeLogEntry> apply(ChangeLogEntry entry);

    /** Publishes every entry whole (the default). */
    static EntryFilter all() {
        return Optional::of;
    }

    /** Publishes every entry without the changes of {@code fields} of the type {@code objectType}. */
    static EntryFilter withoutFields(String objectType, Set<String> fields) {
        Objects.requireNonNull(objectType, "objectType");
        Set<String> dropped = Set.copyOf(Objects.requireNonNull(fields, "fields"));
        return entry -> Optional.of(entry.objectType().equals(objectType)
                ? entry.onlyFields(f -> !dropped.contains(f))
                : entry);
    }

    /** This filter, then {@code next} on what it kept. */
    default EntryFilter andThen(EntryFilter next) {
        Objects.requireNonNull(next, "next");
        return entry -> apply(entry).flatMap(next::apply);
    }
}
