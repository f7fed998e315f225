package org.crmkit.report;

import java.util.Locale;

/**
 * How a date or datetime groups: by the first day of its day, ISO week (Monday), month, quarter or year. Quarters
 * and years follow the report's fiscal year ({@link ReportDefinition#fiscalYearStartMonth()}); datetimes group by
 * their UTC date. As a query path: {@code close_date.month}, {@code close_date.quarter}, and for a fiscal year
 * starting in another month than January {@code close_date.fiscal_quarter_4} (April), {@code close_date.fiscal_year_4}.
 */
public enum DateBucket {
    DAY, WEEK, MONTH, QUARTER, YEAR;

    /** The query path of this bucket of {@code field} in a fiscal year starting in {@code fiscalStartMonth}. */
    public String path(String field, int fiscalStartMonth) {
        java.util.Objects.requireNonNull(field, "field");
        String unit = name().toLowerCase(Locale.ROOT);
        boolean fiscal = (this == QUARTER || this == YEAR) && fiscalStartMonth != 1;
        return field + "." + (fiscal ? "fiscal_" + unit + "_" + fiscalStartMonth : unit);
    }
}
