package org.crmkit.internal.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.query.Metric;
import org.crmkit.record.Money;
import org.crmkit.record.Record;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.support.FilterEvaluator;
import org.jspecify.annotations.Nullable;

/**
 * What one child adds to a count or sum roll-up, so that a write can move the parent's value by a difference instead
 * of recomputing it over all the children ({@link RollupKeeper}). The parent's exact total is kept beside it
 * ({@link RollupTotals}): a sum of amounts in the corporate currency is a sum of exact products (see
 * {@link org.crmkit.schema.Currencies}) that the field only shows rounded, and a difference applied to the rounded
 * value would drift from a recomputation.
 *
 * <p>A total is valid only for the schema it was computed with: its {@link #key} holds a fingerprint of the
 * definition, the rates and the schema version, so a total left from before any schema change (a definition or rate
 * change among them) is never moved, and the parent is recomputed instead, once.
 */
final class RollupDelta {
    private final RollupSpec spec;
    private final String key;
    private final @Nullable ResolvedPath summed;
    private final FilterEvaluator filter;

    private RollupDelta(RollupSpec spec, String key, @Nullable ResolvedPath summed, FilterEvaluator filter) {
        this.spec = spec;
        this.key = key;
        this.summed = summed;
        this.filter = filter;
    }

    /**
     * The delta of a count or sum roll-up; empty for an average, minimum, maximum or distinct count, which a
     * difference cannot move (the keeper recomputes those).
     */
    static Optional<RollupDelta> of(RollupSpec spec, SchemaSnapshot schema) {
        Metric m = spec.storedMetric();
        if (m.function() != Metric.Function.COUNT && m.function() != Metric.Function.SUM) {
            return Optional.empty();
        }
        ResolvedPath summed = m.field() == null ? null : ResolvedPath.resolve(schema, spec.childType(), m.field());
        FilterEvaluator filter = new FilterEvaluator(spec.rollup().filter(), ResolvedPaths.of(spec.reads()),
                (type, id) -> Optional.empty()); // a roll-up's filter reads the child only (RollupSpec.compile)
        // the schema version too: a definition changed and changed back is the same text, but the totals kept
        // under the first were not moved by the writes made under the second
        String definition = spec.rollup() + "|" + spec.field().type() + "|" + spec.field().scale() + "|"
                + schema.currencies() + "|" + schema.version();
        return Optional.of(new RollupDelta(spec, spec.field().name() + ":" + fingerprint(definition), summed,
                filter));
    }

    /** Under which key the parent's exact total is kept: the field's name and the definition's fingerprint. */
    String key() {
        return key;
    }

    /**
     * Adds to {@code into} what a child's change moves: minus what it added before to the parent it pointed at,
     * plus what it adds after to the one it points at (the same parent or another).
     */
    void collect(@Nullable Record before, @Nullable Record after, java.util.Map<UUID, BigDecimal> into) {
        add(before, true, into);
        add(after, false, into);
    }

    private void add(@Nullable Record child, boolean negate, java.util.Map<UUID, BigDecimal> into) {
        if (child == null || child.isDeleted() || !(spec.reads().get(0).valueOn(child) instanceof UUID parent)) {
            return;
        }
        BigDecimal c = contribution(child);
        if (c != null) {
            into.merge(parent, negate ? c.negate() : c, BigDecimal::add);
        }
    }

    /** What a live child adds to the total: 1 to a count, its (converted) value to a sum; null when nothing. */
    private @Nullable BigDecimal contribution(Record child) {
        if (!filter.matches(child, spec.rollup().filter())) {
            return null;
        }
        if (summed == null) {
            return BigDecimal.ONE; // a count of records
        }
        Object v = summed.valueOn(child);
        if (v == null) {
            return null;
        }
        if (spec.storedMetric().function() == Metric.Function.COUNT) {
            return BigDecimal.ONE;
        }
        return v instanceof BigDecimal d ? d : BigDecimal.valueOf(((Number) v).longValue());
    }

    /**
     * The field's value for an exact total, as a recomputation gives it: a count or integer sum as a long, a decimal
     * at the field's scale, an amount in the corporate currency rounded half-even to its minor units.
     */
    static Object shown(RollupSpec spec, BigDecimal exact, @Nullable String corporate) {
        FieldType type = spec.field().type();
        int scale = spec.field().scale();
        return switch (type) {
            case INTEGER -> exact.longValueExact();
            case CURRENCY -> new Money(exact.setScale(Math.min(scale, AggregatePlan.minorUnits(Objects
                    .requireNonNull(corporate, "a currency roll-up has a corporate currency"))),
                    RoundingMode.HALF_EVEN).setScale(scale), corporate);
            default -> exact.setScale(scale, RoundingMode.HALF_EVEN);
        };
    }

    /** The exact total of an aggregate's raw value: a count or sum of no values is 0. */
    static BigDecimal exact(@Nullable Object raw) {
        if (raw == null) {
            return BigDecimal.ZERO;
        }
        return raw instanceof BigDecimal d ? d : BigDecimal.valueOf(((Number) raw).longValue());
    }

    private static String fingerprint(String definition) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(definition.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "RollupDelta[" + spec.parentType() + "." + key + "]";
    }
}
