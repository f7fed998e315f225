package org.crmkit.report;

import java.util.List;
import java.util.Optional;

/**
 * The saved reports and running them, as one principal ({@code session.reports()}). A report runs within the
 * caller's access: only records in their scope count, and a report that names a field hidden from them fails as if
 * the field did not exist. Saving needs {@link org.crmkit.security.AdminPermission#MANAGE_REPORTS}.
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

    /** Runs the newest version of a saved report. */
    ReportResult run(String name);

    /** Runs a definition without saving it, checked as {@link #save} checks it. */
    ReportResult run(ReportDefinition definition);

    /**
     * The standard reports (pipeline by stage, forecast, funnel, win rate, activities, leads by source), within the
     * same access. CRMKit's engine implements it; the default refuses.
     */
    default StandardReports standard() {
        throw new UnsupportedOperationException("standard reports are not supported by " + getClass().getName());
    }
}
