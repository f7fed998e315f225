package org.crmkit.report;

/**
 * The reports every sales team asks for, ready to call ({@code session.reports().standard()}), each a
 * {@link ReportTable} with snake_case column names. They run as the session's principal, like any report: only
 * records in the caller's scope count, and a report that needs a field hidden from the caller is refused with a
 * {@link org.crmkit.error.ValidationException} ({@code UNKNOWN_FIELD} on the path), as an aggregate naming it is.
 * Counts and totals are computed by the storage in grouped aggregates; only the funnel and the sales cycle read
 * records (in pages) and the change log.
 *
 * <p><b>Amounts</b> are in the corporate currency ({@code amount.corporate}, converted at the rate of each deal's
 * close date, see {@link org.crmkit.schema.Currencies}); without a corporate currency, in the one currency the
 * amounts have (a report whose amounts span several currencies is then refused, {@code UNSUPPORTED_OPERATION} on
 * {@code amount}). Totals are {@link java.math.BigDecimal}s added exactly and rounded once, half-even, to the
 * currency's minor units; 0 when there is nothing to add. The currency is named in the column's label.
 * {@code weighted_amount} is the sum of each deal's amount times its own {@code probability} / 100 (a deal without a
 * probability adds nothing). Deals without an amount count in {@code deals} and add nothing to the totals.
 *
 * <p><b>Rates</b> ({@code win_rate}, {@code conversion_rate}) are percents, {@link java.math.BigDecimal} with scale
 * 2, half-even; null when there is nothing to divide by. Averages of days have scale 2 too. Counts are
 * {@link Long}s. Periods are {@link DateRange}s, {@code until} excluded; a datetime is in a period when its UTC date
 * is. A pipeline that does not exist is refused ({@code ValidationException}, {@code UNKNOWN_OPTION} on
 * {@code pipeline}).
 */
public interface StandardReports {
    /**
     * The open deals of a pipeline by stage, in the pipeline's order; every open stage has a row, those without
     * deals too. Columns: {@code stage} (API name), {@code stage_label}, {@code deals} (open deals in the stage),
     * {@code amount} (their total amount), {@code weighted_amount} (Σ amount × probability / 100).
     */
    ReportTable pipelineByStage(String pipeline);

    /**
     * The deals of a pipeline whose close date is in {@code closeDates}, by close month and forecast category (the
     * {@link org.crmkit.schema.ForecastCategory} of the deal's stage; won deals are {@code CLOSED}, lost ones
     * {@code OMITTED}), ordered by month then category in the enum's order; only pairs with deals have a row.
     * Columns: {@code close_month} (the month's first day, a {@link java.time.LocalDate}), {@code forecast_category}
     * (the constant's name), {@code deals}, {@code amount}, {@code weighted_amount}.
     */
    ReportTable forecast(String pipeline, DateRange closeDates);

    /**
     * The funnel of the deals of a pipeline created in {@code created}, from their stage history (the change log:
     * the stage each deal was created in and every stage change since), one row per stage in the pipeline's order.
     * Columns: {@code stage}, {@code stage_label}; {@code reached}: for an open stage, the deals that were ever in it
     * or in a later open stage or in a won stage (a deal that skipped a stage still passed it); for a won or lost
     * stage, the deals that were ever in it; {@code conversion_rate}: {@code reached} as a percent of the previous
     * open or won stage's (null for the first stage and for lost stages, which are exits, not steps);
     * {@code avg_days_in_stage}: the average length in days of the deals' stays in the stage that have ended (from
     * the change that entered it to the one that left it; a deal still in the stage does not count; a deal that
     * entered it twice counts twice), null when none has ended. Deals now in another pipeline do not count;
     * stages of other pipelines in a history are ignored. Reads the deals in pages of 500 and their history in one
     * batch per page.
     */
    ReportTable funnel(String pipeline, DateRange created);

    /**
     * Closed deals of every pipeline whose close date is in {@code closeDates}, per owner (owners in order).
     * Columns: {@code owner}; {@code won} and {@code lost}: deals in a won or lost stage of their pipeline;
     * {@code win_rate}: won as a percent of won + lost; {@code avg_sales_cycle_days}: the average number of days
     * from creation (its UTC date) to close date over the won deals, null without any. Counts come from one grouped
     * aggregate; the cycle reads the won deals in pages of 1,000. Deals without a close date are not counted.
     */
    ReportTable winRateByOwner(DateRange closeDates);

    /**
     * Activities that occurred in {@code occurred}, per owner and ISO week (Monday, of the UTC date), in owner then
     * week order; only weeks with activities have a row. Columns: {@code owner}, {@code week} (the Monday, a
     * {@link java.time.LocalDate}), {@code activities} (all kinds), {@code calls}, {@code emails},
     * {@code meetings}, {@code notes} (those of kind {@code call}, {@code email}, {@code meeting}, {@code note}).
     * Activities without an occurrence time are not counted.
     */
    ReportTable activitiesPerRepPerWeek(DateRange occurred);

    /**
     * Leads created in {@code created}, per source (sources in order, leads without one last, as null). Columns:
     * {@code source}, {@code leads}, {@code converted} (those whose status is {@code converted}),
     * {@code conversion_rate} (converted as a percent of leads).
     */
    ReportTable leadsBySource(DateRange created);
}
