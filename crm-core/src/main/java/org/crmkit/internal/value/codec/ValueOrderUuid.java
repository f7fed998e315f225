package org.crmkit.internal.value.codec;

import java.util.Comparator;
import java.util.UUID;

/** UUIDs in unsigned byte order (the order of their canonical text), as storages sort them. */
final class ValueOrderUuid {
    static final Comparator<UUID> ORDER = Comparator.comparing(UUID::toString);

    private ValueOrderUuid() {}
}
