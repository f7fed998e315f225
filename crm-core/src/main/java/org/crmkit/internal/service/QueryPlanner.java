package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.List;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.ValidationException;
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
import org.jspecify.annotations.Nullable;

/**
 * Checks a caller's filter, sorts and aggregation against the schema and the caller's access, and converts
 * every compared value to the canonical type of its field, so storages receive only well-formed queries. All
 * problems are reported together in one {@link ValidationException}.
 */
final class QueryPlanner {
    private final SchemaSnapshot schema;
    private final CompiledSchema compiled;
    private final String type;
    private final Principal principal;
    private final ValueConverter converter;
    private final List<FieldError> errors = new ArrayList<>();

    QueryPlanner(CompiledSchema compiled, String type, Principal principal, ValueConverter converter) {
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

    @Nullable ResolvedPath resolve(String path) {
        ResolvedPath p;
        try {
            p = ResolvedPath.resolve(schema, type, path);
        } catch (ValidationException e) {
            errors.addAll(e.errors());
            return null;
        }
        String owner = type;
        for (Field hop : p.hops()) {
            if (!visible(owner, hop.name())) {
                return hidden(path);
            }
            owner = hop.target();
            if (!new Access(principal, owner, compiled).can(Permission.READ)) {
                return hidden(path);
            }
        }
        if (p.field() != null && !visible(p.ownerType(), p.field().name())) {
            return hidden(path);
        }
        return p;
    }

    private boolean visible(String objectType, String field) {
        return new Access(principal, objectType, compiled).canSee(field);
    }

    private @Nullable ResolvedPath hidden(String path) {
        errors.add(new FieldError(path, FieldErrorCode.UNKNOWN_FIELD, "no such field (or not visible to "
                + principal.id() + ")"));
        return null;
    }

    /**
     * The filter with paths checked and values converted. A condition on a path through references treats a
     * referenced record outside the principal's record scope as missing (its values as empty).
     */
    Filter filter(Filter filter) {
        Filter checked = checked(filter);
        return filter instanceof Filter.And || filter instanceof Filter.Or || filter instanceof Filter.Not ? checked
                : scoped(filter, checked);
    }

    private Filter scoped(Filter original, Filter leaf) {
        String path = switch (original) {
            case Filter.Compare c -> c.path();
            case Filter.In in -> in.path();
            case Filter.Between b -> b.path();
            case Filter.IsNull n -> n.path();
            case Filter.TextMatch t -> t.path();
            case Filter.SetMatch m -> m.path();
            default -> null;
        };
        if (path == null || principal.system() || !path.contains(".")) {
            return leaf;
        }
        ResolvedPath p;
        try {
            p = ResolvedPath.resolve(schema, type, path);
        } catch (ValidationException e) {
            return leaf;
        }
        List<Filter> scopes = new ArrayList<>();
        String prefix = "";
        for (Field hop : p.hops()) {
            prefix = prefix + hop.name() + ".";
            Filter scope = new Access(principal, hop.target(), compiled).scopeFilter();
            if (scope != null) {
                scopes.add(prefixed(scope, prefix));
            }
        }
        if (scopes.isEmpty()) {
            return leaf;
        }
        Filter inScope = scopes.size() == 1 ? scopes.get(0) : new Filter.And(scopes);
        boolean trueWhenEmpty = original instanceof Filter.IsNull
                || (original instanceof Filter.Compare c && c.op() == Filter.Op.NE);
        return trueWhenEmpty ? new Filter.Or(List.of(new Filter.Not(inScope), leaf))
                : new Filter.And(List.of(inScope, leaf));
    }

    /** A scope filter ({@link Access#scopeFilter()}) moved onto the record reached through {@code prefix}. */
    private static Filter prefixed(Filter f, String prefix) {
        return switch (f) {
            case Filter.Compare c -> new Filter.Compare(prefix + c.path(), c.op(), c.value());
            case Filter.In in -> new Filter.In(prefix + in.path(), in.values());
            case Filter.Or o -> new Filter.Or(o.operands().stream().map(x -> prefixed(x, prefix)).toList());
            case Filter.And a -> new Filter.And(a.operands().stream().map(x -> prefixed(x, prefix)).toList());
            default -> throw new IllegalStateException("unexpected scope filter " + f);
        };
    }

    private Filter checked(Filter filter) {
        return switch (filter) {
            case Filter.And a -> new Filter.And(a.operands().stream().map(this::filter).toList());
            case Filter.Or o -> new Filter.Or(o.operands().stream().map(this::filter).toList());
            case Filter.Not n -> new Filter.Not(filter(n.operand()));
            case Filter.IsNull n -> {
                resolve(n.path());
                yield n;
            }
            case Filter.Compare c -> {
                ResolvedPath p = scalar(c.path(), c.op() == Filter.Op.EQ || c.op() == Filter.Op.NE ? "compare"
                        : "order");
                yield p == null ? c : new Filter.Compare(c.path(), c.op(), value(p, c.value()));
            }
            case Filter.In in -> {
                ResolvedPath p = scalar(in.path(), "compare");
                if (in.values().isEmpty() || in.values().size() > 1000) {
                    errors.add(new FieldError(in.path(), FieldErrorCode.OUT_OF_RANGE, "in() takes 1 to 1000 values"));
                }
                yield p == null ? in : new Filter.In(in.path(), in.values().stream().map(v -> value(p, v)).toList());
            }
            case Filter.Between b -> {
                ResolvedPath p = scalar(b.path(), "order");
                yield p == null ? b : new Filter.Between(b.path(), value(p, b.low()), value(p, b.high()));
            }
            case Filter.TextMatch t -> {
                ResolvedPath p = resolve(t.path());
                if (p != null && !p.valueType().isText()) {
                    unsupported(t.path(), "text matching needs a text field");
                }
                if (t.text() == null || t.text().isEmpty() || t.text().length() > 1000) {
                    errors.add(new FieldError(t.path(), FieldErrorCode.OUT_OF_RANGE, "match text must be 1 to 1000 "
                            + "characters"));
                }
                yield t;
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
                yield p == null ? m : new Filter.SetMatch(m.path(), m.op(), m.values().stream().map(v -> value(p, v))
                        .toList());
            }
        };
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
        Object v = converter.convertForFilter(p.path(), p.valueType(), p.field(), raw, errors);
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
        if (p == null) {
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
            case COUNT -> { }
        }
    }

    void groupBy(String path) {
        ResolvedPath p = scalar(path, "group by");
        if (p != null && !p.isLocal()) {
            unsupported(path, "group keys must be fields of " + type + " itself");
        }
    }

    void error(FieldError e) {
        errors.add(e);
    }
}
