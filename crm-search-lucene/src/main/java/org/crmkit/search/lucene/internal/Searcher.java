package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.BytesRef;
import org.crmkit.error.StorageException;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.search.Highlight;
import org.crmkit.search.Hit;
import org.crmkit.search.MatchKind;
import org.crmkit.search.SearchResult;
import org.crmkit.search.support.MatchHighlighter;
import org.crmkit.search.support.SearchFields;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.search.spi.SearchRequest;
import org.crmkit.search.spi.SearchResponse;
import org.crmkit.search.spi.TypeScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a {@link SearchRequest} from the index: builds the query of its terms inside the caller's scopes (with
 * {@link QueryFactory} and {@link FilterQueries}), runs it on a near-real-time searcher, and makes each hit only
 * of what the caller may see (title, highlights, match kind). Thread-safe.
 */
final class Searcher {
    private static final Logger LOG = LoggerFactory.getLogger(Searcher.class);

    private final IndexStore store;
    private final Supplier<SchemaSnapshot> schema;
    private final QueryFactory queries;
    private final CandidateQuery candidates;
    private final MatchHighlighter highlighter;

    private final DocumentMapper.Tokens tokens;

    Searcher(IndexStore store, Supplier<SchemaSnapshot> schema, Analysis analysis, DocumentMapper.Tokens tokens) {
        this.store = store;
        this.tokens = tokens;
        this.schema = schema;
        this.queries = new QueryFactory(analysis, new Typos());
        this.candidates = new CandidateQuery(analysis);
        this.highlighter = MatchHighlighter.words(analysis::primaryCode);
    }

    /**
     * The ids of a duplicate check's candidates, best first: only the id is read of a hit, and the values its
     * prescreen reads, if it has one.
     */
    List<UUID> candidates(CandidateRequest request) {
        IndexSearcher searcher = acquire();
        try {
            Query query = candidates.of(request, searcher).orElse(null);
            if (query == null) {
                return List.of();
            }
            // no total is wanted: counting stops at the limit, so that once the best ones are found the rest of the
            // lists is skipped where it cannot score higher (the same ids as a full count, ties by doc id as ever)
            int limit = request.limit();
            ScoreDoc[] hits = searcher.search(query, new TopScoreDocCollectorManager(limit, null, limit)).scoreDocs;
            CandidateRequest.Prescreen prescreen = request.prescreen();
            return HitIds.of(searcher, prescreen == null ? hits : prescreened(searcher, hits, prescreen));
        } catch (IOException e) {
            throw new StorageException("search in the Lucene index failed: " + e, e);
        } finally {
            release(searcher);
        }
    }

    /** The hits whose stored values ({@code v.f}) the prescreen's test lets through. */
    private static ScoreDoc[] prescreened(IndexSearcher searcher, ScoreDoc[] hits, CandidateRequest.Prescreen prescreen)
            throws IOException {
        Set<String> load = new HashSet<>();
        prescreen.fields().forEach(f -> load.add(IndexFields.stored(f)));
        StoredFields stored = searcher.storedFields();
        List<ScoreDoc> kept = new ArrayList<>(hits.length);
        for (ScoreDoc hit : hits) {
            Document doc = stored.document(hit.doc, load);
            Map<String, String> values = new HashMap<>();
            for (String f : prescreen.fields()) {
                String v = doc.get(IndexFields.stored(f));
                if (v != null) {
                    values.put(f, v);
                }
            }
            if (prescreen.test().test(values)) {
                kept.add(hit);
            }
        }
        return kept.toArray(ScoreDoc[]::new);
    }

    SearchResponse search(SearchRequest request) {
        List<QueryFactory.Group> groups = queries.groups(schema.get(), request);
        IndexSearcher searcher = acquire();
        try {
            TopDocs top = run(searcher, groups, request, 0);
            if (top.totalHits.value() == 0 && request.terms().size() > 1) {
                top = run(searcher, groups, request, 1);
            }
            return new SearchResponse(hits(searcher, top, request), top.totalHits.value(),
                    top.totalHits.relation() == TotalHits.Relation.EQUAL_TO);
        } catch (IOException e) {
            throw new StorageException("search in the Lucene index failed: " + e, e);
        } finally {
            release(searcher);
        }
    }

    private IndexSearcher acquire() {
        try {
            return store.acquire();
        } catch (IOException e) {
            throw new StorageException("cannot open the search index: " + e, e);
        }
    }

    private void release(IndexSearcher searcher) {
        try {
            store.release(searcher);
        } catch (IOException e) {
            LOG.debug("releasing a searcher failed", e);
        }
    }

