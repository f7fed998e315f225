package org.crmkit;

import org.crmkit.plugin.spi.CrmPlugin;

/**
 * An automation engine handed to {@link CrmBuilder#workflow(CrmWorkflow)}, such as {@code Workflow.defaults()} from
 * {@code crm-workflow}. It is a configuration handle that applications keep for its own API (rules, jobs); it
 * installs its engine plug-in ({@link org.crmkit.plugin.spi.EnginePlugin}) through {@link CrmPlugin#install}, which
 * only the builder calls. The {@code Crm} starts it on build and closes it on close.
 */
public interface CrmWorkflow extends CrmPlugin, AutoCloseable {
    /** Short name for messages ("workflow", ...). */
    String name();

    /**
     * Runs, on the calling thread, at most {@code limit} jobs that are due by the {@code Crm}'s clock (jobs that
     * running them makes due count too), and returns how many ran: 0 means none was due. The manual job runner of
     * tests ({@code JobRunner} in {@code crm-testkit}) calls it in bounded rounds.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    int runDueJobs(int limit);

    @Override
    void close();
}
