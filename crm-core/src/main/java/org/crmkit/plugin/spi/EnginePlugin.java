package org.crmkit.plugin.spi;

/**
 * Something that runs beside the engine of a {@code Crm} and takes part in its transactions, such as the workflow
 * engine. The engine calls {@link #start} once while the {@code Crm} is built (after the schema is loaded and
 * search started) and {@link #close} when the {@code Crm} closes, before the storage closes.
 */
public interface EnginePlugin {
    /** Short name for messages. */
    String name();

    /** Starts the plug-in; a failure fails {@code Crm.build()} (the storage is closed again). */
    void start(EngineContext context);

    /** Stops the plug-in's threads and releases what it holds; called once. */
    void close();
}
