/**
 * Concrete helpers every search engine uses so that engines agree on what a search means: which fields are searched
 * and how ({@link SearchFields}), how typed text splits into terms ({@link SearchTerms}) and how matches are marked
 * ({@link MatchHighlighter}). Not an SPI to implement: classes to call.
 */
@NullMarked
package org.crmkit.search.support;

import org.jspecify.annotations.NullMarked;
