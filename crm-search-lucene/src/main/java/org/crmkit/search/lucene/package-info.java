/**
 * Typo-tolerant search for CRMKit on an embedded Lucene index kept in step with the change log:
 * {@code Crm.builder().search(LuceneSearch.at(path))}.
 */
@NullMarked
package org.crmkit.search.lucene;

import org.jspecify.annotations.NullMarked;
