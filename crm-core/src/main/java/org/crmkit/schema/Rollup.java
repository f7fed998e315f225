package org.crmkit.schema;

import java.util.Objects;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;

/**
 * What a roll-up field ({@link Field#rollup}) summarises: one metric over the records of {@code childType} whose
 * reference {@code via} points at the record holding the field, optionally only those matching {@code filter}.
 * Soft-deleted children never count.
 *
 * <pre>{@code
 * // on company: the amount of its open deals, and how many it has
 * Field.rollup("open_pipeline", "deal", "company", Metric.sum("amount"),
 *         Filters.where("stage").in("prospecting", "qualification", "proposal", "negotiation"))
 * Field.rollup("deal_count", "deal", "company", Metric.count(), null)
 * }</pre>
 *
 * @param childType the type whose records are summarised
 * @param via       the reference field of {@code childType} that points at the parent (any reference, not only a
 *                  master-detail one)
 * @param metric    count (of records, or of non-empty values of a field), distinct count (of the different
 *                  non-empty values of a field that is not a currency), or sum, average, minimum or maximum of a
 *                  field of {@code childType}
 * @param filter    which children count; {@link Filter#ALL} for all. Its paths are fields of {@code childType}
 *                  itself (no walk through references, no formula or roll-up fields), so that a change of a child
 *                  is all that can move the value
 */
public record Rollup(String childType, String via, Metric metric, Filter filter) {
    public Rollup {
        Objects.requireNonNull(childType, "childType");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(filter, "filter");
    }
}
