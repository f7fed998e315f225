/**
 * Roll-up fields at work: recalculating a roll-up field ({@link org.crmkit.schema.Field#rollup}) on every record
 * of its type in the background, with progress, as the engine does when such a field is added or changed.
 */
@NullMarked
package org.crmkit.rollup;

import org.jspecify.annotations.NullMarked;
