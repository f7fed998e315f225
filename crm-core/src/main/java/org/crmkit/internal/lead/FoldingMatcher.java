package org.crmkit.internal.lead;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.crmkit.CrmSession;
import org.crmkit.internal.duplicate.Keys;
import org.crmkit.query.Filter;
import org.crmkit.query.Filters;
import org.crmkit.query.Page;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.search.support.SearchTerms;
import org.jspecify.annotations.Nullable;

/**
 * The exact {@link ConversionMatcher} that {@link RuleMatcher} tries first: a company whose name equals the new one folded (case, accents and
 * ligatures ignored, as search folds them: "ACME Café" matches "acme cafe"), a contact whose email equals the new one
 * ignoring case. Candidates come from the storage by case-insensitive substring of three-letter pieces of the
 * name (or of the whole address), then are compared exactly, oldest first; so a name whose every three letters hold
 * an accent written differently in the stored one may be missed. Only records the principal may read are looked at.
 */
final class FoldingMatcher implements ConversionMatcher {
    /** How many pieces of a name the candidate query asks for at most. */
    private static final int MAX_PIECES = 8;

    @Override
    public Optional<Record> company(CrmSession session, Map<String, Object> values) {
        if (!(values.get("name") instanceof String name) || name.isBlank()) {
            return Optional.empty();
        }
        String folded = fold(name);
        List<Filter> pieces = new ArrayList<>();
        for (String piece : pieces(name)) {
            pieces.add(Filters.where("name").contains(piece));
        }
        if (pieces.isEmpty()) {
            return Optional.empty();
        }
        Filter candidates = pieces.size() == 1 ? pieces.get(0) : Filters.or(pieces.toArray(Filter[]::new));
        return first(session, "company", candidates, r -> r.get("name") instanceof String n && fold(n).equals(folded));
    }

    @Override
    public Optional<Record> contact(CrmSession session, Map<String, Object> values) {
        if (!(values.get("email") instanceof String email) || email.isBlank()) {
            return Optional.empty();
        }
        String wanted = email.strip().toLowerCase(Locale.ROOT);
        return first(session, "contact", Filters.where("email").contains(email.strip()),
                r -> r.get("email") instanceof String e && e.toLowerCase(Locale.ROOT).equals(wanted));
    }

    private static Optional<Record> first(CrmSession session, String type, Filter filter, Predicate<Record> match) {
        Query q = Query.where(filter).limit(Query.MAX_LIMIT);
        while (q != null) {
            Page<Record> page = session.records(type).query(q);
            for (Record r : page.items()) {
                if (match.test(r)) {
                    return Optional.of(r);
                }
            }
            q = page.nextQuery().orElse(null);
        }
        return Optional.empty();
    }

    static String fold(String s) {
        return String.join(" ", SearchTerms.fold(s).split("[^\\p{L}\\p{N}]+")).strip();
    }

    /** The pieces of the name a case-insensitive substring filter finds it by ({@link Keys#pieces}). */
    static Set<String> pieces(String name) {
        return Keys.pieces(Keys.writtenWords(name), MAX_PIECES);
    }
}
