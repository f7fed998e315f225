package org.crmkit.search.lucene.internal;

/**
 * The names of the index's fields: one document per live record, with these fields. This layout is what
 * docs/search.md documents for people who open the index with Lucene tools.
 *
 * <ul>
 *   <li>{@code _id} (keyword, stored, and binary doc values: a hit's id without the stored fields), {@code _type}
 *       (keyword, stored), {@code _version} (stored), {@code title.f} (stored: the
 *       value of each name field {@code f}; a hit's title is made per caller of the name fields they see),
 *       {@code _owner}, {@code _team}, {@code _created_by}, {@code _updated_by} (keyword),
 *       {@code _created_at}, {@code _updated_at} (long points, epoch microseconds), {@code _features} (feature
 *       {@code recency}: days since 2000 of the last update), {@code _has} (keyword: each indexed field that holds a value).</li>
 *   <li>For each searchable field {@code f}: {@code v.f} (stored text) and, by role, {@code t.f} (folded words),
 *       {@code p.f} (their prefixes), {@code e.f} (an email whole, local part and domain: prefix queries find its
 *       beginning), {@code d.f} (a phone's digits in E.164 and national forms), {@code ds.f} (its last
 *       digits, 4 and more), {@code ph.f} (Double Metaphone codes of names and company names), {@code dl.f} (a name's words of three letters or
 *       more, and the words one letter shorter that those of four or more hold; {@code cdl.f} for company names). A searchable reference {@code r} indexes the referenced record's name the same way
 *       under {@code t.r}, {@code p.r}, stored as {@code v.r}, and the referenced record's owner and team under
 *       {@code r.r._owner}, {@code r.r._team} (keyword; {@code r.r._has} holds {@code team} when it has one), so
 *       that the caller's scope on the referenced record applies inside the query. Company names use {@code ct.f} and {@code cp.f}
 *       instead, without legal suffixes (Inc, Ltd, GmbH...).</li>
 *   <li>{@code all.t} and {@code all.ph}: the folded words and their Double Metaphone codes of every short text
 *       (names, companies, other text, email words, referenced names), {@code all.long} the words of free text, {@code all.tri} the letter trigrams of names and company names:
 *       typo and sound matching runs on these few fields.</li>
 *   <li>For each indexed field {@code f}: {@code f.f} (keyword: text, picklist, email, phone, URL, boolean,
 *       reference) or {@code n.f} (long point: integer, decimal as its unscaled value, date as epoch day, datetime
 *       as epoch microseconds).</li>
 * </ul>
 */
final class IndexFields {
    static final String ID = "_id";
    static final String TYPE = "_type";
    static final String VERSION = "_version";
    static final String OWNER = "_owner";
    static final String TEAM = "_team";
    static final String CREATED_BY = "_created_by";
    static final String UPDATED_BY = "_updated_by";
    static final String CREATED_AT = "_created_at";
    static final String UPDATED_AT = "_updated_at";
    static final String HAS = "_has";

    static final String ALL_WORDS = "all.t";
    static final String ALL_PHONETIC = "all.ph";
    static final String ALL_LONG = "all.long";
    /** Letter trigrams of names and company names, for the last resort when words match by no other way. */
    static final String ALL_TRIGRAMS = "all.tri";

    private IndexFields() {}

    static String stored(String field) {
        return "v." + field;
    }

    /** Folded words; company names ({@code company} true) without legal suffixes, under {@code ct.f}. */
    static String words(String field, boolean company) {
        return (company ? "ct." : "t.") + field;
    }

    /** Prefixes of the folded words; {@code cp.f} for company names. */
    static String prefixes(String field, boolean company) {
        return (company ? "cp." : "p.") + field;
    }

    /**
     * The typo keys of the folded words of a name (each word and the words one letter shorter it holds,
     * {@link Analysis#typoKeys}), {@code cdl.f} for company names without legal suffixes: a duplicate check finds a
     * typo by a few exact terms of these.
     */
    static String typoKeys(String field, boolean company) {
        return (company ? "cdl." : "dl.") + field;
    }

    /** Double Metaphone codes of a name or company name (for callers who do not see every field). */
    static String phonetic(String field) {
        return "ph." + field;
    }

    static String email(String field) {
        return "e." + field;
    }

    static String digits(String field) {
        return "d." + field;
    }

    static String digitSuffixes(String field) {
        return "ds." + field;
    }

    /** The exact-value tokens of an encrypted searchable field (no text of it is indexed). */
    static String exact(String field) {
        return "x." + field;
    }

    static String keyword(String field) {
        return "f." + field;
    }

    static String number(String field) {
        return "n." + field;
    }

    /**
     * The owner or team (or {@code _has}: {@code team} when it has one) of the record a searchable reference
     * {@code reference} points at, held on the referrer's document so that the caller's scope on the referenced
     * record applies inside the query: {@code r.company._owner}.
     */
    static String referenced(String reference, String property) {
        return "r." + reference + "." + (property.startsWith("_") ? property : "_" + property);
    }

    /** The stored value of a name field, from which each caller's title is made of the name fields they see. */
    static String name(String field) {
        return "title." + field;
    }

    /** The index field of a system property a filter names. */
    static String property(String property) {
        return "_" + property;
    }
}
