package org.crmkit.report;

import java.util.List;
import java.util.Optional;

/**
 * The saved reports and running them, as one principal ({@code session.reports()}). A report runs within the
 * caller's access: only records in their scope count, and a report that names a field hidden from them fails as if
 * the field did not exist. Saving needs {@link org.crmkit.security.AdminPermission#MANAGE_REPORTS}.
 *
 * <p>A report saved as {@link ReportDefinition#summarised() summarised} keeps its rows pre-computed: every commit
 * that changes a record it counts changes its rows in the same transaction, so a run reads a handful of rows instead
 * of aggregating the records, and gives the same rows as a live run ({@link ReportResult#source()} says which it
 * was). A caller whose record scope on the type is narrower than all records runs it live, within their scope.
 */
public interface Reports {
    /**
     * Checks and saves a definition, as the next version of the report of that name (1 for a new one), and returns
     * it with its version. A definition that does not fit the schema (unknown path, a bucket on a non-date field, a
     * metric that does not fit its field, more than {@value ReportDefinition#MAX_GROUPINGS} groupings...) is refused
     * with a {@link org.crmkit.error.ValidationException} naming each problem.
     */
    ReportDefinition save(ReportDefinition definition);

    /** The newest version of a saved report. */
    Optional<ReportDefinition> find(String name);

    /** The saved reports, newest versions, by name. */
    List<ReportDefinition> list();

    /** Every saved version of a report, oldest first. */
    List<ReportDefinition> history(String name);

    /** Deletes a saved report; its history stays. */
    void delete(String name);

    /**
     * Checks a definition as {@link #save} and {@link #run(ReportDefinition)} check it, against the schema as this
     * caller sees it, running nothing: a path hidden from the caller is refused exactly as an unknown one, with a
     * {@link org.crmkit.error.ValidationException} naming each problem. Tells whether the caller may run a saved
     * report without running it. CRMKit's engine implements it; the default refuses.
     */
    default void validate(ReportDefinition definition) {
        throw new UnsupportedOperationException("this Reports does not validate definitions");
    }

    /** Runs the newest version of a saved report. */
    ReportResult run(String name);

    /** Runs a definition without saving it, checked as {@link #save} checks it. */
    ReportResult run(ReportDefinition definition);

    /**
     * Rebuilds the summary of a saved {@link ReportDefinition#summarised() summarised} report from the records,
     * reporting progress, and returns the last progress. Saving a summarised report builds its summary; rebuild
     * after restoring data behind the engine's back. While it runs, writers of the report's type wait at their
     * commit; none of their changes is lost. Needs {@link org.crmkit.security.AdminPermission#MANAGE_REPORTS}.
     */
    default RebuildProgress rebuild(String name, java.util.function.Consumer<RebuildProgress> progress) {
        throw new UnsupportedOperationException("this Reports does not keep summaries");
    }

    /**
     * The standard reports (pipeline by stage, forecast, funnel, win rate, activities, leads by source), within the
     * same access. CRMKit's engine implements it; the default refuses.
     */
    default StandardReports standard() {
        throw new UnsupportedOperationException("standard reports are not supported by " + getClass().getName());
    }
}
