package org.crmkit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.crmkit.error.ConfigurationException;
import org.crmkit.internal.service.CrmEngine;
import org.crmkit.internal.service.EngineConfig;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.plugin.spi.CrmPlugin;
import org.crmkit.plugin.spi.Installation;
import org.jspecify.annotations.Nullable;

/**
 * Configures and builds a {@link Crm}. Only the storage is required. {@link #build()} checks the whole
 * configuration and reports every problem at once in a {@link ConfigurationException}, a null setting included
 * (so its setters take null, unlike the rest of the API, where a null argument is a {@link NullPointerException}
 * naming the parameter).
 */
public final class CrmBuilder {
    private @Nullable CrmStorage storage;
    // null is accepted by the setters and reported by build() as a ConfigurationException
    private @Nullable Clock clock = Clock.systemUTC();
    private @Nullable Supplier<UUID> ids;
    private @Nullable String phoneRegion = "US";
    private @Nullable String defaultCurrency = "USD";
    private int recordCacheSize = 10_000;
    private @Nullable CrmSearch search;
    private @Nullable CrmWorkflow workflow;
    private final List<@Nullable CrmPlugin> plugins = new ArrayList<>();
    private org.crmkit.keys.@Nullable KeyProvider keys;
    private final List<org.crmkit.observe.@Nullable OperationListener> observers = new ArrayList<>();

    CrmBuilder() {}

    /** Where records, schema and change log live. Required. The {@code Crm} closes it on close. */
    public CrmBuilder storage(@Nullable CrmStorage storage) {
        this.storage = storage;
        return this;
    }

    /**
     * The search engine, e.g. {@code LuceneSearch.at(path)} from {@code crm-search-lucene}. Optional: without one,
     * {@link CrmSession#search} runs through the storage (substring matching, no typo tolerance). The {@code Crm}
     * starts it on build and closes it on close.
     */
    public CrmBuilder search(@Nullable CrmSearch search) {
        this.search = search;
        return this;
    }

    /**
     * The automation engine, e.g. {@code Workflow.defaults()} from {@code crm-workflow}. Optional. The {@code Crm}
     * starts it on build (after the schema and search) and closes it on close (before the storage).
     */
    public CrmBuilder workflow(@Nullable CrmWorkflow workflow) {
        this.workflow = workflow;
        return this;
    }

    /**
     * Installs a further plug-in, as JDBI's {@code installPlugin}: whatever it registers (an engine plug-in, or the
     * storage or search engine instead of {@link #storage} and {@link #search}) joins the {@code Crm}. The storage,
     * search and workflow handles are plug-ins installed the same way.
     */
    public CrmBuilder install(@Nullable CrmPlugin plugin) {
        plugins.add(plugin);
        return this;
    }

    /** The clock for timestamps and record ids; tests pass a settable one. Default: system UTC. */
    public CrmBuilder clock(@Nullable Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Generates record ids. Default: time-ordered UUIDv7 from the {@link #clock(Clock)}. */
    public CrmBuilder idGenerator(@Nullable Supplier<UUID> generator) {
        this.ids = generator;
        return this;
    }

    /** ISO 3166 region for reading phone numbers written without a country code. Default: US. */
    public CrmBuilder defaultPhoneRegion(@Nullable String region) {
        this.phoneRegion = region;
        return this;
    }

    /** ISO 4217 code given to plain numbers written to currency fields. Default: USD. */
    public CrmBuilder defaultCurrency(@Nullable String code) {
        this.defaultCurrency = code;
        return this;
    }

    /**
     * How many recently read or written records the engine remembers (default 10,000; 0 turns it off), so that
     * an update at a version it has seen needs no read before its write. It never serves reads: {@code get},
     * {@code find} and queries always ask the storage, and a remembered record is used only at the exact version
     * the caller names, which the storage then checks, so it is safe with several nodes on one database.
     */
    public CrmBuilder recordCacheSize(int records) {
        this.recordCacheSize = records;
        return this;
    }

    /**
     * Where the keys for fields flagged {@code encrypted} and for the change log's hash chain come from (see
     * {@link org.crmkit.keys.KeyProviders}). Default: none.
     */
    public CrmBuilder keys(org.crmkit.keys.@Nullable KeyProvider provider) {
        this.keys = provider;
        return this;
    }

    /**
     * Tells {@code listener} of every session operation from the start (as {@code crm.admin().observe(listener)}
     * after the build): its type, name, outcome and duration, for metrics.
     */
    public CrmBuilder observer(org.crmkit.observe.@Nullable OperationListener listener) {
        observers.add(listener);
        return this;
    }

    /** Builds the {@code Crm}: opens the storage and loads (or, on a new storage, creates) the schema. */
    public Crm build() {
        List<String> problems = new ArrayList<>();
        if (storage != null && Installation.of(storage).storage().isEmpty()) {
            problems.add("storage " + storage.getClass().getName() + " installs no storage SPI implementation");
        }
        if (search != null && Installation.of(search).search().isEmpty()) {
            problems.add("search " + search.getClass().getName() + " installs no search SPI implementation");
        }
        if (workflow != null && Installation.of(workflow).engines().isEmpty()) {
            problems.add("workflow " + workflow.getClass().getName() + " installs no plug-in SPI implementation");
        }
        Installation parts = Installation.of();
        List<@Nullable CrmPlugin> handles = new ArrayList<>(java.util.stream.Stream.of(storage, search, workflow)
                .filter(java.util.Objects::nonNull).toList());
        handles.addAll(plugins);
        for (CrmPlugin plugin : handles) {
            if (plugin == null) {
                problems.add("install(...) was given null");
            } else {
                parts.install(plugin);
            }
        }
        problems.addAll(parts.problems());
        if (storage == null && parts.storage().isEmpty() && parts.problems().isEmpty()) {
            problems.add("no storage: call storage(...), e.g. storage(InMemoryStorage.create())");
        }
        if (clock == null) {
            problems.add("clock must not be null");
        }
        if (phoneRegion == null || !ValueConverter.isSupportedRegion(phoneRegion)) {
            problems.add(
                    "default phone region '" + phoneRegion + "' is not an ISO 3166 region known to libphonenumber");
        }
        if (defaultCurrency == null || !ValueConverter.isCurrencyCode(defaultCurrency)) {
            problems.add("default currency '" + defaultCurrency + "' is not an ISO 4217 code");
        }
        if (recordCacheSize < 0 || recordCacheSize > 10_000_000) {
            problems.add("record cache size must be 0 to 10,000,000, not " + recordCacheSize);
        }
        if (observers.contains(null)) {
            problems.add("observer(...) was given null");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        // the checks above threw unless clock, phoneRegion and defaultCurrency are set
        Crm crm = CrmEngine.start(new EngineConfig(parts.storage().orElseThrow(), Objects.requireNonNull(clock), ids,
                Objects.requireNonNull(phoneRegion), Objects.requireNonNull(defaultCurrency), recordCacheSize,
                parts.search().orElse(null), keys), parts.engines());
        for (org.crmkit.observe.OperationListener listener : observers) {
            crm.admin().observe(Objects.requireNonNull(listener));
        }
        return crm;
    }
}
