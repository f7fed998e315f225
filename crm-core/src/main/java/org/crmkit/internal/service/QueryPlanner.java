package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.encryption.EncryptedQueries;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.query.Sort;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.security.Principal;
import org.crmkit.security.Permission;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.ResolvedPaths;
import org.jspecify.annotations.Nullable;

/**
 * Checks a caller's filter, sorts and aggregation against the schema and the caller's access, and converts
 * every compared value to the canonical type of its field, so storages receive only well-formed queries. All
 * problems are reported together in one {@link ValidationException}. Paths resolve against what the principal
 * sees, so a hidden field, a type the principal cannot read and a missing field give the same error; a path
 * through references applies the principal's record scope to every record it passes (filters; sort, group and
 * metric paths must be local). A path ending at a (visible) formula field is refused: no storage holds its values.
 *
 * <p>Every path it resolves, including the scope-guard paths it adds and the paths the service adds itself
 * ({@link #resolveAdded}), is recorded in {@link #paths()}, which travels to the storage with the query, so a
 * storage never resolves a path again.
 */
final class QueryPlanner {
    /** Why a query path ending at a formula field is refused (formulas are computed by CEL, not stored). */
    static final String FORMULA_REFUSED = "formula fields are computed when read, not stored, so they cannot be "
            + "filtered, sorted, grouped or aggregated (roll-up fields can be: they are stored)";
    private final SchemaSnapshot schema;
    private final CompiledSchema compiled;
    private final String type;
    private final Principal principal;
    private final ValueConverter converter;
    /** The stored access model the principal's scopes are widened with (null: none, for the system principal). */
    private final @Nullable AccessModels models;
    private final List<FieldError> errors = new ArrayList<>();
    private final Map<String, Access> access = new HashMap<>();
    /** Every path resolved so far, for the storage. */
    private final Map<String, ResolvedPath> resolved = new LinkedHashMap<>();
    /** Whether the filter grew past {@link Filter}'s limits (reported once). */
    private boolean tooLarge;
    private final ResolvedPath.Visibility visibility = new ResolvedPath.Visibility() {
        @Override
        public boolean canRead(String objectType) {
            return access(objectType).can(Permission.READ);
        }

        @Override
        public boolean canSee(String objectType, String field) {
            return access(objectType).canSee(field);
        }
    };

    QueryPlanner(CompiledSchema compiled, String type, Principal principal, ValueConverter converter) {
        this(compiled, type, principal, converter, null);
        if (!principal.system()) {
            throw new IllegalArgumentException("a planner for " + principal.id() + " needs the access model");
        }
    }

    QueryPlanner(CompiledSchema compiled, String type, Principal principal, ValueConverter converter,
            @Nullable AccessModels models) {
        // the caller caught up with the access model before planning (RecordContext.access(), a search, or the
        // transaction the planner runs in), so a change made on another node applies to this very query
        this.models = models;
        this.schema = compiled.snapshot;
        this.compiled = compiled;
        this.type = type;
        this.principal = principal;
        this.converter = converter;
    }

    /** Throws the collected problems, if any. */
    void finish() {
        if (!errors.isEmpty()) {
            throw new ValidationException(type, errors);
        }
    }

    /**
     * The path as the principal sees the schema ({@link ResolvedPath#resolve(SchemaSnapshot, String, String,
     * ResolvedPath.Visibility)}): hidden fields, types the principal cannot read and missing fields all fail alike.
     */
    @Nullable
    ResolvedPath resolve(String path) {
        ResolvedPath p;
        try {
            p = ResolvedPath.resolve(schema, type, path, visibility);
        } catch (ValidationException e) {
            errors.addAll(e.errors());
            return null;
        }
        if (p.field() != null && p.field().type() == FieldType.FORMULA) {
            // checked after resolving, so a hidden formula fails above exactly as a missing field
            unsupported(path, FORMULA_REFUSED);
            return null;
        }
        resolved.put(path, p);
        return p;
    }

