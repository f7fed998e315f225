/** Internal: how a lead is converted (the steps, the matching of existing records). Not API. */
@NullMarked
package org.crmkit.internal.lead;

import org.jspecify.annotations.NullMarked;
