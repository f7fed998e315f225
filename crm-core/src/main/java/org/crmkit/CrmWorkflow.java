package org.crmkit;

/**
 * An automation engine handed to {@link CrmBuilder#workflow(CrmWorkflow)}, such as {@code Workflow.defaults()} from
 * {@code crm-workflow}. Engines implement the plug-in SPI ({@link org.crmkit.plugin.spi.EnginePlugin});
 * applications only pass them on and keep them for their own API (rules, jobs). The {@code Crm} starts it on build
 * and closes it on close.
 */
public interface CrmWorkflow extends AutoCloseable {
    /** Short name for messages ("workflow", ...). */
    String name();

    @Override
    void close();
}
