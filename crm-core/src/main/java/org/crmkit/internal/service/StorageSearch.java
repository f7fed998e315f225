package org.crmkit.internal.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.Highlight;
import org.crmkit.search.Hit;
import org.crmkit.search.MatchKind;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.spi.SearchBackend;
import org.crmkit.search.spi.SearchContext;
import org.crmkit.search.spi.SearchRequest;
import org.crmkit.search.spi.SearchResponse;
import org.crmkit.search.spi.TypeScope;
import org.crmkit.search.support.MatchHighlighter;
import org.crmkit.search.support.SearchFields;
import org.crmkit.search.support.SearchTerms;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.jspecify.annotations.Nullable;

/**
 * Search without a search engine: each term must occur (case-insensitive substring) in one of the searchable
 * fields the caller sees, or in the name of a referenced record inside their scope; hits are the most recently
 * updated first, titled by the name fields the caller sees.
 * It runs one query and one count per type through the storage, so it is as fast as the storage's
 * {@code contains}, and it has no typo tolerance. Always up to date.
 */
final class StorageSearch implements SearchBackend {
    private static final MatchHighlighter HIGHLIGHTER = MatchHighlighter.substrings();
    private @Nullable SearchContext context;

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public void start(SearchContext context) {
        this.context = context;
    }

    @Override
    public SearchResponse search(SearchRequest request) {
        SearchContext c = java.util.Objects.requireNonNull(context, "not started");
        Storage s = c.storage();
        org.crmkit.schema.SchemaSnapshot schema = c.schema();
        int wanted = request.offset() + request.limit();
        List<Record> rows = new ArrayList<>();
        long total = 0;
        try (StorageTransaction tx = s.begin()) {
            for (TypeScope scope : request.scopes()) {
                Filter filter = Filters.and(scope.filter(), matching(schema, scope, request.terms()));
                StorageQuery query = StorageQuery.resolve(schema, scope.type().name(), filter,
                        List.of(Sort.desc("updated_at"), Sort.asc("id")), wanted, null, Query.Deleted.EXCLUDE);
                total += tx.count(scope.type().name(), new ResolvedFilter(filter, query.paths()),
                        Query.Deleted.EXCLUDE);
                rows.addAll(tx.query(scope.type().name(), query));
            }
            rows.sort(Comparator.comparing(Record::updatedAt).reversed().thenComparing(Record::id));
            List<Record> page = rows.subList(Math.min(request.offset(), rows.size()), Math.min(wanted, rows.size()));
            Map<Key, Record> referenced = referenced(schema, tx, request.scopes(), page);
            List<Hit> hits = new ArrayList<>();
            for (Record r : page) {
                TypeScope scope = request.scopes().stream().filter(x -> x.type().name().equals(r.type()))
                        .findFirst().orElseThrow();
                hits.add(hit(schema, scope, r, referenced, request.terms()));
            }
            return new SearchResponse(hits, total, true);
        }
    }

    /** Every term in some visible searchable field or referenced name. */
    private static Filter matching(org.crmkit.schema.SchemaSnapshot schema, TypeScope scope,
            List<SearchTerms.Term> terms) {
        ObjectType type = scope.type();
        List<Filter> all = new ArrayList<>();
        for (SearchTerms.Term term : terms) {
            List<Filter> any = new ArrayList<>();
            for (String name : scope.fields()) {
                Field f = type.findField(name).orElseThrow();
                boolean phone = SearchFields.role(type, f) == SearchFields.Role.PHONE;
                if (phone && term.digits() != null) {
                    any.add(Filters.where(name).contains(term.digits().startsWith("0") ? term.digits().substring(1)
                            : term.digits()));
                } else if (!phone) {
                    any.add(Filters.where(name).contains(term.raw()));
                }
            }
            for (TypeScope.Reference ref : scope.references()) {
                // the referenced type's name fields (the engine checked they are visible), of a referenced record
                // inside the caller's scope
                ObjectType target = target(schema, type, ref);
                for (Field nameField : SearchFields.nameFields(target)) {
                    Filter name = Filters.where(ref.field() + "." + nameField.name()).contains(term.raw());
                    any.add(ref.unrestricted() ? name : Filters.and(QueryPlanner.prefixed(ref.scope(),
                            ref.field() + "."), name));
                }
            }
            all.add(any.isEmpty() ? new Filter.Not(Filter.ALL) : any.size() == 1 ? any.get(0) : new Filter.Or(any));
        }
        return all.size() == 1 ? all.get(0) : new Filter.And(all);
    }

