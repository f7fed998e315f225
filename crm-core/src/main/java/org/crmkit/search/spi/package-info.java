/**
 * What a search engine implements ({@link SearchBackend}) and the helpers every engine uses so that they agree on
 * what a search means: which fields are searched and how ({@link SearchFields}), how typed text splits into terms
 * ({@link SearchTerms}) and how matches are marked ({@link MatchHighlighter}). The engine in {@code crm-core}
 * decides access (types, scope, hidden fields) and hands each engine a checked {@link SearchRequest}.
 */
@NullMarked
package org.crmkit.search.spi;

import org.jspecify.annotations.NullMarked;
