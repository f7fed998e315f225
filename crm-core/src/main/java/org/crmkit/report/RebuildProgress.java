package org.crmkit.report;

import java.util.Objects;

/**
 * How far rebuilding a report's summary is ({@link Reports#rebuild}).
 *
 * @param report  the report
 * @param records records aggregated (those the report's filter matched)
 * @param groups  summary rows (groups) built
 * @param done    whether the rows were written and the summary is in use
 */
public record RebuildProgress(String report, long records, long groups, boolean done) {
    public RebuildProgress {
        Objects.requireNonNull(report, "report");
    }
}
