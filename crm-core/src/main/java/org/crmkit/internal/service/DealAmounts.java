package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * How the standard reports total deal amounts: in the corporate currency ({@code amount.corporate}, exact sums from
 * the storage), or, without one, in the one currency of the amounts (grouped by {@code amount.currency} as well; a
 * report whose amounts span several currencies is refused). Groups are folded into {@link Totals} exactly and each
 * total is rounded once, half-even, to the currency's minor units ({@link AggregatePlan#toMinorUnits}).
 */
final class DealAmounts {
    private final @Nullable String corporate;
    private final Metric sum;
    private @Nullable String currency;

    private DealAmounts(@Nullable String corporate) {
        this.corporate = corporate;
        this.currency = corporate;
        this.sum = Metric.sum(corporate == null ? "amount" : "amount.corporate");
    }

    static DealAmounts of(SchemaSnapshot schema) {
        return new DealAmounts(schema.currencies().corporate());
    }

    /**
     * One grouped aggregate of deals as the caller: a count and the exact sum of amounts per group of
     * {@code groupBy} (plus {@code amount.currency}, last, without a corporate currency).
     */
    List<AggregateRow> aggregate(Records deals, List<String> groupBy, Filter filter) {
        List<String> groups = new ArrayList<>(groupBy);
        if (corporate == null) {
            groups.add("amount.currency");
        }
        List<AggregateRow> rows = deals.exactAggregate(new Aggregation(groups, List.of(sum)), filter);
        if (corporate == null) {
            Set<String> currencies = new TreeSet<>();
            for (AggregateRow r : rows) {
                Object c = r.group().get(groups.size() - 1);
                if (c != null) {
                    currencies.add((String) c);
                }
            }
            if (currencies.size() > 1) {
                throw new ValidationException("deal", new FieldError("amount", FieldErrorCode.UNSUPPORTED_OPERATION,
                        "the amounts are in several currencies " + currencies + " and no corporate currency is set "
                                + "to convert them (schema().setCurrencies)"));
            }
            currency = currencies.isEmpty() ? null : currencies.iterator().next();
        }
        return rows;
    }

    /** An empty total. */
    Totals totals() {
        return new Totals();
    }

    /** A column label naming the currency, once known: {@code Amount (EUR)}. */
    String label(String name) {
        return currency == null ? name : name + " (" + currency + ")";
    }

    /** The deals, amounts and weighted amounts of several groups, exact until read. */
    final class Totals {
        private long deals;
        private BigDecimal amount = BigDecimal.ZERO;
        private BigDecimal weighted = BigDecimal.ZERO;

        /** Adds a group whose deals all have {@code probability} (null: they add nothing weighted). */
        void add(AggregateRow row, @Nullable BigDecimal probability) {
            deals += row.count();
            BigDecimal s = (BigDecimal) row.get(sum);
            if (s != null) {
                amount = amount.add(s);
                if (probability != null) {
                    weighted = weighted.add(s.multiply(probability).movePointLeft(2)); // Σp/100 × Σa, exactly
                }
            }
        }

        long deals() {
            return deals;
        }

        BigDecimal amount() {
            return AggregatePlan.toMinorUnits(amount, currency);
        }

        BigDecimal weighted() {
            return AggregatePlan.toMinorUnits(weighted, currency);
        }
    }

    @Override
    public String toString() {
        return "DealAmounts[" + Objects.requireNonNullElse(currency, "?") + "]";
    }
}
