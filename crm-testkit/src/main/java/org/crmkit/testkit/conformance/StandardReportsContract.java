package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.CrmBuilder;
import org.crmkit.CrmSession;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.report.DateRange;
import org.crmkit.report.ReportTable;
import org.crmkit.report.StandardReports;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.schema.ForecastCategory;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Stage;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.crmkit.testkit.SettableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standard reports ({@code session.reports().standard()}) over a small set of deals, activities and leads written
 * at exact times by a settable clock, so that every number is known: each report's rows are compared with values
 * worked out by hand (listed beside the data), for the system principal, for a rep who sees only their own deals,
 * and refused for callers who cannot see a field the report needs. Amounts are in EUR, some deals in USD at 1.10,
 * so converted totals show that groups are added exactly and rounded once.
 */
public abstract class StandardReportsContract extends ConformanceContract {
    /** Monday 2 March 2026, 09:00 UTC: day 0 of the data. */
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final DateRange MARCH = DateRange.month(YearMonth.of(2026, 3));

    private final SettableClock clock = SettableClock.at(T0);
    private final Map<String, Record> deals = new HashMap<>();

    @Override
    protected CrmBuilder configure(CrmBuilder builder) {
        return builder.clock(clock);
    }

    /*
     * The deals (day n = T0 + n days), pipeline sales unless said otherwise:
     *   d8  ann  EUR 100      close 03-28  day -10 prospecting, day 8 proposal                  (created in February)
     *   d1  ann  EUR 1000     close 03-12  day 0 prospecting, 2 qualification, 5.5 proposal, 6 negotiation, 10 won
     *   d9  ann  EUR 80       close 03-25  renewals: day 0 at_risk (60 %, forecast OMITTED)
     *   d10 bob  EUR 40       close 03-15  renewals: day 0 due, day 8 renewed (won)
     *   d2  ann  USD 0.05     close 04-15  day 1 prospecting
     *   d3  bob  USD 0.05     close 04-20  day 1 prospecting with probability 15
     *   d4  bob  EUR 500      close 03-20  day 2 proposal, day 4 lost
     *   d5  ann  EUR 250.50   close 04-30  day 3 qualification, 4.25 proposal, 5 qualification
     *   d6  bob  no amount    close 05-10  day 4 negotiation
     *   d7  bob  EUR 300      close 03-31  day 5 prospecting, day 7 won
     */
    @BeforeEach
    void data() {
        assumeSupported(StorageFeature.AGGREGATES);
        crm().schema().setCurrencies(Currencies.corporate("EUR").withRate(ExchangeRate.of("USD", "2020-01-01",
                "1.10")));
        crm().schema().savePipeline(new Pipeline("renewals", "Renewals", List.of(Stage.open("due", "Due", 30),
                Stage.open("at_risk", "At risk", 60).withForecastCategory(ForecastCategory.OMITTED),
                Stage.won("renewed", "Renewed"), Stage.lost("churned", "Churned"))));
        create(-10, "d8", "ann", "sales", "prospecting", Money.of("100", "EUR"), "2026-03-28");
        create(0, "d1", "ann", "sales", "prospecting", Money.of("1000", "EUR"), "2026-03-12");
        create(0, "d9", "ann", "renewals", "at_risk", Money.of("80", "EUR"), "2026-03-25");
        create(0, "d10", "bob", "renewals", "due", Money.of("40", "EUR"), "2026-03-15");
        create(1, "d2", "ann", "sales", "prospecting", Money.of("0.05", "USD"), "2026-04-15");
        create(1, "d3", "bob", "sales", "prospecting", Money.of("0.05", "USD"), "2026-04-20", "probability",
                new BigDecimal("15"));
        move(2, "d1", "qualification");
        create(2, "d4", "bob", "sales", "proposal", Money.of("500", "EUR"), "2026-03-20");
        create(3, "d5", "ann", "sales", "qualification", Money.of("250.50", "EUR"), "2026-04-30");
        move(4, "d4", "closed_lost");
        create(4, "d6", "bob", "sales", "negotiation", null, "2026-05-10");
        move(4.25, "d5", "proposal");
        move(5, "d5", "qualification");
        create(5, "d7", "bob", "sales", "prospecting", Money.of("300", "EUR"), "2026-03-31");
        move(5.5, "d1", "proposal");
        move(6, "d1", "negotiation");
        move(7, "d7", "closed_won");
        move(8, "d10", "renewed");
        move(8, "d8", "proposal");
        move(10, "d1", "closed_won");
    }

