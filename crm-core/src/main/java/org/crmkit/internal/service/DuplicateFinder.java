package org.crmkit.internal.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.duplicate.DuplicateCandidate;
import org.crmkit.duplicate.DuplicateRules;
import org.crmkit.duplicate.FieldMatch;
import org.crmkit.error.ValidationException;
import org.crmkit.internal.duplicate.Scorer;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.crmkit.search.Hit;
import org.crmkit.search.SearchQuery;
import org.crmkit.search.spi.CandidateRequest;
import org.crmkit.storage.spi.StorageQuery;
import org.jspecify.annotations.Nullable;

/**
 * Finds the existing records that duplicate some values, for one caller: the type's matching rules narrowed to the
 * fields the caller may see (a hidden field is not used for that caller's matching at all, so it can neither add
 * to a score nor be named as matched), candidates fetched among the live records in the caller's scope, each scored
 * on its stored values with {@link Scorer}, those reaching the threshold returned as the caller may see them.
 *
 * <p>Candidates come from {@link DuplicateKeys}: through the search engine when one is installed (typo-tolerant,
 * for the rule fields it indexes, in one {@link CandidateRequest} of ids only; it sees what the index holds, which
 * follows commits within moments), and through
 * the storage otherwise or for fields the engine does not index (blocking filters on the normalised keys, at most
 * {@value DuplicateKeys#STORAGE_LIMIT} records, seeing the caller's own transaction). Both paths score alike, so they
 * answer alike whenever both fetch the same duplicates.
 */
final class DuplicateFinder {
    /** The most candidates an answer holds. */
    static final int MAX_CANDIDATES = 20;
    /** The field types whose stored value is a single text the index holds as written. */
    private static final java.util.Set<org.crmkit.schema.FieldType> PRESCREENED = java.util.EnumSet.of(
            org.crmkit.schema.FieldType.TEXT, org.crmkit.schema.FieldType.LONG_TEXT, org.crmkit.schema.FieldType.EMAIL,
            org.crmkit.schema.FieldType.PHONE, org.crmkit.schema.FieldType.URL);

    private final CrmEngine engine;

    DuplicateFinder(CrmEngine engine) {
        this.engine = engine;
    }

    /** The type's rules narrowed to the fields {@code access} may see; empty when nothing is left to compare. */
    static Optional<DuplicateRules> visibleRules(ObjectType type, Access access) {
        return SchemaService.effectiveDuplicateRules(type).flatMap(rules -> {
            List<FieldMatch> seen = rules.fields().stream().filter(f -> type.findField(f.field()).isPresent()
                    && access.canSee(f.field())).toList();
            return seen.isEmpty() ? Optional.empty()
                    : Optional.of(new DuplicateRules(seen, rules.threshold(), rules.minimumWeight(), rules.mode()));
        });
    }

    /**
     * The candidates for {@code probe} (stored values by field), best first, leaving out {@code self} (the record
     * being updated). {@code see} turns a stored record into what the caller may see.
     */
    List<DuplicateCandidate> find(Tx tx, Access access, CompiledSchema cs, ObjectType type, DuplicateRules rules,
            Map<String, ?> probe, UUID self, java.util.function.Function<Record, Record> see) {
        Map<UUID, Record> found = new LinkedHashMap<>();
        DuplicateKeys keys = new DuplicateKeys(type, rules, probe);
        // while the engine's index is unhealthy, current() is the storage search: every rule field through the storage
        org.crmkit.search.spi.SearchBackend searchBy = engine.search.current();
        boolean engineSearch = !(searchBy instanceof StorageSearch);
        List<Field> byStorage = new ArrayList<>();
        for (FieldMatch m : rules.fields()) {
            Field f = type.findField(m.field()).orElseThrow();
            if (engineSearch && f.searchable()) {
                continue;
            }
            byStorage.add(f);
        }
        if (engineSearch) {
            java.util.Set<UUID> hits = new java.util.LinkedHashSet<>(engineCandidates(searchBy, access, type,
                    keys, prescreen(type, rules, probe)));
            hits.remove(self);
            if (!hits.isEmpty()) { // one storage query for every hit, read as they are now, within the scope
                org.crmkit.query.Filter byId = org.crmkit.query.Filters.where("id").in(List.copyOf(hits));
                org.crmkit.query.Filter scope = access.scopeFilter();
                StorageQuery q = StorageQuery.resolve(cs.snapshot, type.name(), scope == null ? byId
                        : org.crmkit.query.Filters.and(scope, byId), List.of(Sort.asc("id")), hits.size(), null,
                        Query.Deleted.EXCLUDE);
                tx.storage.query(type.name(), q).forEach(r -> found.put(r.id(), r));
            }
        }
        keys.storageFilter(byStorage, access.scopeFilter()).ifPresent(filter -> {
            StorageQuery q = StorageQuery.resolve(cs.snapshot, type.name(), filter, List.of(Sort.asc("id")),
                    DuplicateKeys.STORAGE_LIMIT, null, Query.Deleted.EXCLUDE);
            tx.storage.query(type.name(), q).forEach(r -> found.putIfAbsent(r.id(), r));
        });
        found.remove(self);
        Scorer scorer = new Scorer(rules);
        List<DuplicateCandidate> out = new ArrayList<>();
        for (Record r : found.values()) {
            Scorer.Score s = scorer.score(probe, r.values());
            if (s.isDuplicate(rules)) {
                out.add(new DuplicateCandidate(see.apply(r), Math.min(1, s.score()), s.matched()));
            }
        }
        out.sort(Comparator.comparingDouble(DuplicateCandidate::score).reversed()
                .thenComparing(c -> c.record().id()));
        return out.size() > MAX_CANDIDATES ? List.copyOf(out.subList(0, MAX_CANDIDATES)) : out;
    }

