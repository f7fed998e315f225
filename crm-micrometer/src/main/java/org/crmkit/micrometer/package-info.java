/**
 * CRMKit's metrics on Micrometer: {@link org.crmkit.micrometer.CrmMetrics} (operations, search index, record cache,
 * connection pool, health), {@link org.crmkit.micrometer.JobQueueMetrics} (the workflow's job queue) and
 * {@link org.crmkit.micrometer.RelayMetrics} (a change-log relay), each a {@code MeterBinder} that closing unbinds.
 * Tags carry object type names, operation names, outcomes (error codes) and component names only, never record data
 * or field names.
 */
@NullMarked
package org.crmkit.micrometer;

import org.jspecify.annotations.NullMarked;
