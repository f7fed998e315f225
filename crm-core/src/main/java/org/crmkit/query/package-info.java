/** The query model: filters, sorts, keyset pages and aggregates, translated by every storage the same way. */
@NullMarked
package org.crmkit.query;

import org.jspecify.annotations.NullMarked;