    /**
     * Resolves a path the service adds to a query itself (a scope guard, the {@code id} sort key, the currency code
     * of a currency metric) on the queried type, with nothing hidden: such a path is not the caller's to check.
     */
    void resolveAdded(String path) {
        resolved.computeIfAbsent(path, p -> ResolvedPath.resolve(schema, type, p));
    }

    /** Every path resolved so far: the map the storage looks the query's paths up in. */
    ResolvedPaths paths() {
        return new ResolvedPaths(resolved);
    }

    private Access access(String objectType) {
        return access.computeIfAbsent(objectType, t -> new Access(principal, t, compiled, models));
    }

    /**
     * The filter with paths checked, values converted and the principal's record scope applied to every record a
     * path walks through: a referenced record outside the scope reads as if the reference were empty (see
     * {@link #guarded}). Filters that grow past {@link Filter}'s limits that way are reported on field
     * {@code filter}.
     */
    Filter filter(Filter filter) {
        try {
            return checked(filter);
        } catch (ValidationException e) {
            tooLarge = true;
            errors.addAll(e.errors());
            return filter;
        }
    }

    /** A checked filter with the principal's record scope of the queried type itself folded in. */
    Filter withScope(Filter checked) {
        Filter scope = access(type).scopeFilter();
        if (scope == null || tooLarge) {
            return checked;
        }
        ResolvedPaths.pathsOf(scope).forEach(this::resolveAdded);
        try {
            return checked.equals(Filter.ALL) ? scope : new Filter.And(List.of(scope, checked));
        } catch (ValidationException e) {
            tooLarge = true;
            errors.addAll(e.errors());
            return checked;
        }
    }

    /**
     * A leaf on a path through references, made to read an out-of-scope record on the way as an empty
     * reference. Every leaf is two-valued and treats an empty reference as an empty value, so guarding each leaf
     * alone gives the same answer as the filter on records whose out-of-scope references were empty, whatever
     * and/or/not surround it: leaves false on empty values become {@code inScope and leaf}, the ones true on
     * empty values ({@code isNull}, {@code ne}) {@code not inScope or leaf}.
     */
    private Filter guarded(Filter leaf, ResolvedPath p) {
        if (p.isLocal() || principal.system()) {
            return leaf;
        }
        List<Filter> scopes = new ArrayList<>();
        StringBuilder prefix = new StringBuilder();
        for (Field hop : p.hops()) {
            prefix.append(hop.name()).append('.');
            Filter scope = access(java.util.Objects.requireNonNull(hop.target(), "a hop is a reference")).scopeFilter();
            if (scope != null) {
                Filter onHop = prefixed(scope, prefix.toString());
                ResolvedPaths.pathsOf(onHop).forEach(this::resolveAdded);
                scopes.add(onHop);
            }
        }
        if (scopes.isEmpty()) {
            return leaf;
        }
        Filter inScope = scopes.size() == 1 ? scopes.get(0) : new Filter.And(scopes);
        boolean trueWhenEmpty = leaf instanceof Filter.IsNull
                || (leaf instanceof Filter.Compare c && c.op() == Filter.Op.NE);
        return trueWhenEmpty ? new Filter.Or(List.of(new Filter.Not(inScope), leaf))
                : new Filter.And(List.of(inScope, leaf));
    }

    /** A scope filter ({@link Access#scopeFilter()}) moved onto the record reached through {@code prefix}. */
    static Filter prefixed(Filter f, String prefix) {
        return switch (f) {
            case Filter.Compare c -> new Filter.Compare(prefix + c.path(), c.op(), c.value());
            case Filter.In in -> new Filter.In(prefix + in.path(), in.values());
            case Filter.Or o -> new Filter.Or(o.operands().stream().map(x -> prefixed(x, prefix)).toList());
            case Filter.And a -> new Filter.And(a.operands().stream().map(x -> prefixed(x, prefix)).toList());
            case Filter.Not n -> new Filter.Not(prefixed(n.operand(), prefix));
            case Filter.Between b -> new Filter.Between(prefix + b.path(), b.low(), b.high());
            case Filter.IsNull n -> new Filter.IsNull(prefix + n.path());
            default -> throw new IllegalStateException("unexpected scope filter " + f);
        };
    }

