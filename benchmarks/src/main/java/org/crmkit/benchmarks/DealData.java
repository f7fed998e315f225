package org.crmkit.benchmarks;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.crmkit.record.Money;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.Stage;

/**
 * Repeatable deals over companies for the {@code reports} suite, the same for the same size and seed: one company
 * per {@value #DEALS_PER_COMPANY} deals, each deal of a random company (so about {@value #DEALS_PER_COMPANY} a
 * company), in a stage of the standard {@code sales} pipeline (weights {@link #STAGE_WEIGHTS}: most open, a third
 * closed), an amount from 500.00 to about 250,000 (log-uniform) in its company's currency (70% EUR, 20% USD,
 * 10% GBP; {@link #currencies()}: euros are the corporate currency, dollars and pounds convert at quarterly rates), a
 * close date within the two years from {@link #FIRST_CLOSE_DATE}, and an owner among
 * {@value #REPS} sales reps ({@code rep-01}...), as is each company's.
 *
 * <p>Held as arrays, so the rows of one side's import are made while it reads them ({@link #dealRows}), with the
 * company ids that side's import gave. Mutable: {@link #changes} moves the deals it changes.
 */
final class DealData {
    static final int DEALS_PER_COMPANY = 100;
    static final int REPS = 50;
    static final LocalDate FIRST_CLOSE_DATE = LocalDate.of(2025, 1, 1);
    static final int CLOSE_DATE_DAYS = 730;
    static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
    static final String[] INDUSTRIES = {"software", "hardware", "services", "finance", "healthcare", "retail",
            "manufacturing"};
    /** The corporate currency: the other {@link #CURRENCIES} convert into it at {@link #RATES}. */
    static final String CORPORATE = "EUR";
    /**
     * Units of USD and of GBP per euro, one rate a quarter from {@link #FIRST_CLOSE_DATE} on (made up, near those of
     * 2025), so that deals convert at the rate of their close date.
     */
    static final Map<String, List<String>> RATES = Map.of(
            "USD", List.of("1.0380", "1.0820", "1.1410", "1.1680", "1.1550", "1.1620", "1.1710", "1.1590"),
            "GBP", List.of("0.8340", "0.8420", "0.8560", "0.8690", "0.8710", "0.8650", "0.8730", "0.8680"));
    /** Weights (percent) of the stages of {@code pipeline}, in its order: 25/20/15/10 open, 18 won, 12 lost. */
    static final int[] STAGE_WEIGHTS = {25, 20, 15, 10, 18, 12};

    private final String[] stageNames;
    private final int[] companyOf;
    private final byte[] stageOf;
    private final long[] centsOf;
    private final short[] closeDayOf;
    private final byte[] ownerOf;
    private final byte[] currencyOfCompany;
    private final byte[] ownerOfCompany;
    private final byte[] industryOfCompany;

    /** {@code deals} deals over {@code max(1, deals / 100)} companies, stages from {@code pipeline}. */
    DealData(int deals, long seed, Pipeline pipeline) {
        if (pipeline.stages().size() != STAGE_WEIGHTS.length) {
            throw new IllegalStateException("pipeline " + pipeline.name() + " has " + pipeline.stages().size()
                    + " stages, the data expects " + STAGE_WEIGHTS.length);
        }
        this.stageNames = pipeline.stages().stream().map(Stage::name).toArray(String[]::new);
        int companies = Math.max(1, deals / DEALS_PER_COMPANY);
        Random random = new Random(seed);
        currencyOfCompany = new byte[companies];
        ownerOfCompany = new byte[companies];
        industryOfCompany = new byte[companies];
        for (int c = 0; c < companies; c++) {
            int p = random.nextInt(100);
            currencyOfCompany[c] = (byte) (p < 70 ? 0 : p < 90 ? 1 : 2);
            ownerOfCompany[c] = (byte) random.nextInt(REPS);
            industryOfCompany[c] = (byte) random.nextInt(INDUSTRIES.length);
        }
        companyOf = new int[deals];
        stageOf = new byte[deals];
        centsOf = new long[deals];
        closeDayOf = new short[deals];
        ownerOf = new byte[deals];
        for (int d = 0; d < deals; d++) {
            companyOf[d] = random.nextInt(companies);
            stageOf[d] = (byte) weightedStage(random);
            centsOf[d] = amountCents(random);
            closeDayOf[d] = (short) random.nextInt(CLOSE_DATE_DAYS);
            ownerOf[d] = (byte) random.nextInt(REPS);
        }
    }