    private static ObjectType target(org.crmkit.schema.SchemaSnapshot schema, ObjectType type,
            TypeScope.Reference ref) {
        Field f = type.findField(ref.field()).orElseThrow();
        return schema.findObjectType(java.util.Objects.requireNonNull(f.target())).orElseThrow();
    }

    /**
     * The live records the page's searchable references point at, each read with the caller's scope on its type:
     * one query per type and reference; a record outside the scope is not among them.
     */
    private static Map<Key, Record> referenced(org.crmkit.schema.SchemaSnapshot schema, StorageTransaction tx,
            List<TypeScope> scopes, List<Record> page) {
        Map<Key, Record> out = new HashMap<>();
        for (TypeScope scope : scopes) {
            for (TypeScope.Reference ref : scope.references()) {
                List<UUID> ids = page.stream().filter(r -> r.type().equals(scope.type().name()))
                        .map(r -> r.get(ref.field())).filter(UUID.class::isInstance).map(UUID.class::cast).distinct()
                        .toList();
                if (ids.isEmpty()) {
                    continue;
                }
                Filter filter = Filters.where("id").in(ids);
                ObjectType target = target(schema, scope.type(), ref);
                for (Record t : tx.query(target.name(), StorageQuery.resolve(schema, target.name(),
                        ref.unrestricted() ? filter : Filters.and(ref.scope(), filter), List.of(Sort.asc("id")),
                        ids.size(), null, Query.Deleted.EXCLUDE))) {
                    // kept per referrer type and field: another reference may see the same record under another scope
                    out.put(key(scope, ref, t.id()), t);
                }
            }
        }
        return out;
    }

    /** A hit from the visible fields, the visible name fields and the referenced records inside the caller's scope. */
    private static Hit hit(org.crmkit.schema.SchemaSnapshot schema, TypeScope scope, Record r,
            Map<Key, Record> referenced, List<SearchTerms.Term> terms) {
        ObjectType type = scope.type();
        List<Highlight> highlights = new ArrayList<>();
        for (String name : scope.fields()) {
            Field f = type.findField(name).orElseThrow();
            SearchFields.text(r, f).flatMap(text -> HIGHLIGHTER.highlight(name, text, SearchFields.role(type, f),
                    terms)).ifPresent(highlights::add);
        }
        for (TypeScope.Reference ref : scope.references()) {
            Record t = r.get(ref.field()) instanceof UUID id ? referenced.get(key(scope, ref, id)) : null;
            if (t != null) {
                ObjectType target = target(schema, type, ref);
                SearchFields.name(SearchFields.nameFields(target).stream().map(Field::name).toList(), t::get)
                        .flatMap(text -> HIGHLIGHTER.highlight(ref.field(), text, SearchFields.referenceRole(
                                type.findField(ref.field()).orElseThrow()), terms))
                        .ifPresent(highlights::add);
            }
        }
        return new Hit(type.name(), r.id(), r.version(), scope.title(r::get, r.id()), 1.0, MatchKind.CONTAINS,
                highlights);
    }

    /** A referenced record as one reference of one type reached it. */
    private record Key(String type, String field, UUID id) {}

    private static Key key(TypeScope scope, TypeScope.Reference ref, UUID id) {
        return new Key(scope.type().name(), ref.field(), id);
    }

    @Override
    public long appliedSequence() {
        return java.util.Objects.requireNonNull(context, "not started").storage().lastSequence();
    }

    @Override
    public boolean awaitSequence(long sequence, Duration timeout) {
        return true;
    }

    @Override
    public void rebuild(Consumer<RebuildProgress> progress) {
        progress.accept(new RebuildProgress("", 0, 0, true));
    }

    @Override
    public void close() {}
}
