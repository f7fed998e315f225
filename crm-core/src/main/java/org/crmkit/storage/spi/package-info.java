/**
 * The storage SPI: what a storage backend implements ({@link org.crmkit.storage.spi.Storage}) and the helpers
 * every backend shares to interpret filter paths and compare values the same way. Calls arrive with their paths
 * already resolved ({@link org.crmkit.storage.spi.ResolvedPaths}, in {@link org.crmkit.storage.spi.StorageQuery}
 * and {@link org.crmkit.storage.spi.ResolvedFilter}): a storage looks them up and never resolves one itself.
 */
@NullMarked
package org.crmkit.storage.spi;

import org.jspecify.annotations.NullMarked;
