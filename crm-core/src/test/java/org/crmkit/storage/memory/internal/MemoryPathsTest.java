package org.crmkit.storage.memory.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.time.Instant;
import java.util.List;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory storage resolves no path itself: one missing from the call's resolved paths is a programming error. */
class MemoryPathsTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final SchemaSnapshot schema = StandardSchema.create();

    @BeforeEach
    void standardSchema() {
        SchemaChange change = new SchemaChange.AddObjectType(schema.findObjectType("company").orElseThrow());
        try (StorageTransaction tx = storage.begin()) {
            tx.applySchemaChange(change, schema, new SchemaChangeEntry(schema.version(), Instant.EPOCH,
                    Principal.SYSTEM_ID, change));
            tx.commit();
        }
    }

    private ResolvedPaths only(String... paths) {
        return ResolvedPaths.of(List.of(paths).stream().map(p -> ResolvedPath.resolve(schema, "company", p)).toList());
    }

    @Test
    void aQueryWhoseFilterPathIsMissingFailsNamingIt() {
        Filter filter = where("name").eq("Acme");
        try (StorageTransaction tx = storage.begin()) {
            assertThatThrownBy(() -> tx.query("company", new StorageQuery(filter, List.of(Sort.asc("id")), 10, null,
                    Query.Deleted.EXCLUDE, only("id"))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("path name ");
            assertThatThrownBy(() -> tx.count("company", new ResolvedFilter(filter, ResolvedPaths.NONE),
                    Query.Deleted.EXCLUDE))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("path name ");
        }
    }

    @Test
    void aQueryWhoseSortOrGroupPathIsMissingFailsNamingIt() {
        try (StorageTransaction tx = storage.begin()) {
            assertThatThrownBy(() -> tx.query("company", new StorageQuery(Filter.ALL, List.of(Sort.asc("name"),
                    Sort.asc("id")), 10, null, Query.Deleted.EXCLUDE, only("id"))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("path name ");
            assertThatThrownBy(() -> tx.aggregate("company", ResolvedFilter.ALL,
                    Aggregation.groupBy("industry").groupBy(), List.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("path industry ");
        }
    }
}