    private void at(double day) {
        clock.set(T0.plus(Duration.ofMinutes(Math.round(day * 24 * 60))));
    }

    private void create(double day, String name, String owner, String pipeline, String stage, @Nullable Money amount,
            String closeDate, Object... more) {
        at(day);
        Map<String, @Nullable Object> v = values("name", name, "owner", owner, "pipeline", pipeline, "stage", stage,
                "amount", amount, "close_date", LocalDate.parse(closeDate));
        v.putAll(values(more));
        deals.put(name, records("deal").create(v));
    }

    private void move(double day, String name, String stage) {
        at(day);
        Record d = java.util.Objects.requireNonNull(deals.get(name), name);
        deals.put(name, records("deal").update(d.id(), d.version(), Map.of("stage", stage)));
    }

    private StandardReports reports(CrmSession session) {
        return session.reports().standard();
    }

    private static List<@Nullable Object> line(@Nullable Object... values) {
        return Arrays.asList(values);
    }

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    private static List<String> columns(ReportTable t) {
        return t.columns().stream().map(ReportTable.Column::name).toList();
    }

    @Test
    void pipelineByStageListsEveryOpenStageWithTotalsRoundedOnce() {
        ReportTable t = reports(system()).pipelineByStage("sales");
        assertThat(columns(t)).containsExactly("stage", "stage_label", "deals", "amount", "weighted_amount");
        assertThat(t.columns().get(3).label()).isEqualTo("Amount (EUR)");
        // prospecting: 2 × USD 0.05 = EUR 0.0909... → 0.09 (0.10 if each group were rounded first);
        // weighted 0.04545... × (10 % + 15 %) = 0.01136... → 0.01
        assertThat(t.rows()).containsExactly(
                line("prospecting", "Prospecting", 2L, d("0.09"), d("0.01")),
                line("qualification", "Qualification", 1L, d("250.50"), d("50.10")),
                line("proposal", "Proposal", 1L, d("100.00"), d("50.00")),
                line("negotiation", "Negotiation", 1L, d("0.00"), d("0.00")));
        assertThat(reports(system()).pipelineByStage("renewals").rows()).containsExactly(
                line("due", "Due", 0L, d("0.00"), d("0.00")),
                line("at_risk", "At risk", 1L, d("80.00"), d("48.00")));
    }