    private TopDocs run(IndexSearcher searcher, List<QueryFactory.Group> groups, SearchRequest request, int slack)
            throws IOException {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (QueryFactory.Group g : groups) {
            BooleanQuery.Builder scopes = new BooleanQuery.Builder();
            for (TypeScope s : g.scopes()) {
                scopes.add(new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(IndexFields.TYPE, s.type().name())), Occur.FILTER)
                        .add(new FilterQueries(s.type()).query(s.filter()), Occur.FILTER).build(), Occur.SHOULD);
            }
            any.add(new BooleanQuery.Builder().add(queries.text(g, request.terms(), slack), Occur.MUST)
                    .add(scopes.setMinimumNumberShouldMatch(1).build(), Occur.FILTER).build(), Occur.SHOULD);
        }
        exact(any, request);
        Query query = new BooleanQuery.Builder().add(any.setMinimumNumberShouldMatch(1).build(), Occur.MUST)
                .add(Recency.query(), Occur.SHOULD).build();
        int wanted = request.offset() + request.limit();
        return searcher.search(query, new TopScoreDocCollectorManager(wanted, null,
                Math.max(SearchResult.EXACT_TOTAL_UP_TO, wanted)));
    }

    /**
     * The encrypted fields the caller sees, matched by the exact-value token of the whole search text: one clause per
     * type, inside its scope.
     */
    private void exact(BooleanQuery.Builder any, SearchRequest request) {
        for (TypeScope s : request.scopes()) {
            BooleanQuery.Builder fields = new BooleanQuery.Builder();
            int n = 0;
            for (String f : s.exactFields()) {
                String token = tokens.token(s.type().name(), f, request.text()).orElse(null);
                if (token != null) {
                    fields.add(new TermQuery(new Term(IndexFields.exact(f), token)), Occur.SHOULD);
                    n++;
                }
            }
            if (n > 0) {
                any.add(new BooleanQuery.Builder().add(fields.build(), Occur.MUST)
                        .add(new TermQuery(new Term(IndexFields.TYPE, s.type().name())), Occur.FILTER)
                        .add(new FilterQueries(s.type()).query(s.filter()), Occur.FILTER).build(), Occur.SHOULD);
            }
        }
    }

    /**
     * The page of hits, each made only of what the caller may see: the title of their visible name fields, the
     * highlights of their visible fields and of referenced records inside their scope, the match kind of those.
     */
    private List<Hit> hits(IndexSearcher searcher, TopDocs top, SearchRequest request) throws IOException {
        Map<String, TypeScope> scopes = new HashMap<>();
        request.scopes().forEach(s -> scopes.put(s.type().name(), s));
        StoredFields stored = searcher.storedFields();
        ScoreDoc[] docs = top.scoreDocs;
        List<Document> page = new ArrayList<>();
        for (int i = request.offset(); i < docs.length; i++) {
            page.add(stored.document(docs[i].doc));
        }
        Set<String> inScope = referencesInScope(searcher, scopes, page);
        List<Hit> out = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Document d = page.get(i);
            TypeScope scope = scopes.get(d.get(IndexFields.TYPE));
            if (scope == null) {
                continue;
            }
            UUID id = UUID.fromString(d.get(IndexFields.ID));
            List<Highlight> highlights = highlights(scope, d, request, inScope);
            MatchKind kind = MatchHighlighter.strongest(highlights);
            out.add(new Hit(scope.type().name(), id, d.getField(IndexFields.VERSION).numericValue().longValue(),
                    scope.title(name -> d.get(IndexFields.name(name)), id), docs[request.offset() + i].score,
                    kind == null ? MatchKind.PHONETIC : kind, highlights));
        }
        return out;
    }

    /**
     * Of the page's documents, which scoped references point at a record inside the caller's scope, as
     * {@code id/reference}: one query per type and scoped reference, the same scope query the search ran.
     */
    private static Set<String> referencesInScope(IndexSearcher searcher, Map<String, TypeScope> scopes,
            List<Document> page) throws IOException {
        Set<String> out = new HashSet<>();
        for (TypeScope scope : scopes.values()) {
            List<BytesRef> ids = page.stream()
                    .filter(d -> scope.type().name().equals(d.get(IndexFields.TYPE)))
                    .map(d -> new BytesRef(d.get(IndexFields.ID))).toList();
            if (ids.isEmpty()) {
                continue;
            }
            for (TypeScope.Reference ref : scope.references()) {
                if (ref.unrestricted()) {
                    continue;
                }
                Query q = new BooleanQuery.Builder()
                        .add(new TermInSetQuery(IndexFields.ID, ids), Occur.FILTER)
                        .add(FilterQueries.ofReference(ref.field()).query(ref.scope()), Occur.FILTER).build();
                StoredFields stored = searcher.storedFields();
                for (ScoreDoc sd : searcher.search(q, ids.size()).scoreDocs) {
                    out.add(stored.document(sd.doc, Set.of(IndexFields.ID)).get(IndexFields.ID) + "/" + ref.field());
                }
            }
        }
        return out;
    }

    private List<Highlight> highlights(TypeScope scope, Document d, SearchRequest request, Set<String> inScope) {
        ObjectType type = scope.type();
        List<Highlight> out = new ArrayList<>();
        for (String n : scope.fields()) {
            highlight(out, n, SearchFields.role(type, type.findField(n).orElseThrow()), d, request);
        }
        for (TypeScope.Reference ref : scope.references()) {
            if (ref.unrestricted() || inScope.contains(d.get(IndexFields.ID) + "/" + ref.field())) {
                highlight(out, ref.field(), SearchFields.referenceRole(type.findField(ref.field()).orElseThrow()), d,
                        request);
            }
        }
        return out;
    }

    private void highlight(List<Highlight> out, String field, SearchFields.Role role, Document d,
            SearchRequest request) {
        String text = d.get(IndexFields.stored(field));
        if (text != null) {
            highlighter.highlight(field, text, role, request.terms()).ifPresent(out::add);
        }
    }
}
