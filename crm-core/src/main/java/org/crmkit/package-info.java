/** The entry point: {@link org.crmkit.Crm}, its builder, sessions and record sets. */
@NullMarked
package org.crmkit;

import org.jspecify.annotations.NullMarked;
