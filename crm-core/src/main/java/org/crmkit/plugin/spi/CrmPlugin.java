package org.crmkit.plugin.spi;

/**
 * The one way parts are plugged into a {@code Crm}: a storage, a search engine or an engine plug-in (workflow) is a
 * configuration handle that installs its SPI implementations into the {@link PluginRegistry} the builder hands it, as
 * JDBI's {@code JdbiPlugin} customises a {@code Jdbi} through {@code Jdbi.installPlugin}. The handles an application
 * holds ({@code JdbcStorage}, {@code LuceneSearch}, {@code Workflow}) implement it; their SPI objects stay internal to
 * their modules.
 *
 * <p>{@link #install} only registers: it starts nothing, may be called more than once, and registers the same objects
 * each time.
 */
@FunctionalInterface
public interface CrmPlugin {
    /** Registers this plug-in's parts. */
    void install(PluginRegistry registry);
}
