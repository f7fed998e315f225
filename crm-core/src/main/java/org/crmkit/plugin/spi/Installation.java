package org.crmkit.plugin.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.crmkit.CrmSearch;
import org.crmkit.CrmStorage;
import org.crmkit.search.spi.SearchBackend;
import org.crmkit.storage.spi.Storage;
import org.jspecify.annotations.Nullable;

/**
 * What a set of {@link CrmPlugin}s registered: the builder installs its handles into one, and tests and tooling that
 * must reach a handle's SPI object (the conformance suite driving a storage's transactions directly) ask for it here
 * with {@link #storageOf} or {@link #searchOf}. Not application API: applications only pass handles to the builder.
 */
public final class Installation implements PluginRegistry {
    private final List<Storage> storages = new ArrayList<>();
    private final List<SearchBackend> searches = new ArrayList<>();
    private final List<EnginePlugin> engines = new ArrayList<>();

    private Installation() {}

    /** Installs {@code plugins} in order into a new installation. */
    public static Installation of(CrmPlugin... plugins) {
        Installation installation = new Installation();
        for (CrmPlugin plugin : plugins) {
            installation.install(plugin);
        }
        return installation;
    }

    /** The storage SPI of {@code handle}. */
    public static Storage storageOf(CrmStorage handle) {
        Objects.requireNonNull(handle, "handle");
        return of(handle).storage()
                .orElseThrow(() -> new IllegalArgumentException(handle.getClass().getName() + " registers no storage"));
    }

    /** The search SPI of {@code handle}. */
    public static SearchBackend searchOf(CrmSearch handle) {
        Objects.requireNonNull(handle, "handle");
        return of(handle).search().orElseThrow(
                () -> new IllegalArgumentException(handle.getClass().getName() + " registers no search engine"));
    }

    /** Installs one more plug-in. */
    public Installation install(CrmPlugin plugin) {
        Objects.requireNonNull(plugin, "plugin");
        plugin.install(this);
        return this;
    }

    @Override
    public void storage(Storage storage) {
        storages.add(Objects.requireNonNull(storage, "storage"));
    }

    @Override
    public void search(SearchBackend search) {
        searches.add(Objects.requireNonNull(search, "search"));
    }

    @Override
    public void engine(EnginePlugin plugin) {
        engines.add(Objects.requireNonNull(plugin, "plugin"));
    }

    /** The storage registered, if exactly one was (see {@link #problems()}). */
    public Optional<Storage> storage() {
        return storages.size() == 1 ? Optional.of(storages.get(0)) : Optional.empty();
    }

    /** The search engine registered, if exactly one was. */
    public Optional<SearchBackend> search() {
        return searches.size() == 1 ? Optional.of(searches.get(0)) : Optional.empty();
    }

    /** The engine plug-ins registered, in order. */
    public List<EnginePlugin> engines() {
        return List.copyOf(engines);
    }

    /** What is wrong with the installation as the parts of one {@code Crm}: two storages, two search engines. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (storages.size() > 1) {
            problems.add("more than one storage registered: " + names(storages.stream().map(Storage::name).toList()));
        }
        if (searches.size() > 1) {
            problems.add("more than one search engine registered: "
                    + names(searches.stream().map(SearchBackend::name).toList()));
        }
        return problems;
    }

    private static String names(List<@Nullable String> names) {
        return String.join(", ", names.stream().map(String::valueOf).toList());
    }
}
