package org.crmkit.search;

import org.crmkit.annotations.Incubating;

/** How a search term matched a record, from the strongest to the weakest; hits rank in this order. */
@Incubating
public enum MatchKind {
    /** The word itself (case and accents aside), or a whole email address or phone number. */
    EXACT,
    /** The beginning of a word, email address or phone number (type-ahead), or the last digits of a phone. */
    PREFIX,
    /** The word with one or two typing errors. */
    FUZZY,
    /** A word that sounds the same (Jon and John, Meyer and Maier). */
    PHONETIC,
    /** A substring of the text (search through the storage, without a search engine). */
    CONTAINS
}
