package org.crmkit.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crmkit.query.Filters.where;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.crmkit.internal.schema.StandardSchema;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.query.Sort;
import org.crmkit.security.Principal;
import org.crmkit.security.Role;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.junit.jupiter.api.Test;

/**
 * The planner hands storages every path they will meet already resolved: those of the caller's filter, sort and
 * group keys and metrics, the scope guards it adds itself, and the paths the service adds.
 */
class QueryPlannerPathsTest {
    private final CompiledSchema schema = new CompiledSchema(StandardSchema.create());
    private final Principal rep = Principal.user("u-1", Role.SALES_REP);

    private QueryPlanner planner() {
        // no stored access model: the rep's scope is their role's own-records scope
        return new QueryPlanner(schema, "deal", rep, new ValueConverter("US", "USD"), null);
    }

    @Test
    void everyPathOfTheFilterTheSortsAndTheGroupKeysIsResolved() {
        QueryPlanner planner = planner();
        Filter checked = planner.withScope(planner.filter(where("company.industry").eq("finance")
                .and("amount").gt(10).and("name").contains("a")));
        planner.sorts(List.of(Sort.desc("close_date"), Sort.asc("name")));
        planner.resolveAdded("id");
        planner.groupBy("stage");
        planner.metric(Metric.sum("amount"));
        planner.resolveAdded("amount.currency");
        planner.finish();
        ResolvedPaths paths = planner.paths();

        Set<String> expected = new LinkedHashSet<>(ResolvedPaths.pathsOf(checked));
        expected.addAll(List.of("close_date", "name", "id", "stage", "amount", "amount.currency"));
        assertThat(expected).as("the scope guards are part of the filter").contains("owner", "company.owner");
        assertThat(paths.byPath()).containsOnlyKeys(expected);
        for (String p : expected) {
            ResolvedPath resolved = paths.get(p);
            assertThat(resolved).isEqualTo(ResolvedPath.resolve(schema.snapshot, "deal", p));
        }
    }

    @Test
    void aPathThatFailedToResolveIsNotRecorded() {
        QueryPlanner planner = planner();
        planner.filter(where("nope").eq(1));
        assertThat(planner.paths().contains("nope")).isFalse();
    }
}
