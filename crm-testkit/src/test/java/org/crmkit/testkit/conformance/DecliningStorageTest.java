package org.crmkit.testkit.conformance;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.CrmStorage;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.plugin.spi.Installation;
import org.crmkit.plugin.spi.PluginRegistry;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.memory.InMemoryStorage;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.junit.jupiter.api.Nested;

/**
 * The skeleton of a new storage: it implements only the methods every storage must (records, schema, change log
 * under transactions), declines every optional {@link org.crmkit.storage.spi.StorageFeature} and keeps no workflow
 * extensions, and the conformance suite accepts it: the contracts it runs pass, those that need a declined feature
 * skip, and {@link OptionalFeaturesContract} checks the refusals. (It keeps its data in an in-memory storage, so the
 * skeleton shows the shape, not a second implementation.) docs/architecture.md, "Writing a storage", lists the
 * methods.
 */
class DecliningStorageTest {

    /** The handle an application would hold: it installs the storage SPI object. */
    static final class SkeletonStorage implements CrmStorage {
        private final Storage storage = new Skeleton(Installation.storageOf(InMemoryStorage.create()));

        @Override
        public String name() {
            return storage.name();
        }

        @Override
        public void install(PluginRegistry registry) {
            registry.storage(storage);
        }

        @Override
        public void close() {
            storage.close();
        }
    }

    /** The required part of the storage SPI, nothing optional. */
    private record Skeleton(Storage data) implements Storage {
        @Override
        public StorageCapabilities capabilities() {
            return new StorageCapabilities("skeleton", false, false, Set.of());
        }

        @Override
        public List<ChangeLogEntry> changesOf(String objectType, UUID recordId) {
            return data.changesOf(objectType, recordId);
        }

        @Override
        public Optional<SchemaSnapshot> loadSchema() {
            return data.loadSchema();
        }

        @Override
        public List<SchemaChangeEntry> schemaHistory() {
            return data.schemaHistory();
        }

        @Override
        public StorageTransaction begin() {
            return new SkeletonTransaction(data.begin());
        }

        @Override
        public List<ChangeLogEntry> readChangeLog(long afterSequence, int limit) {
            return data.readChangeLog(afterSequence, limit);
        }

        @Override
        public long lastSequence() {
            return data.lastSequence();
        }

        @Override
        public UUID identity() {
            return data.identity();
        }

        @Override
        public void close() {
            data.close();
        }
    }

    /** The required transaction methods; aggregates and the import ledger are left to their refusing defaults. */
    private record SkeletonTransaction(StorageTransaction tx) implements StorageTransaction {
        @Override
        public void applySchemaChange(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry) {
            tx.applySchemaChange(change, next, entry);
        }

        @Override
        public Optional<Record> find(String objectType, UUID id) {
            return tx.find(objectType, id);
        }

        @Override
        public void insert(Record record) {
            tx.insert(record);
        }

        @Override
        public void update(Record record, long expectedVersion) {
            tx.update(record, expectedVersion);
        }

        @Override
        public void purge(String objectType, UUID id, long expectedVersion) {
            tx.purge(objectType, id, expectedVersion);
        }

        @Override
        public List<Record> query(String objectType, StorageQuery query) {
            return tx.query(objectType, query);
        }

        @Override
        public long count(String objectType, ResolvedFilter filter, Query.Deleted deleted) {
            return tx.count(objectType, filter, deleted);
        }

        @Override
        public void appendChange(ChangeLogEntry entry) {
            tx.appendChange(entry);
        }

        @Override
        public List<ChangeLogEntry> commit() {
            return tx.commit();
        }

        @Override
        public void rollback() {
            tx.rollback();
        }

        @Override
        public void close() {
            tx.close();
        }
    }

    @Nested
    class Crud extends CrudContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Queries extends QueryContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Transactions extends TransactionContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class ChangeLog extends ChangeLogContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class AccessControl extends AccessControlContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Aggregates extends AggregateContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Imports extends ImportContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class ImportValues extends ImportValuesContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class CsvImports extends CsvImportContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class OptionalFeatures extends OptionalFeaturesContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Merges extends MergeContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Timelines extends TimelineContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Rollups extends RollupContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Summaries extends SummaryContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Upserts extends UpsertContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Exports extends ExportContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Privacy extends PrivacyContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class ImportReferences extends ImportReferencesContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class Backups extends BackupContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }

    @Nested
    class ImportReferenceRaces extends ImportReferenceRacesContract {
        @Override
        protected CrmStorage newStorage() {
            return new SkeletonStorage();
        }
    }
}
