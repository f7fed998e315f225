package org.crmkit.internal.schema;

import java.util.Map;
import java.util.Optional;
import org.crmkit.schema.ObjectType;

/**
 * The {@link RecordHook}s of the standard object types, by type name: the registry the write pipeline asks for the
 * hook of a record's type. Custom types have none (a standard type's name cannot be taken by a custom one).
 */
public final class RecordHooks {
    private final Map<String, RecordHook> byStandardType;

    public RecordHooks(Map<String, RecordHook> byStandardType) {
        this.byStandardType = Map.copyOf(byStandardType);
    }

    /** The hook of {@code type}, if it is a standard type with one. */
    public Optional<RecordHook> forType(ObjectType type) {
        return type.custom() ? Optional.empty() : Optional.ofNullable(byStandardType.get(type.name()));
    }
}
