/** Markers of API stability: {@link org.crmkit.annotations.Incubating} and {@link org.crmkit.annotations.Internal}. */
@NullMarked
package org.crmkit.annotations;

import org.jspecify.annotations.NullMarked;
