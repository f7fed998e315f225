/**
 * Internal: compiling and running CEL programs for rules and validation within a cost budget. Not API.
 */
@NullMarked
package org.crmkit.internal.cel;

import org.jspecify.annotations.NullMarked;
