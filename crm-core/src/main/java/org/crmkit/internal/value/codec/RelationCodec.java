package org.crmkit.internal.value.codec;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Many-to-many links: a list of record ids, kept once each in the order storages sort ids. */
final class RelationCodec implements FieldCodec {
    @Override
    public @Nullable List<UUID> write(Field field, Object raw, Problems p) {
        if (!(raw instanceof Collection<?> c)) {
            return p.wrongType(raw, "a list of record ids");
        }
        Set<UUID> ids = new TreeSet<>(ValueOrderUuid.ORDER);
        int before = p.errorCount();
        for (Object item : c) {
            UUID id = ReferenceCodec.id(item, p);
            if (id != null) {
                ids.add(id);
            }
        }
        if (p.errorCount() > before || ids.isEmpty()) {
            return null;
        }
        return List.copyOf(ids);
    }

    /** A filter value is one record id, compared with each linked one. */
    @Override
    public @Nullable UUID filter(String path, @Nullable Field field, Object raw, Problems p) {
        return ReferenceCodec.id(raw, p);
    }
}
