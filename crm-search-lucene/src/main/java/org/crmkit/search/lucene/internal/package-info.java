/** The Lucene engine behind {@link org.crmkit.search.lucene.LuceneSearch}; not an API. */
@NullMarked
package org.crmkit.search.lucene.internal;

import org.jspecify.annotations.NullMarked;
