package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import org.crmkit.error.SchemaException;
import org.crmkit.error.SchemaException.Problem;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.schema.Currencies;
import org.crmkit.schema.ExchangeRate;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;

/**
 * The checks of {@link org.crmkit.schema.Schema#setCurrencies}: well-formed codes and rates, and no stored value left
 * in a currency that would no longer convert. Each problem is a {@link SchemaException} naming it.
 */
final class CurrencyRules {
    /** Most fractional digits of a rate. */
    static final int MAX_RATE_SCALE = 10;

    private CurrencyRules() {}

    /** Codes are ISO 4217, rates positive and not too precise, one per currency and date, none for the corporate. */
    static void check(Currencies c) {
        String corporate = c.corporate();
        if (corporate != null && !ValueConverter.isCurrencyCode(corporate)) {
            throw bad("corporate currency '" + corporate + "' is not an ISO 4217 code");
        }
        if (corporate == null && !c.rates().isEmpty()) {
            throw bad("exchange rates need a corporate currency");
        }
        Set<String> seen = new HashSet<>();
        for (ExchangeRate r : c.rates()) {
            if (!ValueConverter.isCurrencyCode(r.currency())) {
                throw bad("'" + r.currency() + "' is not an ISO 4217 code");
            }
            if (r.currency().equals(corporate)) {
                throw bad(r.currency() + " is the corporate currency; it has no rate");
            }
            if (r.rate().signum() <= 0 || r.rate().stripTrailingZeros().scale() > MAX_RATE_SCALE
                    || r.rate().precision() - r.rate().scale() > 12) {
                throw bad("the rate of " + r.currency() + " from " + r.effectiveFrom() + " must be positive, below "
                        + "10^12, with at most " + MAX_RATE_SCALE + " fractional digits, not " + r.rate());
            }
            if (!seen.add(r.currency() + "@" + r.effectiveFrom())) {
                throw bad("two rates of " + r.currency() + " from " + r.effectiveFrom());
            }
        }
    }

    /**
     * Refuses currencies under which a stored value (of any record, live or deleted) would no longer convert;
     * {@code holds} answers whether records of a type match a filter.
     */
    static void checkHeld(SchemaSnapshot schema, Currencies next, BiPredicate<String, Filter> holds) {
        String corporate = next.corporate();
        if (corporate == null) {
            return;
        }
        List<Object> convertible = new ArrayList<>();
        convertible.add(corporate);
        next.rates().stream().map(ExchangeRate::currency).distinct().forEach(convertible::add);
        for (ObjectType t : schema.types()) {
            for (Field f : t.fields()) {
                if (f.type() != FieldType.CURRENCY || f.isRollup()) {
                    continue;
                }
                String code = f.name() + ".currency";
                Filter stranded = new Filter.And(List.of(Filters.where(code).isNotNull(),
                        new Filter.Not(new Filter.In(code, convertible))));
                if (holds.test(t.name(), stranded)) {
                    throw new SchemaException(Problem.HAS_DATA, t.name(), f.name(), "records hold amounts in a "
                            + "currency that has no rate into " + corporate + "; add its rate");
                }
            }
        }
    }

    private static SchemaException bad(String why) {
        return new SchemaException(Problem.INVALID_DEFINITION, "deal", null, "currencies: " + why);
    }
}
