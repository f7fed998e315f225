package org.crmkit.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The live schema as one principal sees it ({@link org.crmkit.CrmSession#schema()}): only the object types it may
 * read, and of each only the fields not hidden from it, with what it may do to them. Computed by the same access
 * rules as every record operation (a formula is as hidden as the fields it reads, a roll-up as the children it
 * summarises), so it names nothing the principal could not learn from the records themselves. Immutable; a schema or
 * access change shows in the next view asked for.
 *
 * @param version the schema version the view was taken from ({@link Schema#version()})
 * @param types   the readable object types, in the schema's order
 */
public record SchemaView(long version, List<TypeView> types) {
    public SchemaView {
        Objects.requireNonNull(types, "types");
        types = List.copyOf(types);
    }

    /** The type of this name, when it exists and the principal may read it. */
    public Optional<TypeView> findType(String name) {
        Objects.requireNonNull(name, "name");
        return types.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