    /** Recursion is bounded: a {@link Filter} nests at most {@link Filter#MAX_DEPTH} deep. */
    private Filter checked(Filter filter) {
        return switch (filter) {
            case Filter.And a -> new Filter.And(a.operands().stream().map(this::checked).toList());
            case Filter.Or o -> new Filter.Or(o.operands().stream().map(this::checked).toList());
            case Filter.Not n -> new Filter.Not(checked(n.operand()));
            case Filter.IsNull n -> {
                ResolvedPath p = resolve(n.path());
                yield p == null ? n : guarded(n, p);
            }
            case Filter.Compare c -> {
                ResolvedPath p = encryptedRefused(c, scalar(c.path(), c.op() == Filter.Op.EQ || c.op() == Filter.Op.NE
                        ? "compare" : "order"));
                yield p == null ? c : guarded(new Filter.Compare(c.path(), c.op(), value(p, c.value())), p);
            }
            case Filter.In in -> {
                ResolvedPath p = encryptedRefused(in, scalar(in.path(), "compare"));
                if (in.values().isEmpty() || in.values().size() > 1000) {
                    errors.add(new FieldError(in.path(), FieldErrorCode.OUT_OF_RANGE, "in() takes 1 to 1000 values"));
                }
                yield p == null ? in : guarded(new Filter.In(in.path(), in.values().stream().map(v -> value(p, v))
                        .toList()), p);
            }
            case Filter.Between b -> {
                ResolvedPath p = encryptedRefused(b, scalar(b.path(), "order"));
                yield p == null ? b : guarded(new Filter.Between(b.path(), value(p, b.low()), value(p, b.high())), p);
            }
            case Filter.TextMatch t -> {
                ResolvedPath p = encryptedRefused(t, resolve(t.path()));
                if (p != null && !p.valueType().isText()) {
                    unsupported(t.path(), "text matching needs a text field");
                }
                if (t.text() == null || t.text().isEmpty() || t.text().length() > 1000) {
                    errors.add(new FieldError(t.path(), FieldErrorCode.OUT_OF_RANGE, "match text must be 1 to 1000 "
                            + "characters"));
                }
                yield p == null ? t : guarded(t, p);
            }
            case Filter.SetMatch m -> {
                ResolvedPath p = resolve(m.path());
                if (p != null && p.valueType() != FieldType.MULTI_PICKLIST && p.valueType() != FieldType.RELATION) {
                    unsupported(m.path(), "hasAny/hasAll need a multi-picklist or relation field");
                    yield m;
                }
                if (m.values().isEmpty() || m.values().size() > 1000) {
                    errors.add(new FieldError(m.path(), FieldErrorCode.OUT_OF_RANGE, "takes 1 to 1000 values"));
                }
                yield p == null ? m : guarded(new Filter.SetMatch(m.path(), m.op(), m.values().stream()
                        .map(v -> value(p, v)).toList()), p);
            }
        };
    }

    /**
     * The path, or null (with the error collected) when it ends at an encrypted field the leaf cannot work on:
     * checked after resolving, so a hidden encrypted field fails as a missing one.
     */
    private @Nullable ResolvedPath encryptedRefused(Filter leaf, @Nullable ResolvedPath p) {
        Field f = p == null ? null : EncryptedQueries.encrypted(p);
        if (p != null && f != null && !EncryptedQueries.allowed(leaf, f)) {
            unsupported(p.path(), EncryptedQueries.refusal(f, "filter on"));
            return null;
        }
        return p;
    }

