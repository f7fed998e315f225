package org.crmkit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Metric;
import org.jspecify.annotations.Nullable;

/**
 * What running a report gave: the definition it ran (with its version) and its rows, ordered by their group values
 * (empty last), or by the first metric, greatest first, for a top-N report.
 *
 * @param definition the definition run
 * @param rows       one row per group (one row in all without groupings)
 * @param source     whether the rows were aggregated now or read from the report's summary
 */
public record ReportResult(ReportDefinition definition, List<AggregateRow> rows, Source source) {
    public ReportResult {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(source, "source");
        rows = List.copyOf(rows);
    }

    /** Rows aggregated now. */
    public ReportResult(ReportDefinition definition, List<AggregateRow> rows) {
        this(definition, rows, Source.LIVE);
    }

    /** Where a report's rows came from. */
    public enum Source {
        /** Aggregated from the records when it ran. */
        LIVE,
        /** Read from the report's pre-computed summary, kept exact as records change. */
        SUMMARY
    }

    /**
     * These rows as a table: one column per grouping (named by its query path, {@code close_date.month}), then one per
     * metric (named as {@link Metric#toString()} gives it, {@code sum(amount.corporate)}).
     */
    public ReportTable table() {
        List<ReportTable.Column> columns = new ArrayList<>();
        for (String path : definition.groupPaths()) {
            columns.add(ReportTable.Column.group(path, path));
        }
        for (Metric m : definition.metrics()) {
            columns.add(ReportTable.Column.measure(m.toString(), m.toString()));
        }
        List<List<@Nullable Object>> values = new ArrayList<>(rows.size());
        for (AggregateRow row : rows) {
            List<@Nullable Object> line = new ArrayList<>(row.group());
            for (Metric m : definition.metrics()) {
                line.add(
                        m.function() == Metric.Function.COUNT && m.field() == null ? (Object) row.count() : row.get(m));
            }
            values.add(line);
        }
        return new ReportTable(definition.name(), definition.label(), columns, values);
    }
}
