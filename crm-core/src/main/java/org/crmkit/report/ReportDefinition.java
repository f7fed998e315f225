package org.crmkit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;

/**
 * A report as data: the records of one type matching a filter, grouped by up to two {@link Grouping}s, with metrics
 * (count, sum, average, minimum, maximum, count of non-empty values, count of distinct values; amounts in the
 * corporate currency through {@code <field>.corporate}), optionally only the top N rows by the first metric. Checked
 * when saved ({@link Reports#save}), which also gives it its {@link #version()}.
 *
 * <pre>{@code
 * ReportDefinition.builder("pipeline_by_month", "deal")
 *     .filter(Filters.where("stage").in("prospecting", "qualification", "proposal", "negotiation"))
 *     .groupBy(Grouping.by("close_date", DateBucket.QUARTER)).groupBy(Grouping.by("stage"))
 *     .metric(Metric.count()).metric(Metric.sum("amount.corporate"))
 *     .fiscalYearStartMonth(4).build();
 * }</pre>
 *
 * @param name                 API name, {@code [a-z][a-z0-9_]{0,39}}
 * @param objectType           the type reported on
 * @param label                what people see
 * @param filter               which records
 * @param groupings            0 to 2 groupings, outermost first
 * @param metrics              1 to 20 metrics; a count of records when none is given
 * @param fiscalYearStartMonth the month (1 to 12) fiscal quarters and years start in
 * @param topN                 keep only the N rows with the greatest first metric (ties by group), 0 for all
 * @param version              the saved version, 0 until saved
 * @param summarised           whether its rows are kept pre-computed ({@link Reports#rebuild}): then its metrics may
 *                             only be counts, sums and averages (currency amounts through {@code .corporate}) and its
 *                             paths only the type's own fields
 */
public record ReportDefinition(String name, String objectType, String label, Filter filter, List<Grouping> groupings,
        List<Metric> metrics, int fiscalYearStartMonth, int topN, long version, boolean summarised) {
    /** Most groupings. */
    public static final int MAX_GROUPINGS = 2;
    /** Most metrics. */
    public static final int MAX_METRICS = 20;

    public ReportDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(filter, "filter");
        groupings = List.copyOf(groupings);
        metrics = List.copyOf(metrics);
    }

    /** A definition that is not summarised. */
    public ReportDefinition(String name, String objectType, String label, Filter filter, List<Grouping> groupings,
            List<Metric> metrics, int fiscalYearStartMonth, int topN, long version) {
        this(name, objectType, label, filter, groupings, metrics, fiscalYearStartMonth, topN, version, false);
    }

    /** A builder for a report on {@code objectType}. */
    public static Builder builder(String name, String objectType) {
        return new Builder(name, objectType);
    }

    /** The query paths of the groupings, date buckets included ({@link DateBucket#path}). */
    public List<String> groupPaths() {
        return groupings.stream().map(g -> g.bucket() == null ? g.path()
                : g.bucket().path(g.path(), fiscalYearStartMonth)).toList();
    }

    /** This definition at another version (what saving returns). */
    public ReportDefinition withVersion(long newVersion) {
        return new ReportDefinition(name, objectType, label, filter, groupings, metrics, fiscalYearStartMonth, topN,
                newVersion, summarised);
    }

    /** Builds a {@link ReportDefinition}. */
    public static final class Builder {
        private final String name;
        private final String objectType;
        private String label;
        private Filter filter = Filter.ALL;
        private final List<Grouping> groupings = new ArrayList<>();
        private final List<Metric> metrics = new ArrayList<>();
        private int fiscalYearStartMonth = 1;
        private int topN;
        private boolean summarised;

        private Builder(String name, String objectType) {
            this.name = Objects.requireNonNull(name, "name");
            this.objectType = Objects.requireNonNull(objectType, "objectType");
            this.label = name;
        }

        public Builder label(String value) {
            this.label = Objects.requireNonNull(value, "value");
            return this;
        }

        public Builder filter(Filter value) {
            this.filter = Objects.requireNonNull(value, "value");
            return this;
        }

        public Builder groupBy(Grouping grouping) {
            groupings.add(Objects.requireNonNull(grouping, "grouping"));
            return this;
        }

        public Builder groupBy(String path) {
            return groupBy(Grouping.by(path));
        }

        public Builder metric(Metric metric) {
            metrics.add(Objects.requireNonNull(metric, "metric"));
            return this;
        }

        public Builder fiscalYearStartMonth(int month) {
            this.fiscalYearStartMonth = month;
            return this;
        }

        public Builder top(int n) {
            this.topN = n;
            return this;
        }

        /**
         * Keeps the report's rows pre-computed, so that running it reads them instead of aggregating the records
         * (see {@link Reports#rebuild}).
         */
        public Builder summarised(boolean value) {
            this.summarised = value;
            return this;
        }

        public ReportDefinition build() {
            return new ReportDefinition(name, objectType, label, filter, groupings,
                    metrics.isEmpty() ? List.of(Metric.count()) : metrics, fiscalYearStartMonth, topN, 0, summarised);
        }
    }
}
