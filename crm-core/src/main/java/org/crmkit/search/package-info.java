/**
 * Search across records: {@link org.crmkit.CrmSession#search(SearchQuery)} finds records by what a person types
 * ("jon smiht acme"), within the caller's access, and says what matched.
 *
 * <p>Incubating: every type of this package is marked {@link org.crmkit.annotations.Incubating} one by one. The
 * package itself is not, because the API check (japicmp) extends a package's mark to its subpackages, and
 * {@code search.spi} and {@code search.support} are SPI, checked like any other (docs/compatibility.md).
 */
@NullMarked
package org.crmkit.search;

import org.jspecify.annotations.NullMarked;