    int deals() {
        return companyOf.length;
    }

    int companies() {
        return currencyOfCompany.length;
    }

    /** The index of the company deal {@code deal} belongs to. */
    int companyOf(int deal) {
        return companyOf[deal];
    }

    /** {@link #CORPORATE} as the corporate currency, with the {@link #RATES}. */
    static Currencies currencies() {
        Currencies c = Currencies.corporate(CORPORATE);
        for (Map.Entry<String, List<String>> e : RATES.entrySet()) {
            for (int q = 0; q < e.getValue().size(); q++) {
                c = c.withRate(new ExchangeRate(e.getKey(), FIRST_CLOSE_DATE.plusMonths(3L * q),
                        new BigDecimal(e.getValue().get(q))));
            }
        }
        return c;
    }

    /** The companies' rows, in index order: name, industry, owner. */
    List<Map<String, Object>> companyRows() {
        return new AbstractList<>() {
            @Override
            public Map<String, Object> get(int c) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", String.format(Locale.ROOT, "Company %05d", c + 1));
                row.put("industry", INDUSTRIES[industryOfCompany[c]]);
                row.put("owner", rep(ownerOfCompany[c]));
                return row;
            }

            @Override
            public int size() {
                return companies();
            }
        };
    }

    /**
     * The deals' rows, in index order, each made when it is read: name, amount, stage (the hook of the standard
     * schema sets the probability from it), close date, owner, and the company whose id is
     * {@code companyIds[companyOf(deal)]}.
     */
    List<Map<String, Object>> dealRows(UUID[] companyIds) {
        return new AbstractList<>() {
            @Override
            public Map<String, Object> get(int d) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", String.format(Locale.ROOT, "Deal %07d", d + 1));
                row.put("amount", money(centsOf[d], companyOf[d]));
                row.put("stage", stageNames[stageOf[d]]);
                row.put("close_date", FIRST_CLOSE_DATE.plusDays(closeDayOf[d]));
                row.put("owner", rep(ownerOf[d]));
                row.put("company", companyIds[companyOf[d]]);
                return row;
            }

            @Override
            public int size() {
                return deals();
            }
        };
    }

    /** One deal update: the deal's index, its new stage and its new amount. */
    record DealChange(int deal, String stage, Money amount) {
        /** The update's values. */
        Map<String, Object> values() {
            return Map.of("stage", stage, "amount", amount);
        }
    }

    /**
     * {@code count} updates of deals drawn by {@code random}: each moves its deal to another stage than the one it is
     * in and gives it a new amount in its currency. The data takes them as done, so the next call goes on from
     * there: apply the changes of each call, in order, to every side.
     */
    List<DealChange> changes(int count, Random random) {
        List<DealChange> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int d = random.nextInt(deals());
            stageOf[d] = (byte) ((stageOf[d] + 1 + random.nextInt(stageNames.length - 1)) % stageNames.length);
            centsOf[d] = amountCents(random);
            out.add(new DealChange(d, stageNames[stageOf[d]], money(centsOf[d], companyOf[d])));
        }
        return out;
    }

    private Money money(long cents, int company) {
        return new Money(BigDecimal.valueOf(cents, 2), CURRENCIES[currencyOfCompany[company]]);
    }

    private static int weightedStage(Random random) {
        int p = random.nextInt(100);
        for (int s = 0; s < STAGE_WEIGHTS.length; s++) {
            p -= STAGE_WEIGHTS[s];
            if (p < 0) {
                return s;
            }
        }
        return STAGE_WEIGHTS.length - 1;
    }

    /** 500.00 to about 250,000.00, log-uniform (many small deals, few large ones). */
    private static long amountCents(Random random) {
        return Math.round(50_000 * Math.exp(random.nextDouble() * Math.log(500)));
    }

    /** The owner of index {@code index} (from 0): {@code rep-01}, {@code rep-02}... */
    static String rep(int index) {
        return String.format(Locale.ROOT, "rep-%02d", index + 1);
    }
}
