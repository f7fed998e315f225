/** The change log: every committed change, in order, and listeners called after commit. */
@NullMarked
package org.crmkit.event;

import org.jspecify.annotations.NullMarked;
