package org.crmkit.storage.memory.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The reference checks of a {@link MemoryTransaction}'s commit, run under the store's write lock, so that no record
 * ends pointing at a merged-away (or deleted) one when a write and a merge race: a write's new references must
 * point at live records as it commits, and a merge is refused when a record committed meanwhile points at a record
 * it merges away (its re-pointing ran before that record existed).
 */
final class ReferenceChecks {
    /** What the committing transaction wrote for a record: its state after (null: purged) and its base version. */
    record Written(@Nullable Record after, long baseVersion) {}

    private final MemoryStore store;
    private final Function<UUID, @Nullable Written> written;

    ReferenceChecks(MemoryStore store, Function<UUID, @Nullable Written> written) {
        this.store = store;
        this.written = written;
    }

    /** Refuses a reference {@code after} adds (beside those of {@code committed}) to a record that is not live. */
    void checkNew(SchemaSnapshot schema, Record after, @Nullable Record committed) {
        ObjectType type = schema.findObjectType(after.type()).orElse(null);
        if (type == null) {
            return;
        }
        for (Field f : type.fields()) {
            if ((f.type() != FieldType.REFERENCE && f.type() != FieldType.RELATION) || f.target() == null) {
                continue;
            }
            List<?> before = ids(committed == null ? null : committed.get(f.name()));
            for (Object id : ids(after.get(f.name()))) {
                if (id instanceof UUID target && !before.contains(target) && !live(f.target(), target)) {
                    throw new ValidationException(after.type(), List.of(new FieldError(f.name(),
                            FieldErrorCode.INVALID_REFERENCE, f.target() + " " + target + " does not exist")));
                }
            }
        }
    }

    /** Refuses the merges of {@code mergeLinks} whose merged record a record not written here points at. */
    void checkNoNewReferrers(SchemaSnapshot schema, Map<UUID, Optional<MemoryStore.MergeLink>> mergeLinks) {
        for (Map.Entry<UUID, Optional<MemoryStore.MergeLink>> m : mergeLinks.entrySet()) {
            if (m.getValue().isEmpty()) {
                continue;
            }
            String mergedType = m.getValue().get().type();
            Written merged = written.apply(m.getKey());
            long version = merged == null ? 0 : merged.baseVersion();
            for (ObjectType t : schema.types()) {
                for (Field f : t.fields()) {
                    if (!mergedType.equals(f.target())) {
                        continue;
                    }
                    for (Record r : store.table(t.name()).values()) {
                        if (written.apply(r.id()) == null && ids(r.get(f.name())).contains(m.getKey())) {
                            throw new ConflictException(mergedType, m.getKey(), version, version, t.name() + " "
                                    + r.id() + " was written meanwhile pointing at " + mergedType + " " + m.getKey()
                                    + ", which this merge takes away; merge again");
                        }
                    }
                }
            }
        }
    }

    private boolean live(String type, UUID id) {
        Written w = written.apply(id);
        Record r = w != null ? w.after() : store.table(type).get(id);
        return r != null && !r.isDeleted();
    }

    private static List<?> ids(@Nullable Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }
}
