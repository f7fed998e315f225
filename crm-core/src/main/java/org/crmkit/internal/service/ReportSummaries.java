package org.crmkit.internal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.crmkit.query.AggregateRow;
import org.crmkit.report.RebuildProgress;
import org.crmkit.report.ReportDefinition;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.SummaryStore;
import org.crmkit.storage.spi.ValueOrder;
import org.crmkit.storage.support.StorageJson;
import org.jspecify.annotations.Nullable;

/**
 * The pre-computed summaries of an engine's summarised reports: which reports are summarised (read from the saved
 * definitions, and again whenever the reports' document revision moved, checked at most once a second), building a
 * summary from the records ({@link #rebuild}), and reading one back as aggregate rows ({@link #rows}). Keeping them
 * up to date as records change is {@link SummaryKeeper}'s work.
 *
 * <p>A summary's header holds the definition version it was built for and the exchange rates it converted with; a
 * summary whose header does not match the current definition and rates is not used (the report runs live) until it
 * is rebuilt.
 */
final class ReportSummaries {
    /** The header of a summary being built: writers leave it alone, readers do not use it. */
    static final String BUILDING = "{}";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportSummaries.class);

    private final CrmEngine engine;
    private final StorageJson json = new StorageJson();
    /** The mapper of summary headers and rows. */
    private final ObjectMapper mapper = new ObjectMapper();
    private final BackgroundThread thread = new BackgroundThread("crmkit-summary-rebuild");
    private volatile Registry registry = new Registry(-1, Map.of());
    /** Held by the one thread re-reading the reports in {@link #follow}. */
    private final java.util.concurrent.locks.ReentrantLock refreshing = new java.util.concurrent.locks.ReentrantLock();
    /** {@link #commitGate()}. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock commits = new java.util.concurrent.locks.ReentrantReadWriteLock();

    /** The summarised reports as last read, by object type. */
    record Registry(long revision, Map<String, List<ReportDefinition>> byType) {}

    ReportSummaries(CrmEngine engine) {
        this.engine = engine;
    }

    Optional<SummaryStore> store() {
        return engine.storage.extension(SummaryStore.class);
    }

    private Optional<DocumentStore> documents() {
        return engine.storage.extension(DocumentStore.class);
    }

    /** Whether no report is summarised, as this node last read them. */
    boolean none() {
        return registry.byType.isEmpty();
    }

    /** The summarised reports on {@code type}, as this node last read them ({@link #follow}). */
    List<ReportDefinition> on(String type) {
        return registry.byType.getOrDefault(type, List.of());
    }

    /**
     * Re-reads the summarised reports when {@code revision}, their revision as read just now with the other checks
     * of an operation ({@link AccessModels.CaughtUp#reportsRevision()}), is not the one held; called before a
     * transaction begins (it reads with a connection of its own), and by one thread at a time: the others go on with
     * what was read before.
     */
    void follow(long revision) {
        if (revision != registry.revision && refreshing.tryLock()) {
            try {
                refresh(false);
            } finally {
                refreshing.unlock();
            }
        }
    }

    /** Re-reads the summarised reports when their revision moved, or always with {@code force}. */
    synchronized Registry refresh(boolean force) {
        Optional<DocumentStore> docs = documents();
        if (docs.isEmpty() || store().isEmpty()) { // nothing is summarised; the revision so that follow() rests
            registry = new Registry(docs.map(d -> d.revision(SessionReports.KIND)).orElse(0L), Map.of());
            return registry;
        }
        long revision = docs.get().revision(SessionReports.KIND);
        if (!force && revision == registry.revision) {
            registry = new Registry(revision, registry.byType);
            return registry;
        }
        Map<String, List<ReportDefinition>> byType = new HashMap<>();
        for (DocumentStore.StoredDocument d : docs.get().list(SessionReports.KIND)) {
            ReportDefinition def = json.readReport(java.util.Objects.requireNonNull(d.body(), "live"), d.version());
            if (def.summarised()) {
                byType.computeIfAbsent(def.objectType(), k -> new ArrayList<>()).add(def);
            }
        }
        byType.values().forEach(l -> l.sort(Comparator.comparing(ReportDefinition::name)));
        registry = new Registry(revision, Map.copyOf(byType));
        if (force) {
            // wait for the commits whose keeper looked at the reports before: after this, every commit of this node
            // keeps the summaries just read
            commits.writeLock().lock();
            commits.writeLock().unlock();
        }
        return registry;
    }

    /**
     * Held (shared) by a transaction from the moment its {@link SummaryKeeper} looks at the summarised reports until
     * it committed; taken exclusively, briefly, by {@link #refresh} with {@code force} (never inside a transaction).
     */
    java.util.concurrent.locks.Lock commitGate() {
        return commits.readLock();
    }

    /**
     * The header of a summary of {@code d} built under {@code schema}: the definition itself (so that a node that
     * has not yet read a newer version keeps the summary with the one it was built for), and the exchange rates.
     */
    String header(ReportDefinition d, SchemaSnapshot schema) {
        return mapper.createObjectNode().put("version", d.version()).put("definition", json.writeReport(d))
                .put("currencies", convertsCurrencies(d) ? schema.currencies().toString() : "").toString();
    }

    /** Whether a definition reads amounts in the corporate currency, which new exchange rates move. */
    static boolean convertsCurrencies(ReportDefinition d) {
        return SummaryLayout.paths(d).stream()
                .anyMatch(p -> p.endsWith("." + org.crmkit.storage.spi.ResolvedPath.CORPORATE));
    }

    /**
     * Rebuilds, one after the other on a thread of their own, the summaries that convert amounts into the corporate
     * currency: new exchange rates moved their totals without a record write (until rebuilt, those reports run live).
     */
    void rebuildConvertingInBackground() {
        if (store().isEmpty()) {
            return;
        }
        thread.execute(() -> {
            for (List<ReportDefinition> defs : refresh(false).byType().values()) {
                for (ReportDefinition d : defs) {
                    if (convertsCurrencies(d) && !engine.isClosing()) {
                        try {
                            rebuild(d, p -> {});
                        } catch (RuntimeException e) {
                            LOG.warn("rebuilding the summary of report {} after new exchange rates failed; it runs "
                                    + "live until rebuilt: {}", d.name(), e.toString());
                        }
                    }
                }
            }
        });
    }

    /** Stops the background rebuilds (the one running finishes). */
    void close() {
        thread.close(() -> {});
    }

    /** Whether a stored header is the one {@code d} under {@code schema} needs. */
    boolean current(String storedHeader, ReportDefinition d, SchemaSnapshot schema) {
        return storedHeader.equals(header(d, schema));
    }

    /** The definition a stored header was built for, or empty for a summary being built. */
    Optional<ReportDefinition> definition(String storedHeader) {
        try {
            JsonNode n = mapper.readTree(storedHeader);
            return n.hasNonNull("definition") ? Optional.of(json.readReport(n.get("definition").asText(),
                    n.path("version").asLong())) : Optional.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * Builds the summary of a saved summarised definition from the records, in one transaction that first locks
     * it: writers of the type wait at their commit until it is done, so none of their changes is lost or counted
     * twice. Progress is reported after the records were aggregated and when the rows are written.
     */
    RebuildProgress rebuild(ReportDefinition d, Consumer<RebuildProgress> progress) {
        SummaryStore store = store().orElseThrow(() -> new org.crmkit.error.UnsupportedFeatureException("SUMMARIES",
                "summarised reports need a storage that keeps summaries; " + engine.storage.name() + " does not"));
        // 1. mark it as being built (committed, so every writer that locks it from now on sees that and leaves the
        // counting to the build), and make sure every writer of this node knows of it before the build counts
        engine.transaction(tx -> {
            if (store.lock(tx.storage, d.name()).isEmpty()) {
                store.reset(tx.storage, d.name(), BUILDING);
            } else {
                store.writeHeader(tx.storage, d.name(), BUILDING);
            }
            return null;
        });
        refresh(true);
        // 2. count, holding the summary's lock: writers wait at their commit, then add to what was counted
        RebuildProgress done = engine.transaction(tx -> {
            store.lock(tx.storage, d.name());
            SchemaSnapshot schema = engine.schema.compiled().snapshot;
            SummaryLayout layout = layout(d, schema);
            List<AggregateRow> rows = tx.storage.aggregate(d.objectType(), layout.resolved(), d.groupPaths(),
                    layout.accumulated());
            long records = rows.stream().mapToLong(AggregateRow::count).sum();
            progress.accept(new RebuildProgress(d.name(), records, rows.size(), false));
            store.reset(tx.storage, d.name(), header(d, schema));
            Map<String, @Nullable String> written = new HashMap<>();
            for (AggregateRow r : rows) {
                written.put(layout.key(r.group()), layout.write(layout.fromAggregate(r, 1)));
            }
            store.write(tx.storage, d.name(), written);
            return new RebuildProgress(d.name(), records, rows.size(), true);
        });
        progress.accept(done);
        return done;
    }

    /** Deletes the summary of a report that is no longer summarised, or deleted. */
    void drop(String report) {
        store().ifPresent(store -> engine.transaction(tx -> {
            store.lock(tx.storage, report);
            store.drop(tx.storage, report);
            return null;
        }));
        refresh(true);
    }

    /**
     * The summary of {@code d} as the rows a storage's aggregate of its {@link SummaryLayout#accumulated()} metrics
     * gives (in the storage's group order), or empty when there is none for this definition and these rates.
     */
    Optional<List<AggregateRow>> rows(ReportDefinition d) {
        Optional<SummaryStore> store = store();
        if (store.isEmpty() || !d.summarised() || d.version() == 0) {
            return Optional.empty();
        }
        SchemaSnapshot schema = engine.schema.compiled().snapshot;
        Optional<SummaryStore.Stored> stored = store.get().read(d.name());
        if (stored.isEmpty() || !current(stored.get().header(), d, schema)) {
            return Optional.empty();
        }
        SummaryLayout layout = layout(d, schema);
        List<AggregateRow> rows = new ArrayList<>();
        for (String text : stored.get().rows().values()) {
            rows.add(layout.toAggregate(layout.read(text)));
        }
        List<Boolean> ascending = d.groupPaths().stream().map(p -> false).toList();
        rows.sort((a, b) -> ValueOrder.compareKeys(a.group(), b.group(), ascending));
        return Optional.of(rows);
    }

    /** How a summary of {@code d} is kept under {@code schema}. */
    SummaryLayout layout(ReportDefinition d, SchemaSnapshot schema) {
        return SummaryLayout.of(d, schema, json, mapper);
    }

    /** The engine's one codec of report definitions and summary values, shared by every session's reports. */
    StorageJson json() {
        return json;
    }
}
