/**
 * Concrete helpers that storage backends share but need not use: {@link org.crmkit.storage.support.StorageJson},
 * the one JSON format in which durable storages keep schema snapshots, schema changes and change-log values, and
 * the reference semantics of filters and aggregates ({@link org.crmkit.storage.support.FilterEvaluator},
 * {@link org.crmkit.storage.support.ReferenceAggregation}) that the in-memory storage runs on.
 * Unlike {@code org.crmkit.storage.spi}, nothing here is a contract a storage must implement.
 */
@NullMarked
package org.crmkit.storage.support;

import org.jspecify.annotations.NullMarked;
