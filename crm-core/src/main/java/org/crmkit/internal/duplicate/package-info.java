/**
 * Duplicate detection's engine-independent parts: value normalisation, similarity per match method, scoring, the
 * built-in rules of the standard types, rule checks and clustering.
 */
@NullMarked
package org.crmkit.internal.duplicate;

import org.jspecify.annotations.NullMarked;
