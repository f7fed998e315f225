package org.crmkit.report;

import java.util.List;
import java.util.Objects;
import org.crmkit.query.AggregateRow;

/**
 * What running a report gave: the definition it ran (with its version) and its rows, ordered by their group values
 * (empty last), or by the first metric, greatest first, for a top-N report.
 *
 * @param definition the definition run
 * @param rows       one row per group (one row in all without groupings)
 */
public record ReportResult(ReportDefinition definition, List<AggregateRow> rows) {
    public ReportResult {
        Objects.requireNonNull(definition, "definition");
        rows = List.copyOf(rows);
    }
}
