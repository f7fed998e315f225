package org.crmkit.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A report's answer as a table: named columns and rows of typed values, what every report gives (a saved or ad hoc
 * {@link ReportDefinition} through {@link ReportResult#table()}, and the standard reports) and what the exports
 * write. Values keep their types: {@link String}, {@link Long} for counts, {@link java.math.BigDecimal},
 * {@link java.time.LocalDate}, {@link java.time.Instant}, {@link Boolean}, {@link java.util.UUID},
 * {@link org.crmkit.record.Money}; null for an empty value.
 *
 * @param name    the report's API name
 * @param label   what people see as its title
 * @param columns the columns, in order; names are unique
 * @param rows    the rows, each with one value per column
 */
public record ReportTable(String name, String label, List<Column> columns, List<List<@Nullable Object>> rows) {
    public ReportTable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        columns = List.copyOf(columns);
        if (columns.stream().map(Column::name).distinct().count() != columns.size()) {
            throw new IllegalArgumentException("column names must be unique: " + columns);
        }
        List<List<@Nullable Object>> copied = new ArrayList<>(rows.size());
        for (List<@Nullable Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size()
                        + " columns");
            }
            copied.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copied);
    }

    /** The position of a column, or -1. */
    public int indexOf(String column) {
        Objects.requireNonNull(column, "column");
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of {@code column} in row {@code row} (0-based). */
    public @Nullable Object value(int row, String column) {
        int i = indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + column + "'; the columns are " + columns.stream()
                    .map(Column::name).toList());
        }
        return rows.get(row).get(i);
    }

    /**
     * One column of a {@link ReportTable}.
     *
     * @param name  API name ({@code stage}, {@code sum(amount.corporate)})
     * @param label what people see
     * @param role  whether the column groups the rows or measures them
     */
    public record Column(String name, String label, Role role) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(role, "role");
        }

        /** A column that groups the rows (a dimension). */
        public static Column group(String name, String label) {
            return new Column(name, label, Role.GROUP);
        }

        /** A column that measures each row (a metric). */
        public static Column measure(String name, String label) {
            return new Column(name, label, Role.MEASURE);
        }
    }

    /** What a column does: groups the rows or measures them. */
    public enum Role {
        GROUP,
        MEASURE
    }
}
