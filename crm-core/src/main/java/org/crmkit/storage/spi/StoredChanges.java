package org.crmkit.storage.spi;

import java.util.Objects;
import org.crmkit.event.ChangeLogEntry;

/**
 * A change-log entry as a storage keeps it, for a backup that copies it into its archive
 * ({@link StorageSnapshot#changeLogAsStored}): {@code entry} with every part but its field changes (an empty list),
 * and the field changes as the JSON text {@link org.crmkit.storage.support.StorageJson#writeChanges} makes, unparsed.
 *
 * @param entry       the entry without its field changes
 * @param changesJson its field changes as JSON text
 */
public record StoredChanges(ChangeLogEntry entry, String changesJson) {
    public StoredChanges {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(changesJson, "changesJson");
    }
}
