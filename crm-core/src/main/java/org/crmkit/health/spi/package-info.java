/** What a plug-in implements to add a part to the {@code Crm}'s health check. */
@NullMarked
package org.crmkit.health.spi;

import org.jspecify.annotations.NullMarked;
