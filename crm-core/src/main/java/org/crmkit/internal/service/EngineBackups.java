package org.crmkit.internal.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.crmkit.backup.BackupManifest;
import org.crmkit.backup.RestorePoint;
import org.crmkit.backup.RestoreResult;
import org.crmkit.error.BackupException;
import org.crmkit.internal.backup.ArchiveReader;
import org.crmkit.internal.backup.BackupWriter;
import org.crmkit.internal.backup.Restorer;
import org.crmkit.report.ReportDefinition;
import org.crmkit.storage.spi.BackupSupport;
import org.crmkit.storage.spi.RestoreTarget;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageSnapshot;
import org.crmkit.storage.support.StorageJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code crm.admin().backup}, {@code verifyBackup} and {@code restore}: the engine's side of
 * {@code internal.backup}. The storage's {@link BackupSupport} gives the snapshot and the target; the engine
 * decides what "empty" means (no data, and the schema a new {@code Crm} creates), leaves its own secrets (the cursor
 * key) out, and after a restore reloads the schema, forgets cached records and rebuilds what is derived: report
 * summaries and the search index (roll-up totals are recomputed by the next write of each parent).
 */
final class EngineBackups implements Restorer.Engine {
    private static final Logger LOG = LoggerFactory.getLogger(EngineBackups.class);
    private static final Set<String> OWN_KINDS = Set.of(CursorKey.KIND);

    private final CrmEngine engine;

    EngineBackups(CrmEngine engine) {
        this.engine = engine;
    }

    private BackupSupport support(String doing) {
        return engine.storage.extension(BackupSupport.class).orElseThrow(() -> new BackupException(
                BackupException.Problem.TARGET_CANNOT_HOLD, "the storage " + engine.storage.name() + " cannot "
                        + doing + ": it offers no BackupSupport"));
    }

    BackupManifest backup(Path path) {
        Objects.requireNonNull(path, "path");
        try (StorageSnapshot snapshot = support("take backups").openSnapshot()) {
            return new BackupWriter(engine.clock, OWN_KINDS).write(snapshot, engine.storage.name(), path);
        }
    }

    BackupManifest verify(Path path) {
        Objects.requireNonNull(path, "path");
        try (ArchiveReader a = ArchiveReader.open(path)) {
            new Restorer(this).verify(a);
            return a.manifest();
        }
    }

    RestoreResult restore(Path path, RestorePoint point) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(point, "point");
        BackupSupport support = support("restore backups");
        try (ArchiveReader a = ArchiveReader.open(path); RestoreTarget target = support.openRestoreTarget()) {
            return new Restorer(this).restore(a, target, point);
        }
    }

    @Override
    public boolean schemaIsFresh() {
        StorageJson json = new StorageJson();
        return engine.storage.loadSchema().map(json::writeSnapshot)
                .map(s -> s.equals(json.writeSnapshot(SchemaBootstrap.standard()))).orElse(true);
    }

    @Override
    public Set<String> ownDocumentKinds() {
        return OWN_KINDS;
    }

    @Override
    public StorageCapabilities capabilities() {
        return engine.storage.capabilities();
    }

    @Override
    public void restored() {
        cleared();
        for (List<ReportDefinition> defs : engine.summaries.refresh(true).byType().values()) {
            for (ReportDefinition d : defs) {
                engine.summaries.rebuild(d, p -> {});
            }
        }
        try {
            engine.search.rebuild(p -> {});
        } catch (RuntimeException e) {
            LOG.warn("rebuilding the search index after a restore failed; rebuild it by hand: {}", e.toString());
        }
    }

    @Override
    public void cleared() {
        engine.schema.reloadReplaced();
    }
}
