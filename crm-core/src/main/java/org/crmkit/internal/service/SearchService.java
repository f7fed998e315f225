package org.crmkit.internal.service;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.crmkit.error.CrmException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.StorageException;
import org.crmkit.error.ValidationException;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.SearchIndex;
import org.crmkit.search.SearchIndexHealth;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.SearchResult;
import org.crmkit.search.spi.SearchBackend;
import org.crmkit.search.spi.SearchContext;
import org.crmkit.search.spi.SearchRequest;
import org.crmkit.search.spi.SearchResponse;
import org.crmkit.search.spi.TypeScope;
import org.crmkit.search.support.SearchFields;
import org.crmkit.search.support.SearchTerms;
import org.crmkit.security.Permission;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.ResolvedPath;

/**
 * Search on behalf of a principal: checks the query, decides what the principal may search (types they may read,
 * their record scope, the searchable and name fields they may see, the references they may search through with
 * their scope on the referenced type) and hands the backend a {@link SearchRequest} that says so: the one place
 * search access is decided, every part of a hit is built from it. The backend is the configured engine, or
 * {@link StorageSearch} without one or while the engine's index is unhealthy ({@link #current()}).
 */
final class SearchService implements SearchIndex {
    private static final String SEARCH = "search";

    private final CrmEngine engine;
    private final SearchBackend backend;
    /** Searches while the engine's index is unhealthy; null when the backend is the storage search itself. */
    private final @Nullable StorageSearch fallback;
    private volatile Instant started = Instant.EPOCH;

    SearchService(CrmEngine engine, SearchBackend backend) {
        this.engine = engine;
        this.backend = backend;
        this.fallback = backend instanceof StorageSearch ? null : new StorageSearch();
    }

    /** The configured backend (or the storage search): the one that indexes, rebuilds and expunges. */
    SearchBackend backend() {
        return backend;
    }

    /** Starts the backend (and the storage search it falls back to); the health's {@code since} starts now. */
    void start(SearchContext context) {
        started = engine.clock.instant();
        if (fallback != null) {
            fallback.start(context);
        }
        backend.start(context);
    }

    /**
     * The backend to search with now: the configured one, or the storage search while the configured one reports
     * its index unhealthy (it cannot follow the change log: its answers would miss recent changes, and its files may
     * be failing). Both get the same {@link SearchRequest}, so access is applied alike.
     */
    SearchBackend current() {
        if (fallback == null) {
            return backend;
        }
        // only healthy() is read: the applied sequence stands in for the storage's, sparing a read of the storage
        return backend.health(started, backend.appliedSequence()).healthy() ? backend : fallback;
    }

