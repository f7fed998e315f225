package org.crmkit.query;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** A field path waiting for its operator; see {@link Filters#where(String)}. */
public final class Condition {
    private final String path;
    private final UnaryOperator<Filter> combine;

    Condition(String path, UnaryOperator<Filter> combine) {
        this.path = path;
        this.combine = combine;
    }

    private Filter done(Filter f) {
        return combine.apply(f);
    }

    /** Equal to {@code value}; {@code eq(null)} is {@link #isNull()}. */
    public Filter eq(@Nullable Object value) {
        return value == null ? isNull() : done(new Filter.Compare(path, Filter.Op.EQ, value));
    }

    /** Different from {@code value} (empty fields are different); {@code ne(null)} is {@link #isNotNull()}. */
    public Filter ne(@Nullable Object value) {
        return value == null ? isNotNull() : done(new Filter.Compare(path, Filter.Op.NE, value));
    }

    public Filter lt(Object value) {
        return done(new Filter.Compare(path, Filter.Op.LT, value));
    }

    public Filter lte(Object value) {
        return done(new Filter.Compare(path, Filter.Op.LTE, value));
    }

    public Filter gt(Object value) {
        return done(new Filter.Compare(path, Filter.Op.GT, value));
    }

    public Filter gte(Object value) {
        return done(new Filter.Compare(path, Filter.Op.GTE, value));
    }

    public Filter in(@Nullable Object... values) {
        Objects.requireNonNull(values, "values");
        return in(Arrays.asList(values));
    }

    public Filter in(List<?> values) {
        Objects.requireNonNull(values, "values");
        return done(new Filter.In(path, new java.util.ArrayList<>(values)));
    }

    public Filter between(@Nullable Object low, @Nullable Object high) {
        return done(new Filter.Between(path, low, high));
    }

    public Filter isNull() {
        return done(new Filter.IsNull(path));
    }

    public Filter isNotNull() {
        return done(new Filter.Not(new Filter.IsNull(path)));
    }

    /** Case-insensitive substring match on text fields. */
    public Filter contains(String text) {
        Objects.requireNonNull(text, "text");
        return done(new Filter.TextMatch(path, Filter.TextOp.CONTAINS, text));
    }

    /** Case-insensitive prefix match on text fields. */
    public Filter startsWith(String text) {
        Objects.requireNonNull(text, "text");
        return done(new Filter.TextMatch(path, Filter.TextOp.STARTS_WITH, text));
    }

    /** A multi-picklist or relation holding at least one of the values. */
    public Filter hasAny(Object... values) {
        Objects.requireNonNull(values, "values");
        return done(new Filter.SetMatch(path, Filter.SetOp.HAS_ANY, Arrays.asList(values)));
    }

    /** A multi-picklist or relation holding every one of the values. */
    public Filter hasAll(Object... values) {
        Objects.requireNonNull(values, "values");
        return done(new Filter.SetMatch(path, Filter.SetOp.HAS_ALL, Arrays.asList(values)));
    }
}