    /** Whether a checked path ends at an encrypted field, which {@code what} (sort by, group by...) cannot use. */
    private boolean encryptedRefused(@Nullable ResolvedPath p, String what) {
        Field f = p == null ? null : EncryptedQueries.encrypted(p);
        if (p != null && f != null) {
            unsupported(p.path(), EncryptedQueries.refusal(f, what));
            return true;
        }
        return false;
    }

    private @Nullable ResolvedPath scalar(String path, String what) {
        ResolvedPath p = resolve(path);
        if (p == null) {
            return null;
        }
        switch (p.valueType()) {
            case MULTI_PICKLIST, RELATION, ADDRESS, LONG_TEXT -> {
                unsupported(path, "cannot " + what + " " + p.valueType() + " values (use isNull, contains or hasAny)");
                return null;
            }
            default -> {
                return p;
            }
        }
    }

    private Object value(ResolvedPath p, @Nullable Object raw) {
        if (raw == null) {
            errors.add(new FieldError(p.path(), FieldErrorCode.WRONG_TYPE, "null cannot be compared; use isNull()"));
            return "";
        }
        int before = errors.size();
        Object v = converter.convertForFilter(p.path(), p.valueType(), p.field(), raw, errors);
        if (v == null && errors.size() == before) {
            // blank text reads as no value (an empty field on a write); compared, it would reach storage as text
            errors.add(new FieldError(p.path(), FieldErrorCode.WRONG_TYPE, "an empty value cannot be compared; "
                    + "use isNull()"));
        }
        return v == null ? raw : v;
    }

    private void unsupported(String path, String message) {
        errors.add(new FieldError(path, FieldErrorCode.UNSUPPORTED_OPERATION, message));
    }

    /** Checks the sort keys: local, sortable, visible. */
    List<ResolvedPath> sorts(List<Sort> sorts) {
        List<ResolvedPath> out = new ArrayList<>();
        if (sorts.size() > 8) {
            errors.add(new FieldError("sort", FieldErrorCode.OUT_OF_RANGE, "at most 8 sort keys"));
        }
        for (Sort s : sorts) {
            ResolvedPath p = scalar(s.path(), "sort by");
            if (encryptedRefused(p, "sort by")) {
                continue;
            }
            if (p != null && !p.isLocal()) {
                unsupported(s.path(), "sort keys must be fields of " + type + " itself");
            } else if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** Checks a metric's field. */
    void metric(Metric m) {
        if (m.field() == null) {
            if (m.function() != Metric.Function.COUNT) {
                errors.add(new FieldError("*", FieldErrorCode.UNSUPPORTED_OPERATION, m + " needs a field"));
            }
            return;
        }
        ResolvedPath p = scalar(m.field(), "aggregate");
        if (p == null || encryptedRefused(p, "aggregate")) {
            return;
        }
        if (!p.isLocal()) {
            unsupported(m.field(), "aggregates take fields of " + type + " itself");
        }
        boolean numeric = p.valueType().isNumeric();
        boolean ordered = numeric || p.valueType() == FieldType.DATE || p.valueType() == FieldType.DATETIME;
        switch (m.function()) {
            case SUM, AVG -> {
                if (!numeric) {
                    unsupported(m.field(), m.function() + " needs a number field");
                }
            }
            case MIN, MAX -> {
                if (!ordered) {
                    unsupported(m.field(), m.function() + " needs a number, date or datetime field");
                }
            }
            case COUNT, COUNT_DISTINCT -> {}
        }
    }

    void groupBy(String path) {
        ResolvedPath p = scalar(path, "group by");
        if (encryptedRefused(p, "group by")) {
            return;
        }
        if (p != null && !p.isLocal()) {
            unsupported(path, "group keys must be fields of " + type + " itself");
        }
    }

    void error(FieldError e) {
        errors.add(e);
    }
}
