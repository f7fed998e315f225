/** Records and the value types of their fields. */
@NullMarked
package org.crmkit.record;

import org.jspecify.annotations.NullMarked;
