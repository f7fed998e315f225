package org.crmkit.internal.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.FieldError;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filter;
import org.crmkit.security.Principal;
import org.crmkit.security.ShareLevel;
import org.crmkit.security.SharingRule;
import org.crmkit.storage.spi.CommittedVersions;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.ResolvedPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's copy of the stored access model and of the manual shares its sessions asked about. Every transaction
 * (and every search) first calls {@link #catchUp()}, which compares the revisions of the model's and the shares'
 * document kinds with the ones held (one statement on a SQL storage) and reloads what another session or node changed, so a
 * change takes effect at the next operation everywhere. Between changes nothing is read again.
 */
final class AccessModels {
    private static final Logger LOG = LoggerFactory.getLogger(AccessModels.class);

    /**
     * The document kinds whose revisions every operation checks: the access model's and the shares' (here), and the
     * summarised reports' ({@link ReportSummaries#follow}), read in one statement with the schema version.
     */
    private static final List<String> KINDS = List.of(AccessDocuments.MODEL, AccessDocuments.SHARES,
            SessionReports.KIND);

    private final CrmEngine engine;
    final AccessDocuments documents;
    private volatile AccessModel model = AccessModel.EMPTY;
    private volatile long sharesRevision = -1;
    /** The records shared with each grantee key ({@code user:u-1}): type to id to level. */
    private final Cache<String, Map<String, Map<UUID, ShareLevel>>> shares = Caffeine.newBuilder()
            .maximumSize(10_000).build();

    AccessModels(CrmEngine engine) {
        this.engine = engine;
        this.documents = new AccessDocuments(engine, engine.summaries.json());
    }

    AccessModel model() {
        return model;
    }

    /** How many transactions this thread is inside (they nest): catching up is done when the outermost begins. */
    private final ThreadLocal<int[]> transactionDepth = ThreadLocal.withInitial(() -> new int[1]);

    /** Marks this thread inside a transaction until closed; {@link #catchUp()} does nothing meanwhile. */
    Within withinTransaction() {
        int[] depth = transactionDepth.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    /** The span of a transaction on one thread, closed when the transaction ends. */
    interface Within extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Reloads the model and forgets cached shares when another change was committed since they were read, and
     * returns what was read, so that the transaction the operation begins next need not read it again
     * ({@link CrmEngine#transaction(CaughtUp, java.util.function.Function)}). Inside a transaction it does nothing
     * and returns null: the transaction caught up before it began, and reading the revisions there would take a
     * second pooled connection while the transaction holds one (many writers at once could then wait for each
     * other's connections until the pool times out).
     */
    @org.jspecify.annotations.Nullable
    CaughtUp catchUp() {
        if (transactionDepth.get()[0] > 0) {
            return null;
        }
        // the revisions and the schema version: one statement on a SQL storage
        CommittedVersions read = engine.storage.committedVersions(KINDS);
        if (documents.store().isPresent()) {
            follow(read.revisions());
        }
        return new CaughtUp(read);
    }

    /**
     * That an operation has just caught up with the access model ({@link #catchUp()}), and what it read with it: the
     * committed schema version ({@link CommittedVersions#UNKNOWN} when the storage does not read it) and the
     * summarised reports' revision. The token an operation hands to the transaction it begins, which then reads
     * none of them again.
     */
    record CaughtUp(CommittedVersions read) {
        long schemaVersion() {
            return read.schemaVersion();
        }

        long reportsRevision() {
            return read.revisions().getOrDefault(SessionReports.KIND, 0L);
        }
    }

    private void follow(Map<String, Long> revisions) {
        long m = revisions.getOrDefault(AccessDocuments.MODEL, 0L);
        if (m != model.revision) {
            synchronized (this) {
                if (m != model.revision) { // another thread may have loaded it meanwhile
                    model = documents.load();
                }
            }
        }
        long s = revisions.getOrDefault(AccessDocuments.SHARES, 0L);
        if (s != sharesRevision) {
            shares.invalidateAll();
            sharesRevision = s;
        }
    }

    /** Reloads everything at once (after a change this engine committed, or a restore). */
    synchronized void reload() {
        model = documents.load();
        shares.invalidateAll();
        sharesRevision = -1;
    }

    /**
     * The ids of the records of {@code type} shared manually with the principal or one of its teams, at
     * {@code READ_WRITE} only when {@code write}.
     */
    java.util.Set<UUID> sharedIds(Principal p, String type, boolean write) {
        DocumentStore docs = documents.store().orElse(null);
        if (docs == null || p.system()) {
            return java.util.Set.of();
        }
        java.util.Set<UUID> out = new java.util.TreeSet<>(java.util.Comparator.comparing(UUID::toString));
        List<String> grantees = new java.util.ArrayList<>();
        grantees.add("user:" + p.id());
        p.teams().forEach(t -> grantees.add("team:" + t));
        for (String g : grantees) {
            Map<UUID, ShareLevel> ofType = sharesOf(docs, g).getOrDefault(type, Map.of());
            ofType.forEach((id, level) -> {
                if (!write || level == ShareLevel.READ_WRITE) {
                    out.add(id);
                }
            });
        }
        return out;
    }

    private Map<String, Map<UUID, ShareLevel>> sharesOf(DocumentStore docs, String grantee) {
        return shares.get(grantee, g -> {
            Map<String, Map<UUID, ShareLevel>> byType = new HashMap<>();
            docs.find(AccessDocuments.SHARES, "grantee:" + g).map(DocumentStore.StoredDocument::body)
                    .map(body -> documents.read(body, AccessDocuments.GranteeForm.class))
                    .ifPresent(f -> f.shares().forEach(e -> byType.computeIfAbsent(e.type(), t -> new HashMap<>())
                            .put(e.id(), e.level())));
            return byType;
        });
    }

    /** The rules sharing records of {@code type}, their filters checked against the current schema. */
    List<AccessModel.CheckedRule> rulesFor(AccessModel m, String type, CompiledSchema cs) {
        return m.rulesFor(type, cs, r -> check(r, cs));
    }

    /** A stored rule checked against the schema as the system sees it; one that no longer fits shares nothing. */
    private AccessModel.CheckedRule check(SharingRule r, CompiledSchema cs) {
        try {
            if (cs.snapshot.findObjectType(r.objectType()).isEmpty()) {
                return new AccessModel.CheckedRule(r, null, null);
            }
            List<FieldError> problems = new java.util.ArrayList<>();
            Filter f = checkFilter(cs, r.objectType(), Principal.SYSTEM, r.filter(), problems);
            if (!problems.isEmpty()) {
                LOG.warn("sharing rule {} no longer fits the schema and shares nothing: {}", r.name(), problems);
                return new AccessModel.CheckedRule(r, null, null);
            }
            return new AccessModel.CheckedRule(r, f, ResolvedPaths.resolve(cs.snapshot, r.objectType(), f, List.of()));
        } catch (RuntimeException e) {
            LOG.warn("sharing rule {} cannot be checked and shares nothing", r.name(), e);
            return new AccessModel.CheckedRule(r, null, null);
        }
    }

    /**
     * A rule's filter checked as {@code principal} sees the type: known, visible, local paths on system properties or
     * indexed fields (what every storage and the search index evaluate in the query), no text or set matching; the
     * problems go to {@code problems}.
     */
    Filter checkFilter(CompiledSchema cs, String type, Principal principal, Filter filter, List<FieldError> problems) {
        if (filter.equals(Filter.ALL)) {
            return filter;
        }
        QueryPlanner planner = new QueryPlanner(cs, type, principal, engine.converter, this);
        Filter checked = planner.filter(filter);
        try {
            planner.finish();
        } catch (ValidationException e) {
            problems.addAll(e.errors());
            return checked;
        }
        SearchService.searchableFilter(cs.snapshot, cs.snapshot.findObjectType(type).orElseThrow(), checked,
                problems);
        return checked;
    }
}
