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
