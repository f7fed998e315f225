/**
 * What a search engine implements ({@link SearchBackend}) and what it is handed: a checked {@link SearchRequest}
 * whose {@link TypeScope}s carry the access the engine in {@code crm-core} decided (types, scope, hidden fields).
 * The helpers every engine uses so that they agree on what a search means live in
 * {@link org.crmkit.search.support}.
 */
@NullMarked
package org.crmkit.search.spi;

import org.jspecify.annotations.NullMarked;
