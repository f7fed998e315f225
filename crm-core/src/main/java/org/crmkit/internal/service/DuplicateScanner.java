package org.crmkit.internal.service;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.crmkit.duplicate.DuplicateAdmin;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.DuplicateScan;
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
 * {@link DuplicateAdmin#scan}: reads the type's live records page by page in id order (one transaction per page) as
 * the system, finds each one's candidates as a duplicate check would, and joins the pairs into clusters.
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
        engine.checkOpen();
        CompiledSchema cs = engine.schema.compiled();
        ObjectType type = cs.snapshot.findObjectType(objectType).orElseThrow(() -> SchemaService.unknownType(
                objectType));
        Access access = new Access(Principal.SYSTEM, objectType, cs);
        DuplicateRules rules = DuplicateFinder.visibleRules(type, access).orElseThrow(() -> new SchemaException(
                SchemaException.Problem.INVALID_DEFINITION, objectType, null, "the type has no duplicate rules"));
        long total = engine.transaction(tx -> tx.storage.count(objectType,
                ResolvedFilter.resolve(cs.snapshot, objectType, Filter.ALL), Query.Deleted.EXCLUDE));
        DuplicateFinder finder = new DuplicateFinder(engine);
        Clusters clusters = new Clusters();
        long scanned = 0;
        List<@Nullable Object> after = null;
        while (true) {
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