    /**
     * The search engine's candidates for the probe: one candidate query when the engine has one, else one search
     * per name and value ({@link DuplicateKeys#searchTexts}).
     */
    private java.util.Collection<UUID> engineCandidates(org.crmkit.search.spi.SearchBackend searchBy, Access access,
            ObjectType type, DuplicateKeys keys,
            CandidateRequest.@Nullable Prescreen prescreen) {
        org.crmkit.query.Filter scope = access.scopeFilter();
        CandidateRequest asked = keys.candidates(Field::searchable, scope == null ? org.crmkit.query.Filter.ALL
                : scope, DuplicateKeys.CANDIDATE_LIMIT).map(r -> r.withPrescreen(prescreen)).orElse(null);
        if (asked == null) {
            return List.of();
        }
        Optional<List<UUID>> ids;
        try {
            ids = searchBy.candidates(asked);
        } catch (org.crmkit.error.CrmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new org.crmkit.error.StorageException("the duplicate check's search failed in " + searchBy.name()
                    + ": " + e, e);
        }
        if (ids.isPresent()) {
            return ids.get();
        }
        java.util.Set<UUID> hits = new java.util.LinkedHashSet<>();
        for (String text : keys.searchTexts(Field::searchable)) {
            hits.addAll(searchIds(access, type, text));
        }
        return hits;
    }

    /**
     * The scoring {@link #find} runs on each candidate, offered to the search engine to run on the values its index
     * holds, so that it need not name candidates that cannot be duplicates (they are then not read from the storage).
     * Only when every rule field is searchable (the index holds its value) and a single text whose similarity reads
     * it as written; null otherwise. An index that lags the storage may leave out a record whose new values would
     * match, as its candidate query may anyway.
     */
    static CandidateRequest.@Nullable Prescreen prescreen(ObjectType type, DuplicateRules rules, Map<String, ?> probe) {
        java.util.Set<String> fields = new java.util.HashSet<>();
        for (FieldMatch m : rules.fields()) {
            Field f = type.findField(m.field()).orElse(null);
            if (f == null || !f.searchable() || !PRESCREENED.contains(f.type())) {
                return null;
            }
            fields.add(f.name());
        }
        Scorer scorer = new Scorer(rules);
        return new CandidateRequest.Prescreen(fields, values -> scorer.score(probe, values).isDuplicate(rules));
    }

    /** The ids the search engine finds for {@code text} among what the caller may search; none for text it refuses. */
    private List<UUID> searchIds(Access access, ObjectType type, String text) {
        try {
            return engine.search.search(access.principal(), SearchQuery.of(text).types(type.name())
                    .limit(DuplicateKeys.SEARCH_LIMIT)).hits().stream().map(Hit::id).toList();
        } catch (ValidationException e) {
            return List.of(); // no letter or digit, too many words: nothing to find by it
        }
    }
}
