/**
 * The storage SPI: what a storage backend implements ({@link org.crmkit.storage.spi.Storage}) and the helpers
 * every backend shares to interpret filter paths and compare values the same way.
 */
@NullMarked
package org.crmkit.storage.spi;

import org.jspecify.annotations.NullMarked;
