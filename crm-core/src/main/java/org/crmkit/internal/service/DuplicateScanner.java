package org.crmkit.internal.service;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.crmkit.duplicate.DuplicateAdmin;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.DuplicateScan;
import org.crmkit.duplicate.ScanJob;
import org.crmkit.duplicate.ScanProgress;
import org.crmkit.error.SchemaException;
import org.crmkit.internal.duplicate.Clusters;
import org.crmkit.query.Filter;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.ObjectType;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.StorageQuery;
import org.jspecify.annotations.Nullable;

/**
 * {@link DuplicateAdmin#scan} and {@link DuplicateAdmin#startScan} (on the engine's {@link BackgroundScans}): reads
 * the type's live records page by page in id order (one transaction per page) as the system, finds each one's
 * candidates as a duplicate check would, and joins the pairs into clusters.
 */
final class DuplicateScanner implements DuplicateAdmin {
    private static final int PAGE = 200;

    private final CrmEngine engine;

    DuplicateScanner(CrmEngine engine) {
        this.engine = engine;
    }

    @Override
    public DuplicateScan scan(String objectType, Consumer<ScanProgress> progress) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(progress, "progress");
        return scan(objectType, progress, () -> {}); // refuses an unknown type or one without rules itself
    }

    @Override
    public ScanJob startScan(String objectType, Consumer<ScanProgress> progress) {
        Objects.requireNonNull(progress, "progress");
        checkScannable(objectType);
        return engine.scans.start(objectType, progress, job -> scan(objectType, job::report, job::checkCancelled));
    }

    /** Refuses a type that does not exist or has no rules, before a background scan is queued. */
    private void checkScannable(String objectType) {
        Objects.requireNonNull(objectType, "objectType");
        engine.checkOpen();
        CompiledSchema cs = engine.schema.compiled();
        rules(cs, cs.snapshot.findObjectType(objectType).orElseThrow(() -> SchemaService.unknownType(objectType)));
    }

    private static DuplicateRules rules(CompiledSchema cs, ObjectType type) {
        Access access = new Access(Principal.SYSTEM, type.name(), cs, null);
        return DuplicateFinder.visibleRules(type, access).orElseThrow(() -> new SchemaException(
                SchemaException.Problem.INVALID_DEFINITION, type.name(), null, "the type has no duplicate rules"));
    }

    /** The scan itself, on the schema of the moment it begins; {@code checkCancelled} runs before each page. */
    private DuplicateScan scan(String objectType, Consumer<ScanProgress> progress, Runnable checkCancelled) {
        engine.checkOpen();
        CompiledSchema cs = engine.schema.compiled();
        ObjectType type = cs.snapshot.findObjectType(objectType).orElseThrow(() -> SchemaService.unknownType(
                objectType));
        Access access = new Access(Principal.SYSTEM, objectType, cs, engine.accessModels);
        DuplicateRules rules = rules(cs, type);
        long total = engine.transaction(tx -> tx.storage.count(objectType,
                ResolvedFilter.resolve(cs.snapshot, objectType, Filter.ALL), Query.Deleted.EXCLUDE));
        DuplicateFinder finder = new DuplicateFinder(engine);
        Clusters clusters = new Clusters();
        long scanned = 0;
        List<@Nullable Object> after = null;
        progress.accept(new ScanProgress(objectType, 0, total, 0, false));
        while (true) {
            checkCancelled.run();
            List<@Nullable Object> from = after;
            List<Record> page = engine.transaction(tx -> {
                List<Record> rows = tx.storage.query(objectType, StorageQuery.resolve(cs.snapshot, objectType,
                        Filter.ALL, List.of(Sort.asc("id")), PAGE, from, Query.Deleted.EXCLUDE));
                for (Record r : rows) {
                    for (DuplicateCandidate c : finder.find(tx, access, cs, type, rules, r.values(), r.id(), x -> x)) {
                        clusters.pair(r.id(), c.record().id(), c.score());
                    }
                }
                return rows;
            });
            scanned += page.size();
            if (page.size() < PAGE) {
                break;
            }
            after = java.util.Collections.singletonList(page.get(page.size() - 1).id());
            progress.accept(new ScanProgress(objectType, scanned, total, clusters.count(), false));
        }
        progress.accept(new ScanProgress(objectType, scanned, total, clusters.count(), true));
        return new DuplicateScan(objectType, cs.snapshot.version(), scanned, clusters.clusters());
    }
}
