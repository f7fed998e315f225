package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.record.Record;
import org.crmkit.security.Principal;
import org.crmkit.security.RecordScope;
import org.crmkit.security.ShareLevel;
import org.crmkit.storage.support.FilterEvaluator;
import org.jspecify.annotations.Nullable;

/**
 * A principal's record scope on one type, widened by the stored access model: what it reaches is its own scope
 * (owner, or owner or team) OR records owned by users whose stored role is below its own, transitively OR records
 * matching a sharing rule that covers it OR records shared manually with it or one of its teams. The write scope is
 * the same with rules and shares at {@link ShareLevel#READ_WRITE} only. Both are plain filters (comparisons and
 * {@code in} on indexed columns), so every storage and the search index evaluate them inside the query; {@link
 * #contains} evaluates them on one record.
 */
final class SharingScope {
    private final Principal principal;
    private final String type;
    private final RecordScope scope;
    private final CompiledSchema schema;
    private final @Nullable AccessModels models;
    private final AccessModel model;
    private @Nullable List<AccessModel.CheckedRule> rules;
    private @Nullable Set<UUID> readIds;
    private @Nullable Set<UUID> writeIds;

    SharingScope(Principal principal, String type, RecordScope scope, CompiledSchema schema,
            @Nullable AccessModels models) {
        this.principal = principal;
        this.type = type;
        this.scope = scope;
        this.schema = schema;
        this.models = models;
        this.model = models == null ? AccessModel.EMPTY : models.model();
    }

    /** Whether the principal reaches every record of the type. */
    boolean all() {
        return scope == RecordScope.ALL || principal.system();
    }

    /** The read ({@code write} false) or write scope as a filter, or null for every record. */
    @Nullable
    Filter filter(boolean write) {
        if (all()) {
            return null;
        }
        List<Filter> any = new ArrayList<>(ownerFilters());
        for (AccessModel.CheckedRule r : rules()) {
            if (r.filter() != null && (!write || r.rule().level() == ShareLevel.READ_WRITE)) {
                any.add(r.filter());
            }
        }
        Set<UUID> ids = ids(write);
        if (!ids.isEmpty()) {
            any.add(Filters.where("id").in(List.copyOf(ids)));
        }
        return any.size() == 1 ? any.get(0) : new Filter.Or(any);
    }

    /**
     * The scope on owner and team alone (own scope and the hierarchy), or null for every record: what a path
     * through a searchable reference can apply in the search index, which holds only the referenced record's owner
     * and team. Narrower than {@link #filter}, so it shows no more.
     */
    @Nullable
    Filter ownerFilter() {
        if (all()) {
            return null;
        }
        List<Filter> any = ownerFilters();
        return any.size() == 1 ? any.get(0) : new Filter.Or(any);
    }

    private List<Filter> ownerFilters() {
        List<Filter> any = new ArrayList<>();
        any.add(Filters.where("owner").eq(principal.id()));
        if (scope == RecordScope.TEAM && !principal.teams().isEmpty()) {
            any.add(Filters.where("team").in(List.copyOf(principal.teams())));
        }
        List<String> below = model.subordinateUsers(principal);
        if (!below.isEmpty()) {
            any.add(Filters.where("owner").in(List.copyOf(below)));
        }
        return any;
    }

    /** Whether a record of this owner and team is in the scope by owner and team alone (own scope, hierarchy). */
    boolean containsOwner(String owner, @Nullable String team) {
        if (all()) {
            return true;
        }
        if (owner.equals(principal.id())
                || (scope == RecordScope.TEAM && team != null && principal.teams().contains(team))) {
            return true;
        }
        return model.subordinateUsers(principal).contains(owner);
    }

    /** Whether the record is in the read or write scope. */
    boolean contains(Record r, boolean write) {
        if (containsOwner(r.owner(), r.team())) {
            return true;
        }
        if (ids(write).contains(r.id())) {
            return true;
        }
        for (AccessModel.CheckedRule rule : rules()) {
            if (rule.filter() != null && rule.paths() != null
                    && (!write || rule.rule().level() == ShareLevel.READ_WRITE)
                    && new FilterEvaluator(rule.filter(), rule.paths(), (t, id) -> Optional.empty())
                            .matches(r, rule.filter())) {
                return true;
            }
        }
        return false;
    }

    private List<AccessModel.CheckedRule> rules() {
        List<AccessModel.CheckedRule> held = rules;
        if (held == null) {
            held = models == null ? List.of()
                    : models.rulesFor(model, type, schema).stream().filter(r -> model.covers(r.rule().grantee(),
                            principal)).toList();
            rules = held;
        }
        return held;
    }

    private Set<UUID> ids(boolean write) {
        if (write) {
            if (writeIds == null) {
                writeIds = models == null ? Set.of() : models.sharedIds(principal, type, true);
            }
            return writeIds;
        }
        if (readIds == null) {
            readIds = models == null ? Set.of() : models.sharedIds(principal, type, false);
        }
        return readIds;
    }
}
