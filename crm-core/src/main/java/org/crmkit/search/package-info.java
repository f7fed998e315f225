/**
 * Search across records: {@link org.crmkit.CrmSession#search(SearchQuery)} finds records by what a person types
 * ("jon smiht acme"), within the caller's access, and says what matched.
 */
@Incubating
@NullMarked
package org.crmkit.search;

import org.crmkit.annotations.Incubating;
import org.jspecify.annotations.NullMarked;
