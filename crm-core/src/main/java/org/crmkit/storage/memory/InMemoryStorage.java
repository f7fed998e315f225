package org.crmkit.storage.memory;

import org.crmkit.CrmStorage;
import org.crmkit.plugin.spi.PluginRegistry;
import org.crmkit.storage.memory.internal.MemoryStorage;

/**
 * Storage in the heap, for tests and demos: real transactions (a transaction sees its own writes, others see
 * them only after commit, rollback leaves nothing; concurrent writers to one record conflict at commit), unique
 * values, and exactly the query semantics of the SQL storages. Nothing survives the process.
 *
 * <pre>{@code
 * Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
 * }</pre>
 */
public final class InMemoryStorage implements CrmStorage {
    private final MemoryStorage storage = new MemoryStorage();

    private InMemoryStorage() {}

    /** A new, empty storage. */
    public static InMemoryStorage create() {
        return new InMemoryStorage();
    }

    @Override
    public String name() {
        return storage.name();
    }

    /** Registers the storage SPI implementation; called by the {@code Crm} builder. */
    @Override
    public void install(PluginRegistry registry) {
        registry.storage(storage);
    }

    @Override
    public void close() {
        storage.close();
    }
}
