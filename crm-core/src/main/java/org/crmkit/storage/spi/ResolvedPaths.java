package org.crmkit.storage.spi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.crmkit.query.Filter;
import org.crmkit.query.Sort;
import org.crmkit.schema.SchemaSnapshot;

/**
 * Every path of one storage call, already resolved by the caller (the service layer's query planner, which checks
 * them against what the principal sees): storages look paths up here with {@link #get} and never resolve them
 * again. A path the call uses but the map lacks is a bug of the caller, not of the input.
 *
 * @param byPath the resolved paths by {@link ResolvedPath#path()}
 */
public record ResolvedPaths(Map<String, ResolvedPath> byPath) {
    /** No paths: enough for {@link Filter#ALL} with no sort, group or metric paths. */
    public static final ResolvedPaths NONE = new ResolvedPaths(Map.of());

    public ResolvedPaths {
        Objects.requireNonNull(byPath, "byPath");
        byPath = Map.copyOf(byPath);
        byPath.forEach((path, resolved) -> {
            if (!path.equals(resolved.path())) {
                throw new IllegalArgumentException("path " + path + " maps to " + resolved.path());
            }
        });
    }

    /** The paths keyed by {@link ResolvedPath#path()}. */
    public static ResolvedPaths of(Collection<ResolvedPath> paths) {
        Objects.requireNonNull(paths, "paths");
        Map<String, ResolvedPath> byPath = new LinkedHashMap<>();
        for (ResolvedPath p : paths) {
            byPath.put(p.path(), p);
        }
        return new ResolvedPaths(byPath);
    }

    /**
     * Resolves every path of {@code filter} and {@code sorts} and the {@code others} on {@code objectType} with
     * nothing hidden ({@link ResolvedPath#resolve(SchemaSnapshot, String, String)}): for callers that build a
     * storage call themselves from paths they know to exist, rather than from a caller's query.
     */
    public static ResolvedPaths resolve(SchemaSnapshot schema, String objectType, Filter filter, List<Sort> sorts,
            String... others) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(sorts, "sorts");
        Objects.requireNonNull(others, "others");
        Set<String> paths = pathsOf(filter);
        sorts.forEach(s -> paths.add(s.path()));
        paths.addAll(List.of(others));
        return of(paths.stream().map(p -> ResolvedPath.resolve(schema, objectType, p)).toList());
    }

    /** The paths a filter's conditions name, in the order they first appear. */
    public static Set<String> pathsOf(Filter filter) {
        Set<String> out = new LinkedHashSet<>();
        collect(Objects.requireNonNull(filter, "filter"), out);
        return out;
    }

    /** Recursion is bounded: a {@link Filter} nests at most {@link Filter#MAX_DEPTH} deep. */
    private static void collect(Filter f, Set<String> out) {
        switch (f) {
            case Filter.And a -> a.operands().forEach(x -> collect(x, out));
            case Filter.Or o -> o.operands().forEach(x -> collect(x, out));
            case Filter.Not n -> collect(n.operand(), out);
            case Filter.IsNull n -> out.add(n.path());
            case Filter.Compare c -> out.add(c.path());
            case Filter.In in -> out.add(in.path());
            case Filter.Between b -> out.add(b.path());
            case Filter.TextMatch t -> out.add(t.path());
            case Filter.SetMatch m -> out.add(m.path());
        }
    }

    /** Whether {@code path} was resolved. */
    public boolean contains(String path) {
        return byPath.containsKey(Objects.requireNonNull(path, "path"));
    }

    /**
     * The resolved {@code path}; throws {@link IllegalStateException} naming it when the caller did not resolve it
     * (a programming error: the planner resolves every path it hands a storage).
     */
    public ResolvedPath get(String path) {
        ResolvedPath p = byPath.get(Objects.requireNonNull(path, "path"));
        if (p == null) {
            throw new IllegalStateException("path " + path + " was not resolved before it reached the storage "
                    + "(resolved: " + byPath.keySet() + ")");
        }
        return p;
    }
}
