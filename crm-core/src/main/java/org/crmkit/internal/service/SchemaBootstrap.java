package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;

/**
 * The schema a {@code Crm} opens with: on a fresh storage the standard types as first released followed by the
 * standard upgrades (the path stored schemas take too), on a stored one the upgrades it lacks
 * ({@link StandardSchema#upgrades()}), each written in one transaction with its history entries.
 */
final class SchemaBootstrap {
    private final Storage storage;
    private final BiFunction<SchemaSnapshot, SchemaChange, SchemaChangeEntry> entry;

    SchemaBootstrap(Storage storage, BiFunction<SchemaSnapshot, SchemaChange, SchemaChangeEntry> entry) {
        this.storage = storage;
        this.entry = entry;
    }

    /** The stored schema, upgraded; or the standard one, created. */
    SchemaSnapshot load() {
        Optional<SchemaSnapshot> stored = storage.loadSchema();
        return stored.isPresent() ? upgraded(stored.get()) : created();
    }

    /** The schema a new storage gets: the standard one as {@link #load()} creates it. */
    static SchemaSnapshot standard() {
        SchemaSnapshot current = new SchemaSnapshot(0, Map.of(), Map.of());
        for (SchemaChange c : creation()) {
            current = current.apply(c);
        }
        return current;
    }

    /**
     * The types as first released, then the upgrades: the path stored schemas take too (and a type's references to
     * types created after it come with the upgrades).
     */
    private static List<SchemaChange> creation() {
        SchemaSnapshot standard = StandardSchema.firstRelease();
        List<SchemaChange> changes = new ArrayList<>();
        for (ObjectType t : standard.types()) {
            changes.add(new SchemaChange.AddObjectType(t));
        }
        for (Pipeline p : standard.pipelines().values()) {
            changes.add(new SchemaChange.SavePipeline(p));
        }
        changes.addAll(StandardSchema.upgrades());
        return changes;
    }

    private SchemaSnapshot created() {
        List<SchemaChange> changes = creation();
        SchemaSnapshot current = new SchemaSnapshot(0, Map.of(), Map.of());
        try (StorageTransaction tx = storage.begin()) {
            for (SchemaChange c : changes) {
                SchemaSnapshot next = current.apply(c);
                tx.applySchemaChange(c, next, entry.apply(next, c));
                current = next;
            }
            tx.commit();
        }
        return current;
    }

    /**
     * Adds the standard fields a stored schema lacks, in one transaction; when another node upgrades it first, goes
     * on from what that node stored.
     */
    private SchemaSnapshot upgraded(SchemaSnapshot stored) {
        SchemaSnapshot current = stored;
        for (int attempt = 0;; attempt++) {
            List<SchemaChange.AddField> missing = missingUpgrades(current);
            if (missing.isEmpty()) {
                return current;
            }
            try (StorageTransaction tx = storage.begin()) {
                SchemaSnapshot next = current;
                for (SchemaChange.AddField c : missing) {
                    SchemaSnapshot after = next.apply(c);
                    tx.applySchemaChange(c, after, entry.apply(after, c));
                    next = after;
                }
                tx.commit();
                return next;
            } catch (SchemaException e) {
                if (e.problem() != Problem.CONCURRENT_CHANGE || attempt >= 3) {
                    throw e;
                }
                current = storage.loadSchema().orElse(current);
            }
        }
    }

    private static List<SchemaChange.AddField> missingUpgrades(SchemaSnapshot s) {
        return StandardSchema.upgrades().stream().filter(u -> s.findObjectType(u.objectType())
                .filter(t -> t.findField(u.field().name()).isEmpty()).isPresent()).toList();
    }
}
