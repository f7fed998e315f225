package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.rollup.RecalculationJob;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.schema.Field;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Rollup;
import org.crmkit.schema.Stage;
import org.crmkit.storage.spi.StorageFeature;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.storage.spi.RollupTotalsStore;
import org.crmkit.storage.spi.SummaryStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Count and sum roll-ups moved by differences: a write adds what its children add now minus what they added before
 * to the parent's exact total, which the engine keeps beside the parent where the storage can
 * ({@link RollupTotalsStore}), else in the storage's {@link SummaryStore} (summary {@code rollup:<parent type>}, a row
 * per parent). On company, over its open deals: {@code open_deals} (count) and
 * {@code pipeline} (sum of amount, in EUR at each deal's close-date rate). Checked: any sequence of writes leaves
 * both equal to a plain-Java recomputation, the currency total rounded once from exact products (never a sum of
 * rounded differences); the exact total is what the storage keeps and what the next write moves; a total is never
 * moved across a change of definition or rates; a recalculation repairs a total that went wrong.
 */
public abstract class RollupTotalsContract extends ConformanceContract {
    private static final Currencies RATES = Currencies.corporate("EUR")
            .withRate(ExchangeRate.of("USD", "2026-01-01", "1.10"))
            .withRate(ExchangeRate.of("USD", "2026-07-01", "1.30"))
            .withRate(ExchangeRate.of("GBP", "2026-01-01", "0.85"))
            .withRate(ExchangeRate.of("JPY", "2026-01-01", "160"));
    private static final String TOTALS = "rollup:company";

    private List<String> open;
    private List<String> closed;
    private Record acme;
    private Record globex;
    private final List<Record> deals = new ArrayList<>();

    @BeforeEach
    void totals() {
        assumeSupported(StorageFeature.AGGREGATES);
        assumeSupported(StorageFeature.ROW_LOCKS);
        Assumptions.assumeTrue(beside().isPresent() || store().isPresent(),
                "the storage keeps no summaries, so no roll-up totals");
        crm().schema().setCurrencies(RATES);
        Pipeline sales = crm().schema().pipeline(Pipeline.DEFAULT);
        open = sales.stages().stream().filter(s -> !s.isClosed()).map(Stage::name).toList();
        closed = sales.stages().stream().filter(Stage::isClosed).map(Stage::name).toList();
        Filter openDeals = Filters.not(Filters.where("stage").in(closed));
        crm().schema().addField("company", Field.rollup("open_deals", "deal", "company", Metric.count(), openDeals));
        crm().schema().addField("company", Field.rollup("pipeline", "deal", "company", Metric.sum("amount"),
                openDeals));
        awaitRecalculations();
        acme = records("company").create(Map.of("name", "Acme"));
        globex = records("company").create(Map.of("name", "Globex"));
    }

    private Optional<SummaryStore> store() {
        return storageUnderTest().extension(SummaryStore.class);
    }

    private Optional<RollupTotalsStore> beside() {
        return storageUnderTest().extension(RollupTotalsStore.class);
    }

    /** The text the storage keeps for a company's totals, or null. */
    private @Nullable String keptText(UUID company) {
        try (StorageTransaction tx = storageUnderTest().begin()) {
            RollupTotalsStore b = beside().orElse(null);
            return b != null ? b.read(tx, "company", List.of(company)).get(company)
                    : store().orElseThrow().rows(tx, TOTALS, List.of(company.toString())).get(company.toString());
        }
    }

    private void awaitRecalculations() {
        for (RecalculationJob job : crm().admin().rollups().jobs()) {
            job.result().toCompletableFuture().join();
        }
    }

    private Record deal(Record company, String amount, String currency, @Nullable String close, String stage) {
        Record d = records("deal").create(values("name", "deal", "company", company.id(), "amount",
                Money.of(amount, currency), "close_date", close == null ? null : LocalDate.parse(close), "stage",
                stage));
        deals.add(d);
        return d;
    }

    /** The company's open deals as stored now. */
    private List<Record> openDealsOf(UUID company) {
        return all(records("deal"), Query.where(Filters.and(Filters.where("company").eq(company),
                Filters.where("stage").in(open))).limit(Query.MAX_LIMIT));
    }

    /** The exact pipeline of a company, recomputed in plain Java from its deals. */
    private BigDecimal exactPipeline(UUID company) {
        return openDealsOf(company).stream().filter(d -> d.get("amount") != null)
                .map(d -> ConversionModel.inCorporate(RATES, (Money) Objects.requireNonNull(d.get("amount")),
                        (LocalDate) d.get("close_date")))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private void assertExact(Record... companies) {
        for (Record c : companies) {
            Record stored = records("company").get(c.id());
            assertThat(stored.get("open_deals")).as("open_deals of " + c.get("name"))
                    .isEqualTo((long) openDealsOf(c.id()).size());
            assertThat(stored.get("pipeline")).as("pipeline of " + c.get("name"))
                    .isEqualTo(new Money(exactPipeline(c.id()).setScale(2, RoundingMode.HALF_EVEN), "EUR"));
        }
    }

    /** The totals the storage keeps for a company, by key ({@code field:fingerprint}). */
    private Map<String, BigDecimal> keptTotals(UUID company) {
        String text = keptText(company);
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (text != null) {
            for (String pair : text.split(";")) {
                String[] kv = pair.split("=");
                out.put(kv[0], new BigDecimal(kv[1]));
            }
        }
        return out;
    }

    /** Overwrites one kept total of a company, as a hand edit of the table would. */
    private void keepTotal(UUID company, String key, BigDecimal total) {
        Map<String, BigDecimal> totals = new LinkedHashMap<>(keptTotals(company));
        totals.put(key, total);
        StringBuilder text = new StringBuilder();
        totals.forEach((k, v) -> text.append(text.isEmpty() ? "" : ";").append(k).append('=')
                .append(v.toPlainString()));
        try (StorageTransaction tx = storageUnderTest().begin()) {
            RollupTotalsStore b = beside().orElse(null);
            if (b != null) {
                tx.lockForUpdate("company", List.of(company));
                b.write(tx, "company", Map.of(company, text.toString()));
            } else {
                store().orElseThrow().write(tx, TOTALS, Map.of(company.toString(), text.toString()));
            }
            tx.commit();
        }
    }

    private static String keyOf(Map<String, BigDecimal> totals, String field) {
        return totals.keySet().stream().filter(k -> k.startsWith(field + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no total of " + field + " in " + totals));
    }

    @Test
    void aCurrencyTotalIsRoundedOnceFromExactProductsNotSummedFromRoundedDifferences() {
        // one cent in USD is 0.00909090909091 EUR, shown as 0.01; six of them are 0.05454545454546 EUR: 0.05
        for (int i = 0; i < 6; i++) {
            deal(acme, "0.01", "USD", "2026-03-01", open.get(0));
        }
        assertThat(records("company").get(acme.id()).get("pipeline")).isEqualTo(Money.of("0.05", "EUR"));
        assertExact(acme);
        Map<String, BigDecimal> kept = keptTotals(acme.id());
        assertThat(kept.get(keyOf(kept, "pipeline"))).isEqualByComparingTo("0.05454545454546");
        assertThat(kept.get(keyOf(kept, "open_deals"))).isEqualByComparingTo("6");
    }

    @Test
    void anySequenceOfWritesLeavesTheValuesEqualToARecomputation() {
        qt().withExamples(30).withShrinkCycles(5).forAll(lists().of(integers().between(0, 7).zip(
                integers().between(0, 10_000), (op, index) -> List.of(op, index))).ofSizeBetween(1, 8))
                .checkAssert(ops -> {
                    for (List<Integer> op : ops) {
                        write(op.get(0), op.get(1));
                    }
                    assertExact(acme, globex);
                });
    }

    private void write(int op, int n) {
        Record company = n % 2 == 0 ? acme : globex;
        String currency = List.of("EUR", "USD", "GBP", "JPY").get(n % 4);
        String amount = currency.equals("JPY") ? String.valueOf(n * 7 % 5000) : n % 997 + "." + n % 100;
        String close = n % 5 == 0 ? null : LocalDate.parse("2025-11-01").plusDays(n % 400).toString();
        String stage = n % 3 == 0 ? closed.get(n % closed.size()) : open.get(n % open.size());
        if (op == 0 || deals.isEmpty()) {
            deal(company, amount, currency, close, stage);
            return;
        }
        int at = n % deals.size();
        Record d = current(deals.get(at).id());
        if (d == null || (d.isDeleted() && op != 5 && op != 6)) {
            return;
        }
        Record next = switch (op) {
            case 1 -> records("deal").update(d, Map.of("amount", Money.of(amount, currency)));
            case 2 -> records("deal").update(d, values("close_date", close == null ? null : LocalDate.parse(close)));
            case 3 -> records("deal").update(d, Map.of("stage", stage));
            case 4 -> records("deal").update(d, values("company", n % 7 == 0 ? null : company.id()));
            case 5 -> d.isDeleted() ? records("deal").restore(d.id(), d.version())
                    : records("deal").delete(d.id(), d.version());
            case 6 -> {
                records("deal").purge(d.id());
                yield null;
            }
            default -> records("deal").update(d, values("amount", null));
        };
        if (next == null) {
            deals.remove(at);
        } else {
            deals.set(at, next);
        }
    }

    private @Nullable Record current(UUID id) {
        List<Record> found = records("deal").query(Query.where(Filters.where("id").eq(id))
                .deleted(Query.Deleted.INCLUDE)).items();
        return found.isEmpty() ? null : found.get(0);
    }

    @Test
    void theNextWriteMovesTheKeptTotalAndARecalculationRepairsOne() {
        deal(acme, "100.00", "EUR", "2026-03-01", open.get(0));
        Map<String, BigDecimal> kept = keptTotals(acme.id());
        String pipeline = keyOf(kept, "pipeline");
        // a total gone wrong (as after a bug or a hand edit of the table) is what the next difference moves ...
        keepTotal(acme.id(), pipeline, new BigDecimal("1000"));
        deal(acme, "5.00", "EUR", "2026-03-01", open.get(0));
        assertThat(records("company").get(acme.id()).get("pipeline")).isEqualTo(Money.of("1005.00", "EUR"));
        // ... and the recalculation recomputes it from the deals
        crm().admin().rollups().recalculate("company", "pipeline").result().toCompletableFuture().join();
        assertExact(acme);
        assertThat(keptTotals(acme.id()).get(pipeline)).isEqualByComparingTo("105.00");
        deal(acme, "1.00", "EUR", "2026-03-01", open.get(0));
        assertExact(acme);
    }

    @Test
    void aTotalIsNeverMovedAcrossAChangeOfDefinitionOrRates() {
        deal(acme, "10.00", "USD", "2026-08-01", open.get(0));
        deal(acme, "20.00", "EUR", null, closed.get(0));
        Map<String, BigDecimal> before = keptTotals(acme.id());
        // every deal now counts: a write right after the change gives the new definition's value, whether or not
        // the recalculation has reached the company yet
        crm().schema().changeRollup("company", "open_deals", new Rollup("deal", "company", Metric.count(),
                Filter.ALL));
        deal(acme, "1.00", "EUR", null, closed.get(0));
        assertThat(records("company").get(acme.id()).get("open_deals")).isEqualTo(3L);
        awaitRecalculations();
        assertThat(records("company").get(acme.id()).get("open_deals")).isEqualTo(3L);
        Map<String, BigDecimal> after = keptTotals(acme.id());
        assertThat(keyOf(after, "open_deals")).isNotEqualTo(keyOf(before, "open_deals"));
        assertThat(after).doesNotContainKey(keyOf(before, "open_deals"));
        // new rates: the currency total is recomputed at them, never moved from the total at the old ones
        crm().schema().setCurrencies(RATES.withRate(ExchangeRate.of("USD", "2026-07-15", "1.25")));
        deal(acme, "2.00", "USD", "2026-08-01", open.get(0));
        BigDecimal expected = new BigDecimal("12.00").multiply(BigDecimal.ONE.divide(new BigDecimal("1.25"), 12,
                RoundingMode.HALF_EVEN));
        assertThat(records("company").get(acme.id()).get("pipeline"))
                .isEqualTo(new Money(expected.setScale(2, RoundingMode.HALF_EVEN), "EUR"));
        awaitRecalculations();
        Map<String, BigDecimal> rerated = keptTotals(acme.id());
        assertThat(keyOf(rerated, "pipeline")).isNotEqualTo(keyOf(before, "pipeline"));
        assertThat(rerated.get(keyOf(rerated, "pipeline"))).isEqualByComparingTo(expected);
    }

    @Test
    void theRecalculationAfterASchemaChangeKeepsTheOtherCountsAndSumsTotalsCurrent() {
        deal(acme, "10.00", "EUR", null, open.get(0));
        crm().schema().addField("company", Field.rollup("won", "deal", "company", Metric.count(),
                Filters.where("stage").in(closed)));
        awaitRecalculations();
        Map<String, BigDecimal> kept = keptTotals(acme.id());
        assertThat(kept).containsKey(keyOf(kept, "won")).containsKey(keyOf(kept, "open_deals"));
        // the pipeline's total is the one this schema's writes move: an edit of it shows in the next value
        keepTotal(acme.id(), keyOf(kept, "pipeline"), new BigDecimal("500"));
        deal(acme, "1.00", "EUR", null, open.get(0));
        assertThat(records("company").get(acme.id()).get("pipeline")).isEqualTo(Money.of("501.00", "EUR"));
    }

    @Test
    void aDefinitionChangedAndChangedBackDoesNotReuseTheTotalsOfTheFirstTime() {
        Record usd = deal(acme, "10.00", "USD", "2026-03-01", open.get(0));
        deal(acme, "20.00", "EUR", "2026-03-01", open.get(0));
        Filter openDeals = Filters.not(Filters.where("stage").in(closed));
        Rollup asDefined = new Rollup("deal", "company", Metric.count(), openDeals);
        crm().schema().changeRollup("company", "open_deals", new Rollup("deal", "company", Metric.count(),
                Filters.where("stage").in(closed)));
        awaitRecalculations();
        // under the second definition this write moves nothing (a closed deal before and after) ...
        records("deal").update(Objects.requireNonNull(current(usd.id())), Map.of("stage", closed.get(0)));
        // ... but under the first it removes an open deal: going back must not move the total of the first time
        crm().schema().changeRollup("company", "open_deals", asDefined);
        deal(acme, "1.00", "EUR", "2026-03-01", open.get(0));
        assertExact(acme);
        awaitRecalculations();
        assertExact(acme);
    }

    @Test
    void purgingAParentDropsItsTotals() {
        deal(acme, "10.00", "EUR", null, open.get(0));
        assertThat(keptTotals(acme.id())).isNotEmpty();
        Record company = records("company").get(acme.id());
        for (Record d : List.copyOf(deals)) {
            records("deal").update(Objects.requireNonNull(current(d.id())), values("company", null));
        }
        records("company").purge(company.id());
        assertThat(keptTotals(acme.id())).isEmpty();
        if (store().isPresent()) {
            try (StorageTransaction tx = storageUnderTest().begin()) {
                assertThat(store().orElseThrow().rows(tx, TOTALS, List.of(acme.id().toString())))
                        .as("no totals of a purged parent in the summary store either").isEmpty();
            }
        }
    }

    @Test
    void totalsWrittenWithoutAParentUpdateAreKeptAndReadBackInTheSameTransaction() {
        // 1 JPY is 0.00625 EUR: 10.00625 shows as 10.01, and so does 10.0125 with 2 JPY; the second write moves the
        // exact total but no shown value, so the parent is not updated and its totals are written on their own
        deal(acme, "10.00", "EUR", null, open.get(0));
        Record yen = deal(acme, "1", "JPY", "2026-03-01", open.get(0));
        String pipeline = keyOf(keptTotals(acme.id()), "pipeline");
        assertThat(keptTotals(acme.id()).get(pipeline)).isEqualByComparingTo("10.00625");
        long version = records("company").get(acme.id()).version();
        records("deal").update(Objects.requireNonNull(current(yen.id())), values("amount", Money.of("2", "JPY")));
        assertExact(acme);
        assertThat(records("company").get(acme.id()).version()).as("no shown value moved").isEqualTo(version);
        assertThat(keptTotals(acme.id()).get(pipeline)).isEqualByComparingTo("10.0125");
        RollupTotalsStore b = beside().orElse(null);
        Assumptions.assumeTrue(b != null, "the storage keeps totals in its summary store");
        try (StorageTransaction tx = storageUnderTest().begin()) {
            tx.lockForUpdate("company", List.of(acme.id()));
            b.write(tx, "company", Map.of(acme.id(), pipeline + "=7"));
            assertThat(b.read(tx, "company", List.of(acme.id()))).containsEntry(acme.id(), pipeline + "=7");
            tx.rollback();
        }
        assertThat(keptTotals(acme.id()).get(pipeline)).as("rolled back").isEqualByComparingTo("10.0125");
    }
}
