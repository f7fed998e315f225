package org.crmkit.query;

import java.util.List;
import java.util.Objects;

/**
 * Entry points of the filter DSL; import statically.
 *
 * <pre>{@code
 * where("amount").gt(10_000).and("stage").eq("negotiation")
 * or(where("industry").eq("software"), where("name").startsWith("acme"))
 * }</pre>
 */
public final class Filters {
    private Filters() {}

    public static Condition where(String path) {
        Objects.requireNonNull(path, "path");
        return new Condition(path, f -> f);
    }

    public static Filter and(Filter... filters) {
        Objects.requireNonNull(filters, "filters");
        return new Filter.And(List.of(filters));
    }

    public static Filter or(Filter... filters) {
        Objects.requireNonNull(filters, "filters");
        return new Filter.Or(List.of(filters));
    }

    public static Filter not(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        return new Filter.Not(filter);
    }

    /** Matches every record. */
    public static Filter all() {
        return Filter.ALL;
    }
}
