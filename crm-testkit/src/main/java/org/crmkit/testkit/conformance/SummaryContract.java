package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.report.DateBucket;
import org.crmkit.report.Grouping;
import org.crmkit.report.RebuildProgress;
import org.crmkit.report.ReportDefinition;
import org.crmkit.report.ReportResult;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.security.FieldAccess;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.StorageFeature;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pre-computed report summaries ({@link ReportDefinition#summarised()}): after any sequence of record writes
 * (creates, updates of grouped, filtered and summed fields, deletes, restores, purges, merges, rolled-back
 * transactions) and after concurrent writers, a summarised report read from its summary gives exactly the rows the
 * same report aggregated live gives, on every storage; rebuilding reports progress and changes nothing; definitions
 * that cannot be kept by adding and subtracting are refused; a caller with a narrower scope gets the live report.
 */
public abstract class SummaryContract extends ConformanceContract {
    private static final List<String> STAGES = List.of("prospecting", "qualification", "proposal", "negotiation",
            "closed_won", "closed_lost");
    private static final List<String> OWNERS = List.of("ann", "bob", "cid");
    private static final List<String> OPEN = STAGES.subList(0, 4);

    /** The summarised reports every test keeps: one of each shape a summary can have. */
    private static final List<ReportDefinition> REPORTS = List.of(
            ReportDefinition.builder("by_stage", "deal").groupBy("stage").metric(Metric.count())
                    .metric(Metric.sum("amount.corporate")).metric(Metric.avg("probability")).summarised(true)
                    .build(),
            ReportDefinition.builder("by_quarter_owner", "deal").groupBy(Grouping.by("close_date", DateBucket.QUARTER))
                    .groupBy("owner").metric(Metric.count()).metric(new Metric(Metric.Function.COUNT, "amount"))
                    .metric(Metric.avg("amount.corporate")).fiscalYearStartMonth(4).summarised(true).build(),
            ReportDefinition.builder("open_total", "deal").filter(Filters.where("stage").in(List.copyOf(OPEN)))
                    .metric(Metric.sum("amount.corporate")).metric(Metric.count()).summarised(true).build(),
            ReportDefinition.builder("top_owners", "deal").filter(Filters.where("amount.corporate")
                    .gt(new BigDecimal("5000"))).groupBy("owner").metric(Metric.sum("amount.corporate")).top(2)
                    .summarised(true).build());

    private final Random random = new Random(15);
    private final List<Record> deals = new ArrayList<>();

    @BeforeEach
    void reports() {
        assumeSupported(StorageFeature.AGGREGATES);
        org.junit.jupiter.api.Assumptions.assumeTrue(storageUnderTest().extension(
                org.crmkit.storage.spi.SummaryStore.class).isPresent(), "the storage keeps no summaries");
        crm().schema().setCurrencies(Currencies.corporate("EUR").withRate(ExchangeRate.of("USD", "2025-01-01",
                "1.10")).withRate(ExchangeRate.of("USD", "2026-04-01", "1.25")));
        for (int i = 0; i < 30; i++) {
            deals.add(records("deal").create(randomDeal()));
        }
        for (ReportDefinition d : REPORTS) {
            system().reports().save(d);
        }
    }

    private Map<String, Object> randomDeal() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", "deal " + random.nextInt(1000));
        v.put("stage", STAGES.get(random.nextInt(STAGES.size())));
        v.put("owner", OWNERS.get(random.nextInt(OWNERS.size())));
        if (random.nextInt(8) > 0) {
            v.put("amount", randomAmount());
        }
        if (random.nextInt(6) > 0) {
            v.put("close_date", LocalDate.of(2025, 1, 1).plusDays(random.nextInt(700)));
        }
        return v;
    }

    private Money randomAmount() {
        return Money.of(BigDecimal.valueOf(random.nextInt(1_500_000), 2).toPlainString(),
                random.nextBoolean() ? "EUR" : "USD");
    }

    /** Each summarised report read from its summary equals the same report aggregated now. */
    private void assertSummariesExact() {
        for (ReportDefinition d : REPORTS) {
            ReportResult kept = system().reports().run(d.name());
            assertThat(kept.source()).as(d.name()).isEqualTo(ReportResult.Source.SUMMARY);
            assertThat(kept.rows()).as(d.name()).isEqualTo(live(d).rows());
        }
    }

    private ReportResult live(ReportDefinition d) {
        ReportResult r = system().reports().run(new ReportDefinition(d.name(), d.objectType(), d.label(), d.filter(),
                d.groupings(), d.metrics(), d.fiscalYearStartMonth(), d.topN(), 0, false));
        assertThat(r.source()).isEqualTo(ReportResult.Source.LIVE);
        return r;
    }

    /** The deal at {@code index} as stored now (deleted ones too), or null when it was purged. */
    private @Nullable Record current(int index) {
        Record r = deals.get(Math.floorMod(index, deals.size()));
        List<Record> now = records("deal").query(Query.where(Filters.where("id").eq(r.id()))
                .deleted(Query.Deleted.INCLUDE)).items();
        return now.isEmpty() ? null : now.get(0);
    }

    /** One random write: op picks what, index which deal. */
    private void write(int op, int index) {
        Record r = current(index);
        if (op == 0) {
            deals.add(records("deal").create(randomDeal()));
            return;
        }
        if (r == null) {
            return;
        }
        switch (op) {
            case 1 -> update(r, Map.of("stage", STAGES.get(random.nextInt(STAGES.size()))));
            case 2 -> update(r, random.nextInt(4) == 0 ? values("amount", null) : Map.of("amount", randomAmount()));
            case 3 -> update(r, random.nextBoolean() ? Map.of("owner", OWNERS.get(random.nextInt(OWNERS.size())))
                    : values("close_date", random.nextInt(5) == 0 ? null
                            : LocalDate.of(2025, 1, 1).plusDays(random.nextInt(700))));
            case 4 -> {
                if (!r.isDeleted()) {
                    records("deal").delete(r.id(), r.version());
                }
            }
            case 5 -> {
                if (r.isDeleted()) {
                    records("deal").restore(r.id(), r.version());
                }
            }
            case 6 -> records("deal").purge(r.id());
            case 7 -> assertThatThrownBy(() -> system().inTransactionDo(s -> {
                s.records("deal").create(randomDeal());
                s.records("deal").update(r.id(), r.version(), Map.of("stage", "closed_won"));
                throw new IllegalStateException("rolled back");
            })).isInstanceOf(RuntimeException.class);
            default -> {
                if (supports(StorageFeature.MERGE_LINKS) && !r.isDeleted()) {
                    Record other = current(index + 1);
                    if (other != null && !other.isDeleted() && !other.id().equals(r.id())) {
                        records("deal").merge(r.id(), List.of(other.id()));
                    }
                }
            }
        }
    }

    private void update(Record r, Map<String, ?> changes) {
        if (!r.isDeleted()) {
            records("deal").update(r.id(), r.version(), changes);
        }
    }

    @Test
    void savingASummarisedReportBuildsItsSummaryWithTheLiveRows() {
        assertSummariesExact();
        for (ReportDefinition d : REPORTS) {
            assertThat(system().reports().find(d.name()).orElseThrow().summarised()).isTrue();
        }
    }

    @Test
    void anySequenceOfWritesLeavesEverySummaryEqualToTheLiveReport() {
        qt().withExamples(25).withShrinkCycles(5).forAll(lists().of(integers().between(0, 8).zip(
                integers().between(0, 1000), (op, index) -> List.of(op, index))).ofSizeBetween(1, 6))
                .checkAssert(ops -> {
                    for (List<Integer> op : ops) {
                        write(op.get(0), op.get(1));
                    }
                    assertSummariesExact();
                });
    }

    @Test
    void writersInParallelLeaveEverySummaryExact() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    Random mine = new Random(thread);
                    for (int i = 0; i < 8; i++) {
                        Record created = records("deal").create(Map.of("name", "parallel " + thread,
                                "stage", STAGES.get(mine.nextInt(STAGES.size())), "owner", OWNERS.get(thread % 3),
                                "amount", Money.of(mine.nextInt(90_000) + ".50", "USD"),
                                "close_date", LocalDate.of(2026, 1, 1).plusDays(mine.nextInt(200))));
                        Record moved = records("deal").update(created, Map.of("stage",
                                STAGES.get(mine.nextInt(STAGES.size()))));
                        if (i % 3 == 0) {
                            records("deal").delete(moved.id(), moved.version());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertSummariesExact();
    }

    @Test
    void rebuildingReportsProgressAndKeepsTheRowsWhileWritersGoOn() throws Exception {
        List<RebuildProgress> seen = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    records("deal").create(Map.of("name", "during", "stage", "proposal", "owner", "bob",
                            "amount", Money.of("100.00", "EUR")));
                }
                return null;
            });
            RebuildProgress last = system().reports().rebuild("by_stage", seen::add);
            writer.get(5, TimeUnit.MINUTES);
            assertThat(last.done()).isTrue();
            assertThat(seen).isNotEmpty().last().isEqualTo(last);
            assertThat(seen.get(0).done()).isFalse();
            assertThat(last.groups()).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertSummariesExact();
        assertThatThrownBy(() -> crm().as(Principal.user("rep", Role.SALES_REP)).reports().rebuild("by_stage",
                p -> {})).isInstanceOf(org.crmkit.error.AccessDeniedException.class);
    }

    @Test
    void newRatesRebuildTheSummariesThatConvertAndANewDefinitionIsNotReadFromAnOldSummary() throws Exception {
        crm().schema().setCurrencies(crm().schema().currencies().withRate(ExchangeRate.of("USD", "2026-01-01",
                "1.50")));
        // until its background rebuild is done a converting report runs live (so always with the new rates)
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (ReportDefinition d : REPORTS) {
            ReportResult r = system().reports().run(d.name());
            while (r.source() != ReportResult.Source.SUMMARY && System.nanoTime() < deadline) {
                assertThat(r.rows()).as(d.name()).isEqualTo(live(d).rows());
                Thread.sleep(20);
                r = system().reports().run(d.name());
            }
        }
        assertSummariesExact();
        ReportDefinition saved = system().reports().find("by_stage").orElseThrow();
        ReportDefinition byOwner = system().reports().save(ReportDefinition.builder("by_stage", "deal")
                .groupBy("owner").metric(Metric.sum("amount.corporate")).summarised(true).build()
                .withVersion(saved.version()));
        write(1, 3);
        ReportResult kept = system().reports().run("by_stage");
        assertThat(kept.source()).isEqualTo(ReportResult.Source.SUMMARY);
        assertThat(kept.rows()).isEqualTo(live(byOwner).rows());
        system().reports().save(ReportDefinition.builder("by_stage", "deal").groupBy("owner").build()
                .withVersion(byOwner.version()));
        assertThat(system().reports().run("by_stage").source()).isEqualTo(ReportResult.Source.LIVE);
        system().reports().delete("open_total");
        assertThat(system().reports().list()).extracting(ReportDefinition::name).doesNotContain("open_total");
    }

    @Test
    void definitionsASummaryCannotKeepAreRefusedByName() {
        for (ReportDefinition bad : List.of(
                ReportDefinition.builder("mins", "deal").metric(Metric.min("close_date")).summarised(true).build(),
                ReportDefinition.builder("raw", "deal").metric(Metric.sum("amount")).summarised(true).build(),
                ReportDefinition.builder("hop", "deal").groupBy("company.industry").summarised(true).build())) {
            assertThatThrownBy(() -> system().reports().save(bad)).as(bad.name())
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .anyMatch(f -> f.code() == FieldErrorCode.UNSUPPORTED_OPERATION));
            assertThat(system().reports().find(bad.name())).isEmpty();
        }
    }

    @Test
    void aCallerWithANarrowerScopeGetsTheLiveReportWithinIt() {
        Role rep = Role.builder("summary_rep").grant("deal", RecordScope.OWN, Permission.READ).build();
        ReportResult mine = crm().as(Principal.user("ann", rep)).reports().run("by_stage");
        assertThat(mine.source()).isEqualTo(ReportResult.Source.LIVE);
        assertThat(mine.rows().stream().mapToLong(r -> r.count()).sum()).isEqualTo(records("deal")
                .count(Filters.where("owner").eq("ann")));
        Role noAmounts = Role.builder("summary_no_amounts").grant("deal", RecordScope.ALL, Permission.READ)
                .field("deal", "amount", FieldAccess.HIDDEN).build();
        assertThatThrownBy(() -> crm().as(Principal.user("x", noAmounts)).reports().run("by_stage"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(hasError(e, "amount.corporate", FieldErrorCode.UNKNOWN_FIELD)).isTrue());
        Role all = Role.builder("summary_all").grant("deal", RecordScope.ALL, Permission.READ).build();
        ReportResult everyone = crm().as(Principal.user("y", all)).reports().run("by_stage");
        assertThat(everyone.source()).isEqualTo(ReportResult.Source.SUMMARY);
        assertThat(everyone.rows()).isEqualTo(live(REPORTS.get(0)).rows());
    }
}
