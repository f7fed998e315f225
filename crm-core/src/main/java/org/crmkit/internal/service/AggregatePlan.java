package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Aggregation;
import org.crmkit.query.Metric;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.jspecify.annotations.Nullable;

/**
 * Turns a checked {@link Aggregation} into what a storage computes and back: an average becomes a sum and a
 * count (divided here, exactly, rounded half-even to 6 places), and a sum, average, minimum or maximum of a
 * currency field also asks for the least and greatest currency code of its values, so that a group whose values
 * span several currencies is refused (on every storage alike) instead of adding amounts of different currencies.
 * Metrics of {@code <field>.corporate} (amounts converted into the corporate currency) are exact on the storage and
 * rounded here, half-even, to the corporate currency's minor units.
 */
final class AggregatePlan {
    private final String type;
    private final List<Metric> metrics;
    /** The currency fields some metric of which needs a single currency per group. */
    private final Set<String> currencyFields = new LinkedHashSet<>();
    private final Set<Metric> storageMetrics = new LinkedHashSet<>();

    /** Fractional digits of the corporate currency, for metrics of {@code <field>.corporate} paths. */
    private final int corporateDigits;
    /** Whether sums, minima and maxima of {@code <field>.corporate} are rounded (else left exact for the caller). */
    private final boolean roundCorporate;

    AggregatePlan(ObjectType objectType, Aggregation aggregation, @Nullable String corporate) {
        this(objectType, aggregation, corporate, true);
    }

    /**
     * A plan that leaves sums, minima and maxima of {@code <field>.corporate} exact when {@code roundCorporate} is
     * false: for engine code that adds the rows of several groups and rounds the total once (averages are rounded
     * either way).
     */
    AggregatePlan(ObjectType objectType, Aggregation aggregation, @Nullable String corporate,
            boolean roundCorporate) {
        this.roundCorporate = roundCorporate;
        this.corporateDigits = corporate == null ? 2 : minorUnits(corporate);
        this.type = objectType.name();
        this.metrics = aggregation.metrics();
        for (Metric m : metrics) {
            if (m.function() == Metric.Function.AVG) {
                storageMetrics.add(new Metric(Metric.Function.SUM, m.field()));
                storageMetrics.add(new Metric(Metric.Function.COUNT, m.field()));
            } else if (!(m.function() == Metric.Function.COUNT && m.field() == null)) {
                storageMetrics.add(m);
            }
            if (m.field() != null && m.function() != Metric.Function.COUNT && objectType.findField(m.field())
                    .filter(f -> f.type() == FieldType.CURRENCY).isPresent()) {
                currencyFields.add(m.field());
            }
        }
        for (String f : currencyFields) {
            storageMetrics.add(Metric.min(f + ".currency"));
            storageMetrics.add(Metric.max(f + ".currency"));
        }
    }

    /** The metrics the storage computes. */
    List<Metric> storageMetrics() {
        return List.copyOf(storageMetrics);
    }

    /**
     * The rows as the caller asked for them; throws {@link ValidationException} naming each currency field whose
     * values span several currencies in some group.
     */
    List<AggregateRow> results(List<AggregateRow> raw) {
        List<FieldError> errors = new ArrayList<>();
        for (String f : currencyFields) {
            Metric least = Metric.min(f + ".currency");
            Metric greatest = Metric.max(f + ".currency");
            if (raw.stream().anyMatch(r -> !Objects.equals(r.get(least), r.get(greatest)))) {
                errors.add(new FieldError(f, FieldErrorCode.UNSUPPORTED_OPERATION, "the values span several "
                        + "currencies; group by " + f + ".currency (or filter on it) to aggregate them"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(type, errors);
        }
        List<AggregateRow> out = new ArrayList<>();
        for (AggregateRow r : raw) {
            Map<Metric, @Nullable Object> values = new LinkedHashMap<>();
            for (Metric m : metrics) {
                @Nullable
                Object v = m.function() == Metric.Function.AVG ? average(r.get(new Metric(Metric.Function.SUM,
                        m.field())), r.get(new Metric(Metric.Function.COUNT, m.field())),
                        isCorporate(m) ? corporateDigits : 6)
                        : m.function() == Metric.Function.COUNT && m.field() == null ? r.count() : r.get(m);
                values.put(m, roundCorporate ? corporateRounded(m, v) : v);
            }
            out.add(new AggregateRow(r.group(), r.count(), values));
        }
        return out;
    }

    /** ISO 4217 minor units of a currency (2 for those without, such as XAU). */
    static int minorUnits(String currency) {
        int digits = java.util.Currency.getInstance(currency).getDefaultFractionDigits();
        return digits < 0 ? 2 : digits;
    }

    /** An exact amount rounded once, half-even, to the minor units of {@code currency} (2 digits when null). */
    static BigDecimal toMinorUnits(BigDecimal amount, @Nullable String currency) {
        return amount.setScale(currency == null ? 2 : minorUnits(currency), RoundingMode.HALF_EVEN);
    }

    /**
     * A metric of a {@code <field>.corporate} path rounded half-even to the corporate currency's minor units: the
     * storage sums exact products, the total is rounded once.
     */
    private @Nullable Object corporateRounded(Metric m, @Nullable Object v) {
        if (v instanceof BigDecimal d && isCorporate(m) && m.function() != Metric.Function.COUNT) {
            return d.setScale(corporateDigits, RoundingMode.HALF_EVEN); // as toMinorUnits
        }
        return v;
    }

    private static boolean isCorporate(Metric m) {
        return m.field() != null && m.field().endsWith("." + org.crmkit.storage.spi.ResolvedPath.CORPORATE);
    }

    /** The exact sum divided by the count, rounded once, half-even, to {@code scale} digits. */
    static @Nullable BigDecimal average(@Nullable Object sum, @Nullable Object count, int scale) {
        if (sum == null || count == null || ((Number) count).longValue() == 0) {
            return null;
        }
        return ((BigDecimal) sum).divide(BigDecimal.valueOf(((Number) count).longValue()), scale,
                RoundingMode.HALF_EVEN);
    }
}
