/**
 * Search across records: {@link org.crmkit.CrmSession#search(SearchQuery)} finds records by what a person types
 * ("jon smiht acme"), within the caller's access, and says what matched.
 */
@NullMarked
package org.crmkit.search;

import org.jspecify.annotations.NullMarked;
