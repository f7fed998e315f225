/**
 * What a host implements to let {@code JdbcStorage} join its own transactions ({@link
 * org.crmkit.storage.jdbc.spi.HostConnections}).
 */
@NullMarked
package org.crmkit.storage.jdbc.spi;

import org.jspecify.annotations.NullMarked;