    @Test
    void forecastGroupsByCloseMonthAndTheStagesForecastCategory() {
        ReportTable t = reports(system()).forecast("sales", DateRange.of(LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 6, 1)));
        assertThat(columns(t)).containsExactly("close_month", "forecast_category", "deals", "amount",
                "weighted_amount");
        LocalDate march = LocalDate.of(2026, 3, 1);
        assertThat(t.rows()).containsExactly(
                line(march, "BEST_CASE", 1L, d("100.00"), d("50.00")),
                line(march, "CLOSED", 2L, d("1300.00"), d("1300.00")),
                line(march, "OMITTED", 1L, d("500.00"), d("0.00")),
                line(LocalDate.of(2026, 4, 1), "PIPELINE", 3L, d("250.59"), d("50.11")),
                line(LocalDate.of(2026, 5, 1), "COMMIT", 1L, d("0.00"), d("0.00")));
        // until is excluded: May's deal closes on the 10th
        assertThat(reports(system()).forecast("sales", DateRange.of(LocalDate.of(2026, 4, 1),
                LocalDate.of(2026, 5, 10))).rows()).containsExactly(
                        line(LocalDate.of(2026, 4, 1), "PIPELINE", 3L, d("250.59"), d("50.11")));
        List<List<@Nullable Object>> renewals = List.of(line(march, "CLOSED", 1L, d("40.00"), d("40.00")),
                line(march, "OMITTED", 1L, d("80.00"), d("48.00")));
        assertThat(reports(system()).forecast("renewals", MARCH).rows()).isEqualTo(renewals);
        if (reopen() != null) { // the stage's own category is stored with the pipeline
            assertThat(crm().schema().pipeline("renewals").stage("at_risk").orElseThrow().forecastCategory())
                    .isEqualTo(ForecastCategory.OMITTED);
            assertThat(reports(system()).forecast("renewals", MARCH).rows()).isEqualTo(renewals);
        }
    }

    @Test
    void theFunnelFollowsEachDealsStageHistory() {
        ReportTable t = reports(system()).funnel("sales", MARCH);
        assertThat(columns(t)).containsExactly("stage", "stage_label", "reached", "conversion_rate",
                "avg_days_in_stage");
        // d1..d7 (d8 was created in February). Ended stays: prospecting d1 2, d7 2; qualification d1 3.5, d5 1.25;
        // proposal d1 0.5, d4 2, d5 0.75; negotiation d1 4
        assertThat(t.rows()).containsExactly(
                line("prospecting", "Prospecting", 7L, null, d("2.00")),
                line("qualification", "Qualification", 5L, d("71.43"), d("2.38")),
                line("proposal", "Proposal", 5L, d("100.00"), d("1.08")),
                line("negotiation", "Negotiation", 3L, d("60.00"), d("4.00")),
                line("closed_won", "Closed won", 2L, d("66.67"), null),
                line("closed_lost", "Closed lost", 1L, null, null));
        assertThat(reports(system()).funnel("sales", DateRange.of(LocalDate.of(2026, 3, 3),
                LocalDate.of(2026, 3, 4))).rows()).extracting(r -> r.get(2))
                .containsExactly(2L, 0L, 0L, 0L, 0L, 0L); // d2 and d3, created on day 1
    }

    @Test
    void winRateAndSalesCycleByOwnerAcrossPipelines() {
        ReportTable t = reports(system()).winRateByOwner(MARCH);
        assertThat(columns(t)).containsExactly("owner", "won", "lost", "win_rate", "avg_sales_cycle_days");
        // ann: d1 won (03-02 → 03-12: 10 days); bob: d7 won (03-07 → 03-31: 24), d10 won (03-02 → 03-15: 13), d4 lost
        assertThat(t.rows()).containsExactly(
                line("ann", 1L, 0L, d("100.00"), d("10.00")),
                line("bob", 2L, 1L, d("66.67"), d("18.50")));
        assertThat(reports(system()).winRateByOwner(DateRange.of(LocalDate.of(2026, 3, 13),
                LocalDate.of(2026, 3, 21))).rows()).containsExactly(line("bob", 1L, 1L, d("50.00"), d("13.00")));
        assertThat(reports(system()).winRateByOwner(DateRange.year(2025)).rows()).isEmpty();
    }

    @Test
    void activitiesPerRepPerIsoWeekByKind() {
        activity("ann", "call", "2026-03-02T10:00:00Z");
        activity("ann", "email", "2026-03-03T23:59:59Z");
        activity("ann", "meeting", "2026-03-08T23:30:00Z"); // Sunday: still the week of 2 March
        activity("ann", "note", "2026-03-09T00:10:00Z");
        activity("ann", "call", "2026-03-16T00:00:00Z"); // the day the range ends: out
        activity("ann", "call", "2026-02-28T12:00:00Z"); // before: out
        activity("bob", "call", "2026-03-10T08:00:00Z");
        activity("bob", "call", "2026-03-10T09:00:00Z");
        activity("bob", "email", "2026-03-11T09:00:00Z");
        activity("bob", "call", null); // never occurred: out
        ReportTable t = reports(system()).activitiesPerRepPerWeek(DateRange.of(LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 3, 16)));
        assertThat(columns(t)).containsExactly("owner", "week", "activities", "calls", "emails", "meetings", "notes");
        assertThat(t.rows()).containsExactly(
                line("ann", LocalDate.of(2026, 3, 2), 3L, 1L, 1L, 1L, 0L),
                line("ann", LocalDate.of(2026, 3, 9), 1L, 0L, 0L, 0L, 1L),
                line("bob", LocalDate.of(2026, 3, 9), 3L, 2L, 1L, 0L, 0L));
    }

    private void activity(String owner, String kind, @Nullable String occurredAt) {
        records("activity").create(values("owner", owner, "kind", kind, "subject", kind, "occurred_at",
                occurredAt == null ? null : Instant.parse(occurredAt)));
    }

    @Test
    void leadsBySourceWithTheirConversionRate() {
        lead("2026-02-27T12:00:00Z", "web", "converted"); // before the range
        lead("2026-03-01T00:00:00Z", "web", "new");
        lead("2026-03-10T12:00:00Z", "web", "converted");
        lead("2026-03-31T23:59:59Z", "web", "contacted");
        lead("2026-03-05T12:00:00Z", "referral", "converted");
        lead("2026-03-06T12:00:00Z", "referral", "converted");
        lead("2026-03-07T12:00:00Z", null, "qualified");
        lead("2026-04-01T00:00:00Z", "referral", "new"); // the day the range ends
        ReportTable t = reports(system()).leadsBySource(MARCH);
        assertThat(columns(t)).containsExactly("source", "leads", "converted", "conversion_rate");
        assertThat(t.rows()).containsExactly(
                line("referral", 2L, 2L, d("100.00")),
                line("web", 3L, 1L, d("33.33")),
                line(null, 1L, 0L, d("0.00")));
    }

    private void lead(String createdAt, @Nullable String source, String status) {
        clock.set(Instant.parse(createdAt));
        records("lead").create(values("last_name", "Lead", "source", source, "status", status));
    }

    @Test
    void aRepWhoSeesOnlyOwnDealsGetsOnlyTheirNumbers() {
        Role own = Role.builder("own_deals").grant("deal", RecordScope.OWN, Permission.READ).build();
        StandardReports ann = reports(crm().as(Principal.user("ann", own)));
        assertThat(ann.pipelineByStage("sales").rows()).containsExactly(
                line("prospecting", "Prospecting", 1L, d("0.05"), d("0.00")),
                line("qualification", "Qualification", 1L, d("250.50"), d("50.10")),
                line("proposal", "Proposal", 1L, d("100.00"), d("50.00")),
                line("negotiation", "Negotiation", 0L, d("0.00"), d("0.00")));
        // d1, d2, d5; proposal stays d1 0.5 and d5 0.75: 0.625 → 0.62 (half-even)
        assertThat(ann.funnel("sales", MARCH).rows()).containsExactly(
                line("prospecting", "Prospecting", 3L, null, d("2.00")),
                line("qualification", "Qualification", 2L, d("66.67"), d("2.38")),
                line("proposal", "Proposal", 2L, d("100.00"), d("0.62")),
                line("negotiation", "Negotiation", 1L, d("50.00"), d("4.00")),
                line("closed_won", "Closed won", 1L, d("100.00"), null),
                line("closed_lost", "Closed lost", 0L, null, null));
        assertThat(ann.winRateByOwner(MARCH).rows()).containsExactly(line("ann", 1L, 0L, d("100.00"), d("10.00")));
        assertThat(ann.forecast("renewals", MARCH).rows()).containsExactly(
                line(LocalDate.of(2026, 3, 1), "OMITTED", 1L, d("80.00"), d("48.00")));
    }

    @Test
    void aReportNeedingAHiddenFieldIsRefusedAsIfTheFieldDidNotExist() {
        Role noAmounts = Role.builder("no_amounts").grant("deal", RecordScope.ALL, Permission.READ)
                .field("deal", "amount", FieldAccess.HIDDEN).build();
        StandardReports blind = reports(crm().as(Principal.user("x", noAmounts)));
        assertThatThrownBy(() -> blind.pipelineByStage("sales")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(hasError(e, "amount.corporate", FieldErrorCode.UNKNOWN_FIELD)).isTrue());
        assertThatThrownBy(() -> blind.forecast("sales", MARCH)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(hasError(e, "amount.corporate", FieldErrorCode.UNKNOWN_FIELD)).isTrue());
        assertThat(blind.funnel("sales", MARCH).rows()).hasSize(6); // needs no amount
        Role noStages = Role.builder("no_stages").grant("deal", RecordScope.ALL, Permission.READ)
                .field("deal", "stage", FieldAccess.HIDDEN).build();
        assertThatThrownBy(() -> reports(crm().as(Principal.user("y", noStages))).funnel("sales", MARCH))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "stage", FieldErrorCode.UNKNOWN_FIELD)).isTrue());
        assertThatThrownBy(() -> reports(system()).pipelineByStage("nope"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "pipeline", FieldErrorCode.UNKNOWN_OPTION)).isTrue());
    }

    @Test
    void withoutACorporateCurrencyAmountsAddUpInTheirOneCurrencyOrAreRefused() {
        crm().schema().setCurrencies(Currencies.none());
        assertThatThrownBy(() -> reports(system()).pipelineByStage("sales"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "amount", FieldErrorCode.UNSUPPORTED_OPERATION)).isTrue());
        ReportTable renewals = reports(system()).pipelineByStage("renewals");
        assertThat(renewals.rows()).containsExactly(line("due", "Due", 0L, d("0.00"), d("0.00")),
                line("at_risk", "At risk", 1L, d("80.00"), d("48.00")));
        assertThat(renewals.columns().get(4).label()).isEqualTo("Weighted amount (EUR)");
    }

    @Test
    void aDateRangeEndsAfterItStarts() {
        assertThatThrownBy(() -> DateRange.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MARCH).isEqualTo(DateRange.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1)));
        assertThat(MARCH.contains(LocalDate.of(2026, 3, 31))).isTrue();
        assertThat(MARCH.contains(LocalDate.of(2026, 4, 1))).isFalse();
    }
}