    SearchResult search(Principal principal, SearchQuery query) {
        engine.checkOpen();
        if (query == null) {
            throw new ValidationException(SEARCH, new FieldError("query", FieldErrorCode.REQUIRED,
                    "query must not be null"));
        }
        List<FieldError> errors = new ArrayList<>();
        List<SearchTerms.Term> terms = SearchTerms.parse(query.text());
        if (query.text().isBlank() || query.text().length() > SearchQuery.MAX_TEXT_LENGTH) {
            errors.add(new FieldError("text", FieldErrorCode.OUT_OF_RANGE, "search text must be 1 to "
                    + SearchQuery.MAX_TEXT_LENGTH + " characters"));
        } else if (org.crmkit.internal.value.TextChecks.badCharacter(query.text(), false) != null) {
            errors.add(new FieldError("text", FieldErrorCode.INVALID_CHARACTER, "search text holds a control "
                    + "character or an unpaired surrogate"));
        } else if (terms.isEmpty()) {
            errors.add(new FieldError("text", FieldErrorCode.WRONG_TYPE, "search text holds no letter or digit"));
        } else if (terms.size() > SearchQuery.MAX_TERMS) {
            errors.add(new FieldError("text", FieldErrorCode.OUT_OF_RANGE, "at most " + SearchQuery.MAX_TERMS
                    + " words, not " + terms.size()));
        }
        if (query.limit() < 1 || query.limit() > SearchQuery.MAX_LIMIT) {
            errors.add(new FieldError("limit", FieldErrorCode.OUT_OF_RANGE, "page size must be 1 to "
                    + SearchQuery.MAX_LIMIT + ", not " + query.limit()));
        }
        if (query.offset() < 0 || query.offset() > SearchQuery.MAX_OFFSET) {
            errors.add(new FieldError("offset", FieldErrorCode.OUT_OF_RANGE, "offset must be 0 to "
                    + SearchQuery.MAX_OFFSET + ", not " + query.offset()));
        }
        CompiledSchema compiled = engine.schema.compiled();
        List<ObjectType> types = types(compiled, principal, query, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(SEARCH, errors);
        }
        boolean explicit = !query.objectTypes().isEmpty();
        List<TypeScope> scopes = new ArrayList<>();
        List<FieldError> filterErrors = new ArrayList<>();
        for (ObjectType type : types) {
            TypeScope scope = scope(compiled, principal, type, query.filter(), explicit ? errors : filterErrors);
            if (scope != null) {
                scopes.add(scope);
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(SEARCH, errors);
        }
        if (scopes.isEmpty() && !filterErrors.isEmpty()) {
            // the filter fits no type: say why for the types that have its fields, else for all
            List<FieldError> real = filterErrors.stream().filter(e -> e.code() != FieldErrorCode.UNKNOWN_FIELD)
                    .toList();
            throw new ValidationException(SEARCH, real.isEmpty() ? filterErrors : real);
        }
        if (scopes.isEmpty()) {
            return new SearchResult(List.of(), 0, true, query, backend.name());
        }
        SearchBackend searchBy = current();
        SearchResponse response;
        try {
            response = searchBy.search(new SearchRequest(query.text(), terms, scopes, query.limit(), query.offset()));
        } catch (CrmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StorageException("search failed in " + searchBy.name() + ": " + e, e);
        }
        return new SearchResult(response.hits(), response.total(), response.totalExact(), query, searchBy.name());
    }

    /** The types to search: those named (each must exist, be searched and readable) or every readable searched one. */
    private List<ObjectType> types(CompiledSchema compiled, Principal principal, SearchQuery query,
            List<FieldError> errors) {
        SchemaSnapshot schema = compiled.snapshot;
        List<ObjectType> out = new ArrayList<>();
        if (query.objectTypes().isEmpty()) {
            for (ObjectType t : schema.types()) {
                if (SearchFields.isSearched(schema, t)
                        && new Access(principal, t.name(), compiled, engine.accessModels).can(Permission.READ)) {
                    out.add(t);
                }
            }
            return out;
        }
        for (String name : query.objectTypes().stream().sorted().toList()) {
            ObjectType t = schema.findObjectType(name).orElse(null);
            if (t == null) {
                throw SchemaService.unknownType(name);
            }
            if (!SearchFields.isSearched(schema, t)) {
                errors.add(new FieldError("types", FieldErrorCode.UNSUPPORTED_OPERATION, name
                        + " has no searchable fields"));
                continue;
            }
            new Access(principal, name, compiled, engine.accessModels).require(Permission.READ);
            out.add(t);
        }
        return out;
    }

    /**
     * What the principal may search of one type, or null when nothing: no visible searchable field, or the filter
     * does not apply to the type (its problems go to {@code errors}).
     */
    private @Nullable TypeScope scope(CompiledSchema compiled, Principal principal, ObjectType type, Filter filter,
            List<FieldError> errors) {
        SchemaSnapshot schema = compiled.snapshot;
        Access access = new Access(principal, type.name(), compiled, engine.accessModels);
        List<String> fields = SearchFields.searchable(type).stream().map(Field::name).filter(access::canSee).toList();
        List<String> titleFields = SearchFields.nameFields(type).stream().map(Field::name).filter(access::canSee)
                .toList();
        List<String> exact = SearchFields.exactOnly(type).stream().map(Field::name).filter(access::canSee).toList();
        List<TypeScope.Reference> references = new ArrayList<>();
        for (Field ref : SearchFields.searchableReferences(schema, type)) {
            String targetName = java.util.Objects.requireNonNull(ref.target(), "a reference field has a target");
            Access target = new Access(principal, targetName, compiled, engine.accessModels);
            ObjectType targetType = schema.findObjectType(targetName).orElseThrow();
            if (access.canSee(ref.name()) && target.can(Permission.READ)
                    && SearchFields.nameFields(targetType).stream().allMatch(f -> target.canSee(f.name()))) {
                // a path through a reference applies the caller's scope to the record it reaches
                // the index holds only the referenced record's owner and team: the scope by owner and team (own, hierarchy)
                Filter targetScope = target.ownerScopeFilter();
                references.add(new TypeScope.Reference(ref.name(), targetScope == null ? Filter.ALL : targetScope));
            }
        }
        if (fields.isEmpty() && references.isEmpty() && exact.isEmpty()) {
            return null;
        }
        Filter checked = Filter.ALL;
        if (!filter.equals(Filter.ALL)) {
            QueryPlanner planner = new QueryPlanner(compiled, type.name(), principal, engine.converter,
                    engine.accessModels);
            checked = planner.filter(filter);
            List<FieldError> problems = new ArrayList<>();
            try {
                planner.finish();
            } catch (ValidationException e) {
                problems.addAll(e.errors());
            }
            if (problems.isEmpty()) {
                searchable(schema, type, checked, problems);
            }
            if (!problems.isEmpty()) {
                errors.addAll(problems.stream().map(p -> new FieldError(p.field(), p.code(), type.name() + ": "
                        + p.message())).toList());
                return null;
            }
        }
        Filter scope = access.scopeFilter();
        Filter combined = scope == null ? checked : checked.equals(Filter.ALL) ? scope : Filters.and(scope, checked);
        return new TypeScope(type, fields, titleFields, references, combined, exact);
    }

    /** Reports what a search filter may not hold: text or set matching, paths that are not indexed fields. */
    static void searchableFilter(SchemaSnapshot schema, ObjectType type, Filter f, List<FieldError> problems) {
        searchable(schema, type, f, problems);
    }

    private static void searchable(SchemaSnapshot schema, ObjectType type, Filter f, List<FieldError> problems) {
        switch (f) {
            case Filter.And a -> a.operands().forEach(o -> searchable(schema, type, o, problems));
            case Filter.Or o -> o.operands().forEach(x -> searchable(schema, type, x, problems));
            case Filter.Not n -> searchable(schema, type, n.operand(), problems);
            case Filter.Compare c -> path(schema, type, c.path(), problems);
            case Filter.In in -> path(schema, type, in.path(), problems);
            case Filter.Between b -> path(schema, type, b.path(), problems);
            case Filter.IsNull n -> path(schema, type, n.path(), problems);
            case Filter.TextMatch t -> problems.add(new FieldError(t.path(), FieldErrorCode.UNSUPPORTED_OPERATION,
                    "search filters do not match text (put the words in the search text)"));
            case Filter.SetMatch m -> problems.add(new FieldError(m.path(), FieldErrorCode.UNSUPPORTED_OPERATION,
                    "search filters do not match sets"));
        }
    }

    private static void path(SchemaSnapshot schema, ObjectType type, String path, List<FieldError> problems) {
        ResolvedPath p = ResolvedPath.resolve(schema, type.name(), path);
        if (!SearchFields.filterable(type, p)) {
            problems.add(new FieldError(path, FieldErrorCode.UNSUPPORTED_OPERATION, "search filters take "
                    + String.join(", ", SearchFields.FILTER_PROPERTIES.stream().sorted().toList())
                    + " and indexed fields of the type itself; " + path + " is not one"));
        }
    }

    // ---- the index ----------------------------------------------------------------------------------------

    @Override
    public String engine() {
        return backend.name();
    }

    @Override
    public long appliedSequence() {
        engine.checkOpen();
        return backend.appliedSequence();
    }

    @Override
    public SearchIndexHealth health() {
        engine.checkOpen();
        return backend.health(started, engine.storage.lastSequence());
    }

    @Override
    public org.crmkit.search.RefreshStats refreshStats() {
        return backend.refreshStats(); // no checkOpen: meters read the last figures of a closed Crm
    }

    /** {@link #health()} against a last sequence the caller read (the engine's health check). */
    SearchIndexHealth health(long lastSequence) {
        return backend.health(started, lastSequence);
    }

    @Override
    public boolean awaitUpToDate(Duration timeout) {
        java.util.Objects.requireNonNull(timeout, "timeout");
        engine.checkOpen();
        if (timeout == null || timeout.isNegative()) {
            throw new ValidationException(SEARCH, new FieldError("timeout", FieldErrorCode.OUT_OF_RANGE,
                    "timeout must be zero or more"));
        }
        return backend.awaitSequence(engine.storage.lastSequence(), timeout);
    }

    @Override
    public void rebuild(Consumer<RebuildProgress> progress) {
        java.util.Objects.requireNonNull(progress, "progress");
        engine.checkOpen();
        if (progress == null) {
            throw new ValidationException(SEARCH, new FieldError("progress", FieldErrorCode.REQUIRED,
                    "progress must not be null (pass p -> {} to ignore it)"));
        }
        backend.rebuild(progress);
    }
}
